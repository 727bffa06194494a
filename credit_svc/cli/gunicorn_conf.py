"""gunicorn's hooks for `credit-svc serve` (`-c python:credit_svc.cli.gunicorn_conf`):
the bookkeeping of prometheus_client's multiprocess mode, and a word at start
when credit reports' PDFs would lack Chinese fonts.

gunicorn reads this module's globals as settings: only hooks live here.
"""

from __future__ import annotations

from typing import Any


def on_starting(server: Any) -> None:
    """Empty the metrics directory before the first worker: counts start at 0.
    Say so when no CJK font is installed (the PDFs would show boxes)."""
    import os
    from pathlib import Path

    from credit_svc.adapters.report_pdf import FONT_PACKAGES, cjk_fonts

    if not cjk_fonts():
        server.log.warning(
            "no CJK font is installed: credit report PDFs would show boxes for "
            "Chinese; install %s (Debian: apt-get install fonts-wqy-zenhei)",
            FONT_PACKAGES,
        )

    directory = Path(os.environ["PROMETHEUS_MULTIPROC_DIR"])
    directory.mkdir(parents=True, exist_ok=True)
    for stale in directory.glob("*.db"):
        stale.unlink()


def child_exit(_server: Any, worker: Any) -> None:
    """Let a dead worker's live gauges go (its counts stay in the sums)."""
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)  # type: ignore[no-untyped-call]
