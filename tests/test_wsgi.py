"""The gunicorn entry point, as a worker imports it."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.processes import fresh_sqlite, run_python

pytestmark = pytest.mark.slow  # child processes: the full suite only

LOADED = """
import gc
before = gc.get_freeze_count()
import wsgi
print(before, gc.get_freeze_count(), len(gc.get_objects()))
"""


def test_the_gunicorn_entry_point_leaves_what_it_loaded_out_of_collections(
    tmp_path: Path,
) -> None:
    env = fresh_sqlite(tmp_path, "init")

    before, frozen, collected = map(int, run_python(env, LOADED).split())

    # Everything the app was built from is frozen; what the collector still
    # walks is what was made after (here: nearly nothing).
    assert before == 0
    assert frozen > 50_000
    assert collected < frozen // 100
