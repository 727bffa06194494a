"""A rebuild collects garbage less often while it runs, and as before after it."""

from __future__ import annotations

import gc

from credit_svc.projections.collections_paced import YOUNG_THRESHOLD, paced_collections


def test_collections_are_paced_inside_and_as_before_after() -> None:
    before = gc.get_threshold()
    assert gc.get_freeze_count() == 0

    with paced_collections():
        inside = gc.get_threshold()
        frozen = gc.get_freeze_count()
        garbage: list[object] = []
        garbage.append(garbage)  # a cycle made inside is still collectable
        del garbage
        found = gc.collect()

    assert inside == (YOUNG_THRESHOLD, *before[1:])
    assert frozen > 1000  # the modules and objects loaded so far
    assert found >= 1
    assert gc.get_threshold() == before
    assert gc.get_freeze_count() == 0
