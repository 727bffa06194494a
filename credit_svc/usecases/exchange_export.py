"""Exports to the national credit platform: a jurisdiction's administrative
penalties or red/black-list decisions in the national field set, whole or
since a log position, each checked against the field set's JSON Schema."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from jsonschema import Draft202012Validator, FormatChecker

from credit_svc.domain.calendar import add_months
from credit_svc.domain.disclosure import DisclosureRules
from credit_svc.domain.exchange import (
    KIND_OF,
    POSITION,
    ExchangeRecord,
    ExchangeStandard,
    FieldSet,
    Skipped,
    is_exchanged,
    json_schema,
    rows_of,
)
from credit_svc.domain.fact import RecordFact
from credit_svc.domain.record_status import Change
from credit_svc.domain.rulepack import RulePack
from credit_svc.domain.schedule import PackSchedule
from credit_svc.projections.codec import decode_facts
from credit_svc.projections.view import GradeView
from credit_svc.projections.view_schema import fact_of_row


class ExportInvalidError(Exception):
    """An export failed its own schema: a defect, never sent."""


@dataclass(frozen=True)
class Export:
    """One export: its rows, what was left out, and where to resume."""

    field_set: FieldSet
    standard: ExchangeStandard
    jurisdiction: str
    after: int | None  # None: the whole of it as it stands
    next_after: int
    rows: list[dict[str, str]]
    skipped: list[Skipped]

    def document(self) -> dict[str, Any]:
        """Return the export as its JSON file holds it."""
        return {
            "field_set": self.field_set.name,
            "standard": self.standard.version,
            "jurisdiction": self.jurisdiction,
            "full": self.after is None,
            "after": self.after,
            "next_after": self.next_after,
            "columns": list(self.field_set.columns),
            "rows": self.rows,
            "skipped": [
                {
                    "record_id": s.record_id,
                    "credit_code": s.credit_code,
                    "reason": s.reason,
                    "missing": list(s.missing),
                }
                for s in self.skipped
            ],
        }


class CreditExchange:
    """Makes exports from the grade view's records and their changes."""

    def __init__(
        self,
        view: GradeView,
        packs: Sequence[RulePack],
        standard: ExchangeStandard,
        tracking_name: str,
    ) -> None:
        self.view = view
        self.packs = packs
        self.standard = standard
        self.tracking_name = tracking_name

    def export(self, name: str, jurisdiction: str, after: int | None) -> Export:
        """Export a field set's records of a division prefix's firms: as they
        stand (after None), or what happened to them after a log position."""
        field_set = self.standard.field_sets[name]
        with self.view.db.reading_together() as cursor:
            position = self.view.db.position_in(cursor, self.tracking_name)
            records, changes = self._read(cursor, KIND_OF[name], jurisdiction)
        disclosure = self.packs[0].disclosure if self.packs else DisclosureRules()
        rows: list[tuple[int, dict[str, str]]] = []
        skipped: list[Skipped] = []
        for row in records:
            fact = fact_of_row(row)
            if not is_exchanged(field_set, fact):
                continue
            record = ExchangeRecord(
                record_id=str(row["record_id"]),
                position=int(row["position"]),
                recorded_at=str(row["recorded_at"]),
                enterprise_name=str(row["name"]),
                fact=fact,
                changes=tuple(changes.get(str(row["record_id"]), ())),
                valid_until=self._list_term_end(row["jurisdiction"], fact)
                if name == "list_decision"
                else None,
            )
            made, left = rows_of(field_set, record, disclosure, after)
            rows += [(int(r[POSITION]), r) for r in made]
            if left is not None:
                skipped.append(left)
        rows.sort(key=lambda pair: pair[0])
        export = Export(
            field_set,
            self.standard,
            jurisdiction,
            after,
            position,
            [r for _, r in rows],
            skipped,
        )
        check(export)
        return export

    def _read(
        self, cursor: Any, kind: str, jurisdiction: str
    ) -> tuple[list[dict[str, Any]], dict[str, list[tuple[int, str, Change]]]]:
        where = "r.kind = ? AND e.jurisdiction LIKE ?"
        params = (kind, f"{jurisdiction}%")
        records = self.view.db.all_in(
            cursor,
            "SELECT r.*, e.name, e.jurisdiction FROM {record} r "
            "JOIN {enterprise} e ON e.credit_code = r.credit_code "
            f"WHERE {where} ORDER BY r.position",
            params,
        )
        found = self.view.db.all_in(
            cursor,
            "SELECT c.* FROM {change} c JOIN {record} r ON r.record_id = c.record_id "
            "JOIN {enterprise} e ON e.credit_code = r.credit_code "
            f"WHERE {where} ORDER BY c.position",
            params,
        )
        changes: dict[str, list[tuple[int, str, Change]]] = defaultdict(list)
        for row in found:
            change = Change(row["change_type"], decode_facts(row["body"]))
            changes[str(row["record_id"])].append(
                (int(row["position"]), str(row["recorded_at"]), change)
            )
        return records, changes

    def _list_term_end(self, jurisdiction: str, fact: RecordFact) -> date | None:
        """Return the last day a list entry is in force by its term under the
        pack of its day (None where no pack covers it)."""
        pack = PackSchedule(jurisdiction, self.packs).pack_on(fact.business_date)
        if pack is None:
            return None
        ends = add_months(fact.business_date, pack.validity.months_for(fact))
        return ends - timedelta(days=1)


def check(export: Export) -> None:
    """Check the export against its field set's JSON Schema."""
    schema = json_schema(export.field_set, export.standard)
    validator = Draft202012Validator(schema, format_checker=FormatChecker())
    errors = sorted(validator.iter_errors(export.document()), key=str)
    if errors:
        raise ExportInvalidError(errors[0].message)
