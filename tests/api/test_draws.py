"""Verifiable 双随机 draws (issue 34, item 5): targets drawn by grade at the
pack's rates from a published seed, a commitment public before the list,
and `credit-svc draw --verify` running it again."""

from __future__ import annotations

import hashlib
import json
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from flask.testing import FlaskClient

from credit_svc.cli import main
from credit_svc.rulepacks.load import PACKAGED_DIR
from credit_svc.services import Services
from credit_svc.usecases.api_keys import issue_key
from tests.factories import credit_code, post_record, register

FIRMS = [credit_code(n, "440104") for n in range(40, 60)]  # 10 A, 6 B, 4 C
INSPECTORS = ["张一", "李二", "王三", "赵四", "钱五"]
DRAW = {
    "jurisdiction": "4401",
    "period": "2026-Q3",
    "as_of": "2026-07-01",
    "inspections_end": "2026-09-30",
    "seed": "穗住建〔2026〕双随机种子 7f3a",
    "inspectors": INSPECTORS,
    "per_target": 2,
    "authority": "测试住建局",
}


@pytest.fixture
def guangzhou(
    bureau_with: Callable[..., FlaskClient], services: Services, tmp_path: Path
) -> FlaskClient:
    """A Guangzhou bureau on the test pack with inspection rates, and twenty
    firms: ten graded A, six B (a black-board entry), four C (a penalty)."""
    packs = tmp_path / "packs"
    shutil.copytree(PACKAGED_DIR, packs, ignore=shutil.ignore_patterns("*.py"))
    shutil.copy(Path(__file__).parent / "packs" / "boards-published.yaml", packs)
    bureau = bureau_with(RULE_PACK_DIR=str(packs), TODAY="2026-07-01")
    _, token = issue_key(services.app, "广州住建", "bureau", "测试住建局", ("44",))
    bureau.environ_base["HTTP_AUTHORIZATION"] = f"Bearer {token}"
    for number, code in enumerate(FIRMS):
        assert register(bureau, code).status_code == 201
        if 10 <= number < 16:
            post_record(
                bureau,
                "list_entry",
                code,
                business_date="2026-05-10",
                list_type="black_board",
                reason="服务质量差",
            )
        elif number >= 16:
            post_record(bureau, "bad_credit", code, business_date="2026-05-20")
    return bureau


def _cli(bureau: FlaskClient, *args: str) -> tuple[int, str]:
    result = bureau.application.test_cli_runner().invoke(main, ["draw", *args])
    return result.exit_code, result.output


def test_a_draw_counts_by_rate_commits_then_reveals_and_verifies(
    guangzhou: FlaskClient,
) -> None:
    anonymous = guangzhou.application.test_client()  # the public, no key
    made = guangzhou.post("/draws", json=DRAW)
    public_before = anonymous.get("/draws/4401/2026-Q3").json
    verified = _cli(guangzhou, "--verify", "4401", "2026-Q3")
    drawn = made.json["targets"]
    guangzhou.application.config["TODAY"] = "2026-08-10"  # inspecting
    inspected = post_record(
        guangzhou,
        "inspection",
        drawn[0]["credit_code"],
        business_date="2026-08-03",
        draw="4401/2026-Q3",
        document_number="双随机-1",
        rectification_deadline=None,
    )
    assert inspected.status_code == 201, inspected.json
    during = anonymous.get("/draws/4401/2026-Q3").json
    sealed = anonymous.get("/disclosure/draws/4401/2026-Q3").get_data(as_text=True)
    guangzhou.application.config["TODAY"] = "2026-10-01"
    revealed = anonymous.get("/draws/4401/2026-Q3").json
    page = anonymous.get("/disclosure/draws/4401/2026-Q3").get_data(as_text=True)
    canonical = json.dumps(
        revealed["targets"], sort_keys=True, separators=(",", ":"), ensure_ascii=False
    )

    assert made.status_code == 201, made.json
    # ceil(0.15 × 10) = 2, ceil(0.3 × 6) = 2, ceil(1 × 4) = 4
    assert made.json["counts"] == {"A": 2, "B": 2, "C": 4}
    assert made.json["population_counts"] == {"A": 10, "B": 6, "C": 4}
    assert all(len(t["inspectors"]) == 2 for t in drawn)
    assert {i for t in drawn for i in t["inspectors"]} <= set(INSPECTORS)
    assert public_before is not None
    assert "targets" not in public_before  # only the commitment, until the end
    assert public_before["commitment"] == made.json["commitment"]
    assert verified == (
        0,
        f"VERIFIED: 8 targets, commitment {made.json['commitment']}\n",
    )
    assert revealed["targets"] == drawn
    assert hashlib.sha256(canonical.encode()).hexdigest() == public_before["commitment"]
    assert [r["document_number"] for r in revealed["results"]] == ["双随机-1"]
    assert (during["revealed"], during["results"]) == (False, [])
    assert 'id="sealed"' in sealed
    assert drawn[0]["credit_code"] not in sealed
    assert public_before["commitment"] in sealed
    assert "双随机-1" in page
    assert all(t["credit_code"] in page for t in drawn)


def test_a_changed_input_gives_another_list_and_fails_verification(
    guangzhou: FlaskClient, tmp_path: Path
) -> None:
    made = guangzhou.post("/draws", json=DRAW).json  # a reader sees it all
    published = tmp_path / "draw.json"
    published.write_text(json.dumps(made, ensure_ascii=False), encoding="utf-8")
    changed = dict(made, inputs=dict(made["inputs"], seed="另一个种子 0000"))
    edited = tmp_path / "edited.json"
    edited.write_text(json.dumps(changed, ensure_ascii=False), encoding="utf-8")
    other_seed = guangzhou.post(
        "/draws", json=DRAW | {"period": "2026-Q4", "seed": "另一个种子 0000"}
    ).json

    assert _cli(guangzhou, "--verify", "--file", str(published))[0] == 0
    code, output = _cli(guangzhou, "--verify", "--file", str(edited))
    assert code == 1
    assert "MISMATCH: the inputs give another list of targets" in output
    assert other_seed["targets"] != made["targets"]


def test_a_draw_is_made_once_and_waits_for_its_seed(guangzhou: FlaskClient) -> None:
    first = guangzhou.post("/draws", json=DRAW)
    again = guangzhou.post("/draws", json=DRAW)
    early = guangzhou.post(
        "/draws",
        json={k: v for k, v in DRAW.items() if k != "seed"}
        | {"period": "2026-Q4", "seed_position": 10**9},
    )
    both = guangzhou.post("/draws", json=DRAW | {"seed_position": 3})

    assert first.status_code == 201
    assert again.status_code == 409
    assert early.status_code == 422
    assert "has not reached position" in early.json["message"]
    assert both.status_code == 422
