"""Fewer garbage collections while a rebuild makes millions of short-lived rows.

CPython collects its youngest objects every 700 new containers (dicts, tuples,
events), and each collection of an older generation walks every object kept:
the modules, the rule packs and the cached standings. A rebuild's processes
make a few containers per event and drop them within a batch, so most of those
walks find nothing (see docs/performance.md).
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Final

YOUNG_THRESHOLD: Final = 20_000  # new containers between collections (700 by default)


@contextmanager
def paced_collections() -> Iterator[None]:
    """Leave what is loaded so far out of collections (it stays, and holds no
    garbage), and collect the young less often; as before on leaving."""
    young, *older = gc.get_threshold()
    gc.freeze()
    gc.set_threshold(max(young, YOUNG_THRESHOLD), *older)
    try:
        yield
    finally:
        gc.set_threshold(young, *older)
        gc.unfreeze()
