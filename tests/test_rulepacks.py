"""Rule-pack files: the shipped ones load; broken ones are refused, saying why."""

from __future__ import annotations

from pathlib import Path

import pytest

from credit_svc.rulepacks.load import (
    PACKAGED_DIR,
    RulePackError,
    load_packs,
    parse_pack,
)

VALID = (PACKAGED_DIR / "shandong-yantai-2022.yaml").read_text(encoding="utf-8")


def test_shipped_packs_load() -> None:
    packs = {(p.pack_id, p.version) for p in load_packs()}

    assert packs == {
        ("shandong-yantai", "2022.1"),
        ("sichuan", "2023.1"),
        ("sichuan-mianyang", "2025.1"),
        ("sichuan-mianyang", "2027.1"),
        ("fujian-xiamen", "2025.1"),
    }


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (
            '- {grade: B, floor: "60"}',
            '- {grade: B, floor: "90"}',
            "bands: floors must strictly descend",
        ),
        (
            "- {grade: C}",
            '- {grade: C, floor: "0"}',
            "the last band must have no floor",
        ),
        (
            '- {grade: AAA, floor: "85"}',
            '- {grade: AAAA, floor: "85"}',
            "bands: unknown grade 'AAAA'",
        ),
        ('BL: "0"}', "}", "tender_points must give every grade exactly once"),
        (
            'when: {passed: "false"}',
            "when: {colour: red}",
            "inspection records have no",
        ),
        (
            'when: {passed: "false"}',
            "when: {passed: maybe}",
            "passed: 'maybe' is not true",
        ),
        (
            'when: {passed: "false"}',
            "when: {inspection_type: {at_least: 3}}",
            "a range takes at_least/below on a number",
        ),
        (
            "- {kind: inspection, when: {passed:",
            "- {kind: haircut, when: {passed:",
            "Must be one of",
        ),
        (
            "category: bad}\n  - {kind: inspection, when: {score: {below",
            "category: ugly}\n  - {kind: inspection, when: {score: {below",
            "unknown category 'ugly'",
        ),
        ('threshold: "60", ', "", "threshold goes with low_score_without_bad_records"),
        ('effective_from: "2022-01-01"', "effective_from: soon", "Not a valid date"),
        ('base_score: "60"', 'base_score: "sixty"', "Not a valid number"),
        ('charge_share: "1"', 'charge_share: "1.5"', "charge_share"),
        ('{minor: "2",', '{petty: "2",', "deductions"),
        (
            "- {kind: inspection, when: {passed:",
            "- {kind: manager_bad_credit, when: {passed:",
            "Must be one of",  # managers are scored by project_managers, not rules
        ),
    ],
)
def test_broken_pack_is_refused_naming_the_problem(
    old: str, new: str, message: str
) -> None:
    assert old in VALID

    with pytest.raises(RulePackError, match=r"test\.yaml") as refused:
        parse_pack(VALID.replace(old, new, 1), "test.yaml")

    assert message in str(refused.value)


def test_text_that_is_not_yaml_is_refused() -> None:
    with pytest.raises(RulePackError, match="not YAML or JSON"):
        parse_pack("id: [unclosed", "broken.yaml")


def test_two_files_with_the_same_pack_version_are_refused(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text(VALID, encoding="utf-8")
    (tmp_path / "b.yaml").write_text(VALID, encoding="utf-8")

    with pytest.raises(RulePackError, match=r"shandong-yantai version 2022\.1 twice"):
        load_packs(tmp_path)


def test_decimals_in_packs_stay_exact() -> None:
    pack = parse_pack(
        VALID.replace('points: "-5", category: bad}', "points: 0.1, category: bad}", 1),
        "exact.yaml",
    )

    assert str(pack.rules[0].points) == "0.1"


def test_a_pack_without_a_project_manager_section_charges_nothing() -> None:
    start = VALID.index("# Project managers")

    pack = parse_pack(VALID[:start], "test.yaml")

    assert pack.managers.charge_share == 0
    assert pack.managers.base_points == 100
    assert pack.managers.barred_below is None
