"""Publishing red and black boards (红黑榜通报): compose an issue from the
live board on its date, with the records that put each entry there; hear
objections; decide, withdraw; and say where each entry stands on a day."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from typing import Any

from eventsourcing.application import AggregateNotFoundError

from credit_svc.domain.board_issues import BoardIssues, boards_id, entry_state
from credit_svc.domain.errors import (
    BoardIssueNotFoundError,
    LifecycleRuleError,
    NoRulePackError,
)
from credit_svc.domain.rulepack import RulePack
from credit_svc.domain.schedule import PackSchedule
from credit_svc.domain.working_days import WorkingDays
from credit_svc.projections.view import GradeView
from credit_svc.usecases.application import CreditService
from credit_svc.usecases.grade_reader import GradeReader
from credit_svc.usecases.project_boards import projects_on_board


class BoardPublisher:
    """The use cases of published boards."""

    def __init__(
        self,
        app: CreditService,
        view: GradeView,
        packs: Sequence[RulePack],
        calendar: WorkingDays,
    ) -> None:
        self.app = app
        self.view = view
        self.packs = packs
        self.calendar = calendar

    def issue(  # noqa: PLR0913 (an issue and all that states it)
        self,
        jurisdiction: str,
        board: str,
        period: str,
        as_of: date,
        *,
        published_on: date,
        document_number: str,
        issued_by: str,
    ) -> dict[str, Any]:
        """Publish the jurisdiction's board of a period as it stood on a day."""
        pack = PackSchedule(jurisdiction, self.packs).pack_on(published_on)
        if pack is None:
            raise NoRulePackError(jurisdiction, published_on.isoformat())
        days = pack.board_publicity_working_days
        if days is None:
            msg = f"boards are not published under {pack.pack_id} {pack.version}"
            raise LifecycleRuleError(msg)
        published = {
            "board": board,
            "period": period,
            "as_of": as_of,
            "document_number": document_number,
            "published_on": published_on,
            "publicity_ends_on": self.calendar.add(published_on, days),
            "entries": self._entries(jurisdiction, board, as_of),
            "issued_by": issued_by,
        }

        def publish(boards: BoardIssues) -> str:
            return boards.issue(**published)

        key = self._change(jurisdiction, publish, create=True)
        return self.get(jurisdiction, key)

    def object_to(
        self, jurisdiction: str, key: str, credit_code: str, **objection: Any
    ) -> dict[str, Any]:
        """File a listed firm's objection."""
        self._change(jurisdiction, lambda b: b.object_to(key, credit_code, **objection))
        return self.get(jurisdiction, key)

    def decide(
        self, jurisdiction: str, key: str, credit_code: str, **decision: Any
    ) -> dict[str, Any]:
        """Decide a firm's objection, as the issuer."""
        self._change(jurisdiction, lambda b: b.decide(key, credit_code, **decision))
        return self.get(jurisdiction, key)

    def withdraw(
        self, jurisdiction: str, key: str, **withdrawal: Any
    ) -> dict[str, Any]:
        """Withdraw an issue, as the issuer."""
        self._change(jurisdiction, lambda b: b.withdraw(key, **withdrawal))
        return self.get(jurisdiction, key)

    def archive(self, jurisdiction: str) -> list[dict[str, Any]]:
        """Return the jurisdiction's issues, newest period first."""
        boards = self._boards(jurisdiction)
        issues = boards.issues.values() if boards else ()
        return sorted(issues, key=lambda i: (i["period"], i["board"]), reverse=True)

    def get(self, jurisdiction: str, key: str) -> dict[str, Any]:
        """Return one issue."""
        boards = self._boards(jurisdiction)
        if boards is None:
            raise BoardIssueNotFoundError(f"{jurisdiction} {key}")
        return boards.get(key)

    def _entries(
        self, jurisdiction: str, board: str, day: date
    ) -> list[dict[str, Any]]:
        """Return who is on the live board on the day, each with why: the
        records that put it there, or its grade."""
        grades = GradeReader(self.view, self.packs)
        entries = []
        for row in self.view.grades.list_on_board(board, jurisdiction, day):
            code = row["credit_code"]
            counted = grades.explain(code, day).counted
            records = [
                {
                    "record_id": effect.fact.record_id,
                    "document_number": effect.fact.get("document_number"),
                    "reason": effect.fact.get("reason") or "",
                }
                for effect in counted
                if effect.board == board or (board == "black" and effect.blacklists)
            ]
            entries.append(
                {
                    "credit_code": code,
                    "name": row["name"],
                    "project_code": None,
                    "grade": row["grade"],
                    "records": records,
                }
            )
        for project in projects_on_board(
            self.view, self.packs, board, jurisdiction, day
        ):
            entries.append(
                {
                    "credit_code": project["credit_code"],
                    "name": project["name"],
                    "project_code": project["project_code"],
                    "grade": None,
                    "records": [],
                }
            )
        return entries

    def _boards(self, jurisdiction: str) -> BoardIssues | None:
        try:
            found = self.app._get(boards_id(jurisdiction))
        except AggregateNotFoundError:
            return None
        return found if isinstance(found, BoardIssues) else None

    def _change(
        self,
        jurisdiction: str,
        change: Callable[[BoardIssues], Any],
        *,
        create: bool = False,
    ) -> Any:
        """Apply a change to the jurisdiction's boards and append it (see
        CreditService.change_retrying)."""

        def load() -> BoardIssues:
            boards = self._boards(jurisdiction)
            if boards is None:
                if not create:
                    raise BoardIssueNotFoundError(jurisdiction)
                boards = BoardIssues(jurisdiction=jurisdiction)
            return boards

        what = f"the boards of {jurisdiction}"
        return self.app.change_retrying(load, change, what)[1]


def standing_of(issue: dict[str, Any], day: date) -> dict[str, Any]:
    """Return the issue with where each entry stands on the day."""
    entries = []
    for entry in issue["entries"]:
        state = entry_state(issue, entry["credit_code"], day)
        entries.append(
            entry | {"state": state.state, "in_force_from": state.in_force_from}
        )
    objections = [
        {"credit_code": code} | objection
        for code, objection in sorted(issue["objections"].items())
    ]
    return issue | {"as_of_day": day, "entries": entries, "objections": objections}
