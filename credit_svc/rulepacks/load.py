"""Read rule-pack files (YAML or JSON) and check them before any is used."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path
from typing import Any

import yaml
from marshmallow import ValidationError

from credit_svc.domain.disclosure import DisclosureRules
from credit_svc.domain.project_rules import Combination, Scope
from credit_svc.domain.rectification import OVERDUE_KIND
from credit_svc.domain.rulepack import RulePack
from credit_svc.rulepacks.digest import digest
from credit_svc.rulepacks.disclosure_schema import DisclosureRulesSchema
from credit_svc.rulepacks.schema import RulePackSchema

PACKAGED_DIR = Path(__file__).parent
DISCLOSURE_FILE = Path("disclosure/national.yaml")
# libyaml's reader where PyYAML was built with it: the pure-Python one was
# most of a process's start (each test opens the packs twice).
BASE_LOADER: Any = getattr(yaml, "CBaseLoader", yaml.BaseLoader)


class RulePackError(ValueError):
    """A rule-pack file is not valid; the message names the file and the field."""


def parse_pack(text: str, source: str) -> RulePack:
    """Parse and validate one pack's text; every scalar is typed by the schema."""
    try:
        # BaseLoader keeps scalars as text, so 0.1 stays exact and "2022.1" a version.
        raw = yaml.load(text, Loader=BASE_LOADER)
        data = RulePackSchema().load(raw)
    except yaml.YAMLError as error:
        raise RulePackError(f"{source}: not YAML or JSON: {error}") from None
    except ValidationError as error:
        raise RulePackError(f"{source}: {error.messages}") from None
    pack = replace(_build(data), digest=digest(raw))
    problems = list(consistency_problems(pack))
    if problems:
        raise RulePackError(f"{source}: " + "; ".join(problems))
    return pack


def load_disclosure(path: Path) -> tuple[DisclosureRules, str]:
    """Load and check a disclosure-rules file; return the rules and their digest."""
    try:
        raw = yaml.load(path.read_text(encoding="utf-8"), Loader=BASE_LOADER)
        data = DisclosureRulesSchema().load(raw)
    except (yaml.YAMLError, ValidationError) as error:
        raise RulePackError(f"{path.name}: {error}") from None
    return DisclosureRules(tuple(data["regimes"])), digest(raw)


def load_packs(directory: Path = PACKAGED_DIR) -> list[RulePack]:
    """Load every *.yaml / *.json pack in the directory; refuse duplicate versions.

    Every pack gets the national disclosure rules: the directory's own
    disclosure/national.yaml if it has one, else the packaged file.
    """
    paths = sorted([*directory.glob("*.yaml"), *directory.glob("*.json")])
    own = directory / DISCLOSURE_FILE
    disclosure, disclosure_digest = load_disclosure(
        own if own.exists() else PACKAGED_DIR / DISCLOSURE_FILE
    )
    packs = [
        _with_disclosure(
            parse_pack(path.read_text(encoding="utf-8"), path.name),
            disclosure,
            disclosure_digest,
        )
        for path in paths
    ]
    seen: set[tuple[str, str]] = set()
    for pack in packs:
        key = (pack.pack_id, pack.version)
        if key in seen:
            raise RulePackError(f"{directory}: pack {key[0]} version {key[1]} twice")
        seen.add(key)
    return packs


def _with_disclosure(
    pack: RulePack, rules: DisclosureRules, rules_digest: str
) -> RulePack:
    return replace(pack, disclosure=rules, digest=digest([pack.digest, rules_digest]))


def _build(data: dict[str, Any]) -> RulePack:
    return RulePack(
        pack_id=data["id"],
        version=data["version"],
        name=data["name"],
        jurisdictions=tuple(data["jurisdictions"]),
        effective_from=data["effective_from"],
        base_score=data["base_score"],
        categories=tuple(data["categories"]),
        validity=data["validity"],
        rules=data["rules"],
        grades=tuple((g["code"], g["label"]) for g in data["grades"]),
        bands=tuple(data["bands"]),
        overrides=tuple(data["overrides"]),
        boards={name: frozenset(grades) for name, grades in data["boards"].items()},
        award_exclusions=tuple(data["award_exclusions"]),
        tender_points=data["tender_points"],
        objection_window_days=data["objection_window_days"],
        managers=data["project_managers"],
        scope=Scope(dict(data["scope"])),
        combinations={
            kind: Combination(kind, **how) for kind, how in data["combine"].items()
        },
        projects=data["projects"],
        rectification=data["rectification"],
        watch_list=tuple(data["watch_list"]),
        board_publicity_working_days=data["board_issues"].get("publicity_working_days"),
        inspection_rates=data["inspection_rates"],
    )


def consistency_problems(pack: RulePack) -> Iterable[str]:
    """Yield every way the pack's parts disagree with each other."""
    grades = [code for code, _ in pack.grades]
    referenced = [
        *(("bands", b.grade) for b in pack.bands),
        *(("overrides", o.grade) for o in pack.overrides),
        *(("boards", g) for names in pack.boards.values() for g in names),
        *(("award_exclusions", x.grade) for x in pack.award_exclusions if x.grade),
        *(("inspection_rates", grade) for grade in pack.inspection_rates),
    ]
    for where, grade in referenced:
        if grade not in grades:
            yield f"{where}: unknown grade {grade!r} (grades are {grades})"
    if sorted(pack.tender_points) != sorted(grades):
        yield f"tender_points must give every grade exactly once: {grades}"
    categories = {c.name for c in pack.categories}
    for rule in pack.rules:
        if rule.category not in categories:
            yield f"rules.{rule.number - 1}: unknown category {rule.category!r}"
    for kind, how in pack.combinations.items():
        if how.category not in categories:
            yield f"combine.{kind}: unknown category {how.category!r}"
    yield from _band_problems(pack)
    yield from _rectification_problems(pack)


def _rectification_problems(pack: RulePack) -> Iterable[str]:
    deducts = pack.rectification.overdue == "deduct" and pack.rectification.kinds
    if deducts and not any(rule.kind == OVERDUE_KIND for rule in pack.rules):
        yield f"rectification: overdue: deduct needs a rule for {OVERDUE_KIND}"


def _band_problems(pack: RulePack) -> Iterable[str]:
    *upper, last = pack.bands
    if last.floor is not None:
        yield "bands: the last band must have no floor (it takes every lower score)"
    floors = [band.floor for band in upper if band.floor is not None]
    if len(floors) != len(upper):
        yield "bands: every band but the last needs a floor"
    elif floors != sorted(floors, reverse=True) or len(set(floors)) != len(floors):
        yield "bands: floors must strictly descend, best grade first"
