"""How long a record counts: the validity rules of a rule pack."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from credit_svc.domain.fact import RecordFact
from credit_svc.domain.record import BAD_KINDS


@dataclass(frozen=True)
class Validity:
    """How long each kind of record counts from its business date."""

    default_months: int
    by_kind: Mapping[str, int]
    by_severity: Mapping[str, int]
    stated_term_overrides: bool
    # Severities whose records count past their validity until the recording
    # authority confirms rectification (capped by their disclosure period).
    until_rectified_severities: frozenset[str] = frozenset()

    def until_rectified(self, fact: RecordFact) -> bool:
        """Tell whether the record counts until rectified, not for a set term."""
        return (
            fact.kind in BAD_KINDS
            and fact.get("severity") in self.until_rectified_severities
        )

    def months_for(self, fact: RecordFact) -> int:
        """Return the months a record counts: stated term, severity, kind, default."""
        if self.stated_term_overrides and fact.term_months is not None:
            return fact.term_months
        severity = fact.get("severity")
        if fact.kind in BAD_KINDS and severity in self.by_severity:
            return self.by_severity[severity]
        return self.by_kind.get(fact.kind, self.default_months)
