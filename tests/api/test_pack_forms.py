"""Forms of real regulations in the pack format (issue 36, item 9), over HTTP:
a good record's stated points, a basic score set by the year's assessment,
and "below 60 with no bad record is B" where the basic score can be low.

The tests grade Yantai (3706) under tests/api/packs/shandong-basic-score.yaml
in place of the shipped Yantai pack."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from flask.testing import FlaskClient

from credit_svc.rulepacks.load import PACKAGED_DIR, load_packs
from tests.api.lifecycle import decision
from tests.factories import YANTAI, post_record, register

FORMS = Path(__file__).parent / "packs" / "shandong-basic-score.yaml"


@pytest.fixture
def bureau(bureau_with: Callable[..., FlaskClient], tmp_path: Path) -> FlaskClient:
    """A bureau client of a service grading Yantai under the test pack."""
    packs = tmp_path / "packs"
    shutil.copytree(PACKAGED_DIR, packs, ignore=shutil.ignore_patterns("*.py"))
    (packs / "shandong-yantai-2022.yaml").unlink()
    shutil.copy(FORMS, packs)
    client = bureau_with(RULE_PACK_DIR=str(packs))
    assert register(client).status_code == 201
    return client


def _grade(client: FlaskClient) -> tuple[str, str]:
    answer = client.get(f"/enterprises/{YANTAI}/grade?as_of=2026-06-01").json
    return answer["score"], answer["grade"]


def _assessed(client: FlaskClient, score: str) -> None:
    posted = post_record(
        client,
        "inspection",
        business_date="2026-01-15",
        inspection_type="annual_inspection",
        score=score,
        passed=None,
    )
    assert posted.status_code == 201, posted.json


def test_the_year_s_assessment_sets_the_basic_score(bureau: FlaskClient) -> None:
    _assessed(bureau, "78")

    assert _grade(bureau) == ("78", "A")


def test_a_good_record_counts_the_points_it_states(bureau: FlaskClient) -> None:
    _assessed(bureau, "78")
    stated = post_record(bureau, "good_credit", business_date="2026-02-01", points="6")
    unstated = post_record(
        bureau, "good_credit", business_date="2026-02-02", document_number="荣誉-2"
    )

    explained = bureau.get(
        f"/enterprises/{YANTAI}/grade/explanation?as_of=2026-06-01"
    ).json

    assert (stated.status_code, unstated.status_code) == (201, 201)
    assert _grade(bureau) == ("86", "AAA")  # 78 + 6 stated + 2 the rule's own
    assert sorted(r["points"] for r in explained["counted"]) == ["2", "6", "78"]


def test_a_low_score_without_bad_records_is_b_and_with_one_c(
    bureau: FlaskClient,
) -> None:
    _assessed(bureau, "50")
    without = _grade(bureau)
    post_record(bureau, "bad_credit", business_date="2026-03-01", points="3")

    assert without == ("50", "B")  # no bad record: B, not C
    assert _grade(bureau) == ("47", "C")


def test_a_pack_that_takes_points_from_no_number_is_refused(tmp_path: Path) -> None:
    text = FORMS.read_text(encoding="utf-8").replace(
        "points_from: score", "points_from: findings"
    )
    (tmp_path / "bad.yaml").write_text(text, encoding="utf-8")

    with pytest.raises(ValueError, match="inspection records state no number"):
        load_packs(tmp_path)


def test_a_correction_of_stated_points_regrades(bureau: FlaskClient) -> None:
    _assessed(bureau, "78")
    stated = post_record(bureau, "good_credit", business_date="2026-02-01", points="6")

    corrected = bureau.post(
        f"/records/{stated.json['record_id']}/corrections",
        json=decision("更正-1", changes={"points": "3"}),
    )

    assert corrected.status_code == 201, corrected.json
    assert _grade(bureau) == ("81", "AA")  # 78 + 3, not 78 + 6
