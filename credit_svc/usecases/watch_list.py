"""The watch list (重点关注名单) of a jurisdiction on a day: each firm its
pack's watch conditions find, with the reasons and the records behind them."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict
from datetime import date
from typing import Any

from credit_svc.domain.rectification import watch_reasons
from credit_svc.domain.rulepack import RulePack
from credit_svc.domain.schedule import PackSchedule
from credit_svc.projections.view import GradeView


def watch_list(
    view: GradeView, packs: Sequence[RulePack], jurisdiction: str, day: date
) -> list[dict[str, Any]]:
    """Return the firms of the division prefix watched on the day, by credit
    code, each with every reason its pack in force gives."""
    watched = []
    with view.db.reading_together() as cursor:
        firms = view.grades.enterprises_within(cursor, jurisdiction)
        schedules: dict[str, PackSchedule] = {}
        for code, firm in firms.items():
            pack = schedules.setdefault(
                firm["jurisdiction"], PackSchedule(firm["jurisdiction"], packs)
            ).pack_on(day)
            if pack is None or not pack.watch_list:
                continue
            facts = view.records.facts_of(cursor, [code]).get(code, [])
            reasons = watch_reasons(facts, pack.watch_list, day)
            if reasons:
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
