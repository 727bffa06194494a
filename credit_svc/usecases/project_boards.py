"""Projects on the red board, the black board or the blacklist on a day.

A list entry naming a project lists the project where its pack scopes that
entry to projects (项目红黑榜); such entries are read from the view's records
and valued as of the day, as the enterprise's boards are from its segments.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from credit_svc.domain.effect import effect_of
from credit_svc.domain.rulepack import RulePack
from credit_svc.domain.schedule import PackSchedule
from credit_svc.projections.view import GradeView


def projects_on_board(
    view: GradeView,
    packs: Sequence[RulePack],
    board: str,
    jurisdiction: str,
    day: date,
) -> list[dict[str, Any]]:
    """Return the projects on the board (red, black or blacklist) on the day;
    a blacklisted project is on the black board too."""
    with view.db.reading_together() as cursor:
        firms = view.grades.enterprises_within(cursor, jurisdiction)
        facts = view.records.facts_of(cursor, list(firms), kinds=("list_entry",))
    entries: dict[tuple[str, str], dict[str, Any]] = {}
    for code, mine in facts.items():
        firm = firms[code]
        pack = PackSchedule(firm["jurisdiction"], packs).pack_on(day)
        if pack is None:
            continue
        for fact in mine:
            project = fact.get("project_code")
            if not project or not pack.scope.counts_for_project(fact):
                continue
            effect = effect_of(fact, pack)
            if not effect.starts_on <= day < effect.expires_on:
                continue
            on_board = (
                effect.blacklists
                if board == "blacklist"
                else (effect.board == board or (board == "black" and effect.blacklists))
            )
            if on_board and (code, project) not in entries:
                entries[code, project] = {
                    "credit_code": code,
                    "name": firm["name"],
                    "jurisdiction": firm["jurisdiction"],
                    "project_code": project,
                    "project_name": firm["projects"].get(project),
                    "grade": None,
                    "score": None,
                    "board": "black" if effect.blacklists else effect.board,
                    "blacklisted": effect.blacklists,
                    "effective_from": effect.starts_on,
                    "effective_until": effect.expires_on,
                }
    return [entries[key] for key in sorted(entries)]
