"""A jurisdiction's statistics on a day, and the reports a bureau publishes
of them (季报/年报): read from the view, counted by domain/coverage.py."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from datetime import date
from typing import Any

from eventsourcing.application import AggregateNotFoundError

from credit_svc.domain.coverage import PartyRule, rule_on, statistics
from credit_svc.domain.errors import NoRulePackError
from credit_svc.domain.published_statistics import (
    PublishedStatistics,
    statistics_id,
)
from credit_svc.domain.rulepack import RulePack
from credit_svc.domain.schedule import packs_in_force
from credit_svc.projections.view import GradeView
from credit_svc.usecases.application import CreditService


def jurisdiction_statistics(
    view: GradeView,
    packs: Sequence[RulePack],
    party_rules: Sequence[PartyRule],
    jurisdiction: str,
    day: date,
) -> dict[str, Any]:
    """Return the statistics of the firms of a division prefix on the day."""
    rule = rule_on(party_rules, day)
    if rule is None:
        raise NoRulePackError(jurisdiction, day.isoformat())
    with view.db.reading_together() as cursor:
        firms = view.grades.enterprises_within(cursor, jurisdiction)
        facts = view.records.facts_of(cursor, list(firms))
    divisions = {code: firm["jurisdiction"] for code, firm in firms.items()}
    packs_of = packs_in_force(divisions, packs, day)
    counted = statistics(list(firms), facts, packs_of, day, rule.branch_members)
    return {"jurisdiction": jurisdiction} | counted


def as_csv(counted: dict[str, Any]) -> str:
    """Return the statistics as CSV rows: section, item, count."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["section", "item", "count"])
    writer.writerow(["firms", "", counted["firms"]])
    for section in ("grades", "party_organisation", "list_entries"):
        for item, count in counted[section].items():
            writer.writerow([section, item, count])
    for section in ("records_by_kind", "records_by_party"):
        for quarter, counts in counted[section].items():
            for item, count in counts.items():
                writer.writerow([f"{section} {quarter}", item, count])
    for item, count in counted["overdue_rectifications"].items():
        writer.writerow(["overdue_rectifications", item, count])
    return out.getvalue()


class StatisticsReports:
    """The reports a jurisdiction publishes."""

    def __init__(self, app: CreditService) -> None:
        self.app = app

    def published(self, jurisdiction: str) -> PublishedStatistics | None:
        """Return the jurisdiction's published reports, if any."""
        try:
            found = self.app._get(statistics_id(jurisdiction))
        except AggregateNotFoundError:
            return None
        return found if isinstance(found, PublishedStatistics) else None

    def publish(self, jurisdiction: str, period: str, **report: Any) -> dict[str, Any]:
        """Publish a period's report (see CreditService.change_retrying)."""
        reports, _ = self.app.change_retrying(
            lambda: (
                self.published(jurisdiction)
                or PublishedStatistics(jurisdiction=jurisdiction)
            ),
            lambda found: found.publish(period, **report),
            f"the statistics of {jurisdiction}",
        )
        return reports.reports[period]
