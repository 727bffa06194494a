"""The pages in headless Chromium: search, open an enterprise, sign in, see the chart.

Needs Debian's chromium and chromium-driver (.ci/install-browser). Without
them the tests are skipped with the reason, except under CI=true, where they
fail. Screenshots go to test-artifacts/screenshots/.
"""

from __future__ import annotations

import json
import os
import shutil
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.service import Service as DriverService
from selenium.webdriver.common.by import By
from selenium.webdriver.support.expected_conditions import staleness_of
from selenium.webdriver.support.wait import WebDriverWait

from tests.processes import ROOT, Service, run_cli

pytestmark = pytest.mark.slow  # a headless browser: the full suite only

SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"
CHROMIUM, DRIVER = shutil.which("chromium"), shutil.which("chromedriver")
YANTAI_DEMO = "91370602MA3C4K7Q11"


@pytest.fixture
def browser() -> Iterator[webdriver.Chrome]:
    """A headless Chromium, or a skip (a failure under CI) without one."""
    if not (CHROMIUM and DRIVER):
        reason = "chromium and chromedriver are not installed (.ci/install-browser)"
        if os.environ.get("CI") == "true":
            pytest.fail(reason)
        pytest.skip(reason)
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for argument in ("--headless=new", "--no-sandbox", "--window-size=1100,1400"):
        options.add_argument(argument)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})  # CSP reports
    driver = webdriver.Chrome(options=options, service=DriverService(DRIVER))
    yield driver
    driver.quit()


def _wait(driver: webdriver.Chrome, css: str, count: int = 1) -> Any:
    """Wait for the page to show `count` elements; return the first (or all)."""
    found = WebDriverWait(driver, 10).until(
        lambda d: (
            (found := d.find_elements(By.CSS_SELECTOR, css))
            and len(found) >= count
            and found
        )
    )
    return found if count > 1 else found[0]


def _shot(driver: webdriver.Chrome, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    driver.save_screenshot(str(SCREENSHOTS / f"{name}.png"))


def test_the_public_searches_and_opens_an_enterprise(
    browser: webdriver.Chrome, demo: Service, backend: str
) -> None:
    browser.get(f"http://127.0.0.1:{demo.port}/disclosure/")

    browser.find_element(By.ID, "q").send_keys("烟台")
    browser.find_element(By.ID, "search").click()
    links = _wait(browser, "#results a", count=2)  # the two Yantai demo enterprises
    links[0].click()
    _wait(browser, "#grade")
    _shot(browser, f"disclosure-{backend}")

    assert browser.find_element(By.ID, "grade").text in {
        "AAA",
        "AA",
        "A",
        "B",
        "C",
        "BL",
    }
    assert "统一社会信用代码" in browser.page_source


def test_an_auditor_signs_in_and_sees_the_chart_drawn(
    browser: webdriver.Chrome, demo: Service, backend: str
) -> None:
    token = run_cli(demo.env, "keys", "create", "--name", "审计", "--role", "auditor")
    base = f"http://127.0.0.1:{demo.port}"
    browser.get(f"{base}/dashboard/login")
    browser.find_element(By.ID, "token").send_keys(token.splitlines()[-1])
    browser.find_element(By.ID, "sign-in").click()
    _wait(browser, "#audit").click()  # from the auditor's workbench
    _wait(browser, "#q").send_keys(YANTAI_DEMO)
    browser.find_element(By.ID, "search").click()
    _wait(browser, "#results a").click()
    _wait(browser, "#score-line")
    browser.get(browser.current_url + "?as_of=2026-06-01")  # the day's explanation
    _wait(browser, "#score-line")
    _shot(browser, f"dashboard-{backend}")

    line = browser.find_element(By.ID, "score-line")
    size = line.size
    assert len(line.get_attribute("points").split()) >= 4
    assert size["width"] > 100  # really drawn, not an empty element
    assert len(browser.find_elements(By.CSS_SELECTOR, "circle.change")) >= 2
    assert browser.find_element(By.ID, "explained").text.startswith("2026-06-01")

    browser.get(f"{base}/dashboard/")
    browser.find_element(By.ID, "sign-out").click()  # the page's own form
    _wait(browser, "#token")
    browser.get(f"{base}/dashboard/")
    assert browser.current_url == f"{base}/dashboard/login"  # signed out


def test_an_auditor_exports_penalties_for_the_national_platform(
    browser: webdriver.Chrome, demo: Service, backend: str
) -> None:
    token = run_cli(demo.env, "keys", "create", "--name", "审计", "--role", "auditor")
    browser.get(f"http://127.0.0.1:{demo.port}/dashboard/login")
    browser.find_element(By.ID, "token").send_keys(token.splitlines()[-1])
    browser.find_element(By.ID, "sign-in").click()
    _wait(browser, "#exchange").click()
    _wait(browser, "#jurisdiction").send_keys("37")
    browser.find_element(By.ID, "show-export").click()
    rows = _wait(browser, "#rows tr", count=2)
    _shot(browser, f"exchange-{backend}")
    link = str(browser.find_element(By.ID, "csv").get_attribute("href"))

    assert browser.find_element(By.ID, "title").text == "行政处罚信息（双公示）"
    assert int(browser.find_element(By.ID, "row-count").text) == len(rows) - 1
    assert "91370613MA3D2L8R5C" in rows[1].text  # the demo's fined firm
    assert "罚款" in rows[1].text
    assert "jurisdiction=37" in link
    assert "field_set=penalties" in link


def test_a_market_regulator_uploads_its_abnormal_operations_list(
    browser: webdriver.Chrome, demo: Service, backend: str, tmp_path: Path
) -> None:
    token = run_cli(
        demo.env,
        *("keys", "create", "--name", "游仙区市场监管", "--role", "market_regulation"),
        *("--authority", "绵阳市游仙区市场监督管理局", "--jurisdiction", "5107"),
    ).splitlines()[-1]
    listed = tmp_path / "abnormal.csv"
    listed.write_text(
        "企业名称,统一社会信用代码,列入经营异常名录原因,列入日期,作出决定机关(列入)\n"
        "绵阳物业,91510704MA6AB3C82N,无法联系,2026-03-02,绵阳市游仙区市场监督管理局\n",
        encoding="utf-8",
    )
    browser.get(f"http://127.0.0.1:{demo.port}/dashboard/login")
    browser.find_element(By.ID, "token").send_keys(token)
    browser.find_element(By.ID, "sign-in").click()
    _wait(browser, "#import-lists").click()
    _wait(browser, "#list-file").send_keys(str(listed))
    browser.find_element(By.ID, "import").click()
    listed_count = _wait(browser, "#listed").text
    _shot(browser, f"list-import-{backend}")
    first_page = browser.find_element(By.ID, "imported")
    browser.find_element(By.ID, "list-file").send_keys(str(listed))
    browser.find_element(By.ID, "import").click()  # the same file again
    WebDriverWait(browser, 10).until(staleness_of(first_page))
    skipped = _wait(browser, "#skipped").text

    assert listed_count == "1"
    assert skipped == "1"
    assert browser.find_element(By.ID, "listed").text == "0"


def _issue_report(demo: Service, credit_code: str) -> dict[str, Any]:
    """Issue the firm's credit report with its own key, over HTTP."""
    token = run_cli(
        demo.env,
        *("keys", "create", "--name", "安居物业", "--role", "enterprise"),
        *("--credit-code", credit_code),
    ).splitlines()[-1]
    base = f"http://127.0.0.1:{demo.port}"
    return _post(base, token, f"/enterprises/{credit_code}/credit-reports", {})


def test_a_credit_report_is_checked_on_its_page_with_its_pdf(
    browser: webdriver.Chrome, demo: Service, backend: str, tmp_path: Path
) -> None:
    report = _issue_report(demo, YANTAI_DEMO)
    pdf = tmp_path / "report.pdf"
    with urllib.request.urlopen(report["links"]["pdf"], timeout=30) as answer:
        pdf.write_bytes(answer.read())
    browser.get(report["links"]["page"])
    verdict = _wait(browser, "#verdict").text
    _shot(browser, f"credit-report-{backend}")
    browser.find_element(By.ID, "pdf-file").send_keys(str(pdf))
    browser.find_element(By.ID, "check").click()
    checked = _wait(browser, "#upload-verdict").text
    browser.get(report["links"]["document"])
    grade = _wait(browser, "#grade").text

    assert verdict.startswith("真实 Genuine")
    assert checked.startswith("一致 Genuine")
    assert grade == report["content"]["grade"]["label"]
    assert browser.find_element(By.ID, "report-number").text == report["report_number"]


def test_a_firm_signs_in_sees_its_file_and_issues_its_report(
    browser: webdriver.Chrome, demo: Service, backend: str
) -> None:
    token = run_cli(
        demo.env,
        "keys",
        "create",
        "--name",
        "安居物业",
        "--role",
        "enterprise",
        "--credit-code",
        YANTAI_DEMO,
    ).splitlines()[-1]
    browser.get(f"http://127.0.0.1:{demo.port}/dashboard/login")
    browser.find_element(By.ID, "token").send_keys(token)
    browser.find_element(By.ID, "sign-in").click()
    role = _wait(browser, "#role").text
    _shot(browser, f"workbench-firm-{backend}")
    browser.find_element(By.ID, "own-file").click()
    records = _wait(browser, "#records tr", count=2)
    browser.find_element(By.ID, "issue-report").click()
    verdict = _wait(browser, "#verdict").text

    assert role == "物业服务企业 Property-service enterprise"
    assert len(records) >= 5  # the demo firm's records, undisclosed ones too
    assert verdict.startswith("真实 Genuine")
    assert "/r/CR" in browser.current_url


def test_an_integrator_reads_the_api_in_swagger_ui(
    browser: webdriver.Chrome, demo: Service
) -> None:
    browser.get(f"http://127.0.0.1:{demo.port}/docs/")

    operations = _wait(browser, ".opblock", count=40)
    _shot(browser, "api-docs")
    refused = [
        entry["message"]
        for entry in browser.get_log("browser")  # type: ignore[no-untyped-call]
        if "Content Security Policy" in entry["message"]
    ]

    assert len(operations) >= 40  # every operation of the document, drawn
    assert "credit_svc" in browser.find_element(By.CSS_SELECTOR, ".title").text
    assert refused == []  # Swagger UI runs under the docs page's policy


PHONE = 390  # CSS pixels: a common phone's width
TONGAN_DEMO = "91350212MA32TA8K50"  # the demo's Xiamen firm, with a rated estate


def test_every_page_fits_a_phone_without_sideways_scrolling(
    browser: webdriver.Chrome, demo: Service
) -> None:
    base = f"http://127.0.0.1:{demo.port}"
    token = run_cli(demo.env, "keys", "create", "--name", "审计", "--role", "auditor")
    browser.get(f"{base}/dashboard/login")
    browser.find_element(By.ID, "token").send_keys(token.splitlines()[-1])
    browser.find_element(By.ID, "sign-in").click()
    _wait(browser, "#role")
    browser.set_window_size(PHONE, 844)
    pages = {
        "search": f"{base}/disclosure/?q=物业",
        "enterprise": f"{base}/disclosure/enterprises/{YANTAI_DEMO}",
        "blacklist": f"{base}/disclosure/blacklist",
        "black-board": f"{base}/disclosure/boards/black",
        "project": f"{base}/disclosure/enterprises/{TONGAN_DEMO}/projects/TA-001",
        "missing": f"{base}/disclosure/enterprises/91110105MA00000003",
        "dashboard": f"{base}/dashboard/enterprises/{YANTAI_DEMO}?as_of=2026-06-01",
        "workbench": f"{base}/workbench/",
        "exchange": f"{base}/workbench/exchange/?field_set=penalties&jurisdiction=37",
        "credit-report": _issue_report(demo, TONGAN_DEMO)["links"]["page"],
    }
    widths = {}
    for name, url in pages.items():
        browser.get(url)
        _wait(browser, "h1")
        _shot(browser, f"phone-{name}")
        widths[name] = browser.execute_script(
            "return [document.documentElement.scrollWidth, window.innerWidth]"
        )

    assert all(w[1] <= PHONE for w in widths.values()), widths  # really a phone
    assert {n: w for n, w in widths.items() if w[0] > w[1]} == {}


def _post(base: str, token: str, path: str, body: dict[str, Any]) -> dict[str, Any]:
    request = urllib.request.Request(
        base + path,
        data=json.dumps(body, ensure_ascii=False).encode(),
        headers={
            "Authorization": f"Bearer {token}",
            "Content-Type": "application/json",
        },
    )
    with urllib.request.urlopen(request, timeout=30) as answer:
        found: dict[str, Any] = json.load(answer)
    return found


@pytest.fixture
def supervision(config: dict[str, Any], tmp_path: Path) -> Iterator[Service]:
    """Gunicorn on a pack that publishes boards and draws (4401), on
    2026-07-06, with a published black board, a quarter's statistics and a
    draw whose inspections have ended."""
    from credit_svc.rulepacks.load import PACKAGED_DIR
    from tests.factories import credit_code, enterprise_body
    from tests.processes import start_service

    packs = tmp_path / "packs"
    shutil.copytree(PACKAGED_DIR, packs, ignore=shutil.ignore_patterns("*.py"))
    shutil.copy(ROOT / "tests/api/packs/boards-published.yaml", packs)
    running = start_service(
        config
        | {"RULE_PACK_DIR": str(packs), "TODAY": "2026-07-06", "REHEARSAL": "true"},
        tmp_path / "gunicorn.log",
    )
    token = run_cli(
        running.env,
        "keys",
        "create",
        "--name",
        "广州住建",
        "--role",
        "bureau",
        "--authority",
        "广州市住房和城乡建设局",
        "--jurisdiction",
        "44",
    ).splitlines()[-1]
    base = f"http://127.0.0.1:{running.port}"
    firms = [credit_code(n, "440103") for n in (61, 62, 63)]
    for code in firms:
        _post(
            base,
            token,
            "/enterprises",
            enterprise_body(code) | {"authority": "广州市住房和城乡建设局"},
        )
    _post(
        base,
        token,
        f"/enterprises/{firms[2]}/records/bad-credit-records",
        {
            "business_date": "2026-05-20",
            "authority": "广州市住房和城乡建设局",
            "document_number": "穗住建罚〔2026〕3号",
            "violation_code": "WY-0304",
            "description": "逾期未整改",
            "severity": "general",
        },
    )
    authority = {"authority": "广州市住房和城乡建设局"}
    _post(
        base,
        token,
        "/board-issues",
        authority
        | {
            "jurisdiction": "4401",
            "board": "black",
            "period": "2026-Q2",
            "as_of": "2026-06-30",
            "document_number": "穗住建通〔2026〕7号",
        },
    )
    _post(
        base,
        token,
        "/statistics/reports",
        authority
        | {
            "jurisdiction": "4401",
            "period": "2026-Q2",
            "document_number": "穗住建统〔2026〕2号",
        },
    )
    _post(
        base,
        token,
        "/draws",
        authority
        | {
            "jurisdiction": "4401",
            "period": "2026-Q3",
            "as_of": "2026-07-01",
            "inspections_end": "2026-07-03",
            "seed": "穗住建〔2026〕双随机种子",
            "inspectors": ["张一", "李二", "王三"],
        },
    )
    yield running
    running.kill()


def test_published_boards_statistics_and_draws_are_public_pages(
    browser: webdriver.Chrome, supervision: Service, backend: str
) -> None:
    base = f"http://127.0.0.1:{supervision.port}"
    pages = {
        "board": "/disclosure/board-issues/4401/black-2026-Q2",
        "board-archive": "/disclosure/board-issues/4401",
        "statistics": "/statistics/4401/2026-Q2",
        "draw": "/disclosure/draws/4401/2026-Q3",
    }
    seen = {}
    for name, path in pages.items():
        browser.get(base + path)
        _wait(browser, "h1")
        _shot(browser, f"{name}-{backend}")
        seen[name] = browser.find_element(By.TAG_NAME, "main").text
    browser.set_window_size(PHONE, 844)
    widths = {}
    for name, path in pages.items():
        browser.get(base + path)
        _wait(browser, "h1")
        widths[name] = browser.execute_script(
            "return [document.documentElement.scrollWidth, window.innerWidth]"
        )
    browser.get(base + pages["statistics"])
    _wait(browser, "#grades rect")
    bars = browser.find_elements(By.CSS_SELECTOR, "#grades rect")

    assert "公示中 In publicity" in seen["board"]  # published today, in publicity
    assert "2026-07-13" in seen["board"] or "2026年7月13日" in seen["board"]
    assert "2026-Q2" in seen["board-archive"]
    assert "穗住建统〔2026〕2号" in seen["statistics"]
    assert "抽取名单" in seen["draw"]  # its inspections ended: the list is public
    assert len(bars) >= 1  # a bar per grade, drawn
    assert {n: w for n, w in widths.items() if w[0] > w[1]} == {}
