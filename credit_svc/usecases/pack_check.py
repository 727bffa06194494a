"""Whether the grade view was computed under the rule packs this process loaded.

A new pack version changes grades from its effective date, but the projector
regrades only the enterprises it touches afterwards; until `credit-svc rebuild
--apply` recomputes the rest, the view mixes old rules and new. The view
records the fingerprint of the packs it was computed under (projector.py);
this compares it with the packs loaded, at most every few seconds.
"""

from __future__ import annotations

import time
from typing import Final

from credit_svc.projections.view import GradeView

RECHECK_SECONDS: Final = 5.0  # how soon a rebuild --apply is noticed


class PackCheck:
    """Caches, per process, whether the view fits the loaded packs."""

    def __init__(self, view: GradeView, tracking_name: str, fingerprint: str) -> None:
        self.view = view
        self.tracking_name = tracking_name
        self.fingerprint = fingerprint
        self._fits = False
        self._until = 0.0  # monotonic time of the next look at the view

    def view_fits(self) -> bool:
        """Tell whether the view was computed under the loaded packs.

        An empty view fits any packs. A view that records no packs but holds
        events was made before views recorded them: it must be rebuilt once.
        """
        now = time.monotonic()
        if now >= self._until:
            with self.view.db.datastore.transaction(commit=False) as cursor:
                recorded = self.view.maintenance.rule_packs_in(cursor)
                empty = self.view.db.position_in(cursor, self.tracking_name) == 0
            self._fits = recorded == self.fingerprint or (recorded is None and empty)
            self._until = now + RECHECK_SECONDS
        return self._fits
