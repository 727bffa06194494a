"""Serious records that count until rectified (整改完成), over HTTP.

The tests run under a copy of the Yantai pack whose serious records count for
12 months and then on until their rectification is confirmed, at most until
their disclosure ends (36 months under the national rules from 2026-04-01).
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from flask.testing import FlaskClient

from credit_svc.rulepacks.load import PACKAGED_DIR
from tests.factories import YANTAI, post_record, register

AUTHORITY = "测试住建局"
Clocked = Callable[[str], FlaskClient]


@pytest.fixture
def rectifying_packs(tmp_path: Path) -> Path:
    """Return a pack directory where Yantai keeps serious records until rectified."""
    directory = tmp_path / "packs"
    shutil.copytree(PACKAGED_DIR, directory, ignore=shutil.ignore_patterns("*.py"))
    yantai = directory / "shandong-yantai-2022.yaml"
    text = yantai.read_text(encoding="utf-8")
    serious = '  by_severity: {serious: "36"}\n'
    assert serious in text
    until_rectified = '  by_severity: {serious: "12"}\n  until_rectified: [serious]\n'
    yantai.write_text(text.replace(serious, until_rectified), encoding="utf-8")
    return directory


@pytest.fixture
def on_day(bureau_with: Callable[..., FlaskClient], rectifying_packs: Path) -> Clocked:
    """Return a factory of bureau clients whose service clock says a given day."""
    return lambda today: bureau_with(TODAY=today, RULE_PACK_DIR=str(rectifying_packs))


def _serious_record(client: FlaskClient) -> str:
    register(client)
    posted = post_record(
        client, "bad_credit", business_date="2026-06-01", points="8", severity="serious"
    )
    assert posted.status_code == 201, posted.json
    return str(posted.json["record_id"])


def _rectify(client: FlaskClient, record_id: str, day: str, **more: Any) -> Any:
    body = {
        "authority": AUTHORITY,
        "document_number": "整改-1",
        "reason": "复查合格",
        "rectified_on": day,
    }
    return client.post(f"/records/{record_id}/rectification", json=body | more)


def _score(client: FlaskClient, as_of: str, **query: str) -> str:
    answer = client.get(
        f"/enterprises/{YANTAI}/grade", query_string={"as_of": as_of} | query
    )
    return str(answer.json["score"])


def _reasons(client: FlaskClient, as_of: str) -> list[str]:
    explained = client.get(f"/enterprises/{YANTAI}/grade/explanation?as_of={as_of}")
    return [r["reason"] for r in explained.json["not_counted"]]


def test_an_unrectified_serious_record_counts_until_its_disclosure_ends(
    on_day: Clocked,
) -> None:
    bureau = on_day("2026-11-23")
    _serious_record(bureau)

    assert _score(bureau, "2027-06-01") == "52"  # past its 12 months
    assert _score(bureau, "2029-05-31") == "52"
    assert _score(bureau, "2029-06-01") == "60"
    assert _reasons(bureau, "2029-06-01") == ["disclosure period ended on 2029-06-01"]


def test_a_rectification_after_the_term_ends_the_record_on_that_day(
    on_day: Clocked,
) -> None:
    record_id = _serious_record(on_day("2026-11-23"))
    before = datetime.now(UTC).isoformat()
    later = on_day("2027-09-01")

    rectified = _rectify(later, record_id, "2027-09-01")

    assert rectified.status_code == 201, rectified.json
    assert rectified.json["status"]["rectified_on"] == "2027-09-01"
    assert _score(later, "2027-08-31") == "52"
    assert _score(later, "2027-09-01") == "60"
    assert _reasons(later, "2027-09-01") == ["rectified on 2027-09-01"]
    # Answered as recorded before the confirmation, the record still counted.
    assert _score(later, "2027-09-01", recorded_at=before) == "52"


def test_a_rectification_within_the_term_leaves_the_term_to_run(
    on_day: Clocked,
) -> None:
    bureau = on_day("2026-12-01")
    record_id = _serious_record(bureau)

    assert _rectify(bureau, record_id, "2026-12-01").status_code == 201
    assert _score(bureau, "2027-05-31") == "52"
    assert _score(bureau, "2027-06-01") == "60"
    assert _reasons(bureau, "2027-06-01") == ["expired on 2027-06-01"]


def test_packs_without_the_rule_ignore_rectification(
    client: FlaskClient,
) -> None:
    record_id = _serious_record(client)  # shipped Yantai: serious counts 36 months

    assert _rectify(client, record_id, "2026-07-01").status_code == 201
    assert _score(client, "2029-05-31") == "52"


@pytest.mark.parametrize(
    ("change", "status", "message"),
    [
        ({"authority": "另一个住建局"}, 403, "only 测试住建局, which recorded it"),
        ({"rectified_on": "2026-05-31"}, 422, "cannot be rectified before"),
        ({"rectified_on": "2999-01-01"}, 422, "must not be after today"),
    ],
)
def test_refused_rectifications_write_nothing(
    client_as: Any, change: dict[str, str], status: int, message: str
) -> None:
    neighbour = client_as("bureau", "另一个住建局", ("37",))
    bureau = client_as("bureau", AUTHORITY, ("37",))
    record_id = _serious_record(bureau)
    caller = neighbour if "authority" in change else bureau
    written = bureau.get("/log/head").json["position"]

    answer = _rectify(caller, record_id, "2026-07-01", **change)

    assert answer.status_code == status
    assert message in str(answer.json)
    assert bureau.get("/log/head").json["position"] == written


def test_only_records_with_a_problem_are_rectified_and_only_once(
    client: FlaskClient,
) -> None:
    record_id = _serious_record(client)
    good = post_record(client, "good_credit", business_date="2026-06-01").json

    first = _rectify(client, record_id, "2026-07-01")
    again = _rectify(client, record_id, "2026-08-01")
    not_bad = _rectify(client, good["record_id"], "2026-07-01")

    assert first.status_code == 201
    assert (again.status_code, not_bad.status_code) == (409, 422)
    assert not_bad.json["message"] == (
        "only bad-credit records and records with a rectification deadline "
        "are rectified"
    )
