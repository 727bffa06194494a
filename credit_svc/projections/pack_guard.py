"""A grade view is extended only under the rule packs it was computed under.

A projector left running on old packs after a rebuild under new ones would
otherwise mix two sets of rules in one view, and no grade would say so.
"""

from __future__ import annotations

from typing import Any

from credit_svc.projections.view import GradeView


class OtherRulePacksError(Exception):
    """The view was computed under other rule packs than the projector's."""


def check_packs(view: GradeView, cursor: Any, position: int, fingerprint: str) -> None:
    """Refuse to extend a view computed under packs of another fingerprint;
    record the fingerprint in a view computed from the first event on."""
    if position == 0:
        view.maintenance.record_rule_packs(cursor, fingerprint)
    elif view.maintenance.rule_packs_in(cursor) != fingerprint:
        raise OtherRulePacksError(
            "the grade view was computed under other rule packs than this "
            "process loaded: run `credit-svc rebuild --apply` with the packs "
            "in force, and restart projectors that run older ones"
        )
