"""gunicorn's hooks for `credit-svc serve` (`-c python:credit_svc.cli.gunicorn_conf`):
the bookkeeping of prometheus_client's multiprocess mode.

gunicorn reads this module's globals as settings: only hooks live here.
"""

from __future__ import annotations

from typing import Any


def on_starting(_server: Any) -> None:
    """Empty the metrics directory before the first worker: counts start at 0."""
    import os
    from pathlib import Path

    directory = Path(os.environ["PROMETHEUS_MULTIPROC_DIR"])
    directory.mkdir(parents=True, exist_ok=True)
    for stale in directory.glob("*.db"):
        stale.unlink()


def child_exit(_server: Any, worker: Any) -> None:
    """Let a dead worker's live gauges go (its counts stay in the sums)."""
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)  # type: ignore[no-untyped-call]
