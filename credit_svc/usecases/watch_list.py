"""The watch list (重点关注名单) of a jurisdiction on a day: each firm its
pack's watch conditions find, with the reasons and the records behind them."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict
from datetime import date
from typing import Any

from credit_svc.domain.rectification import watch_reasons
from credit_svc.domain.rulepack import RulePack
from credit_svc.domain.schedule import packs_in_force
from credit_svc.projections.view import GradeView


def watch_list(
    view: GradeView, packs: Sequence[RulePack], jurisdiction: str, day: date
) -> list[dict[str, Any]]:
    """Return the firms of the division prefix watched on the day, by credit
    code, each with every reason its pack in force gives."""
    watched = []
    with view.db.reading_together() as cursor:
        firms = view.grades.enterprises_within(cursor, jurisdiction)
        divisions = {code: firm["jurisdiction"] for code, firm in firms.items()}
        packs_of = packs_in_force(divisions, packs, day)
        codes = [c for c, pack in packs_of.items() if pack and pack.watch_list]
        facts = view.records.facts_of(cursor, codes)  # one read for them all
    for code in codes:
        pack = packs_of[code]
        assert pack is not None
        reasons = watch_reasons(facts.get(code, []), pack.watch_list, day)
        if reasons:
            firm = firms[code]
            watched.append(
                {
                    "credit_code": code,
                    "name": firm["name"],
                    "jurisdiction": firm["jurisdiction"],
                    "pack": {"id": pack.pack_id, "version": pack.version},
                    "reasons": [asdict(reason) for reason in reasons],
                }
            )
    return watched
