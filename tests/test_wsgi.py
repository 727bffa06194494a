"""The gunicorn entry point, as a worker imports it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.processes import BIN, ROOT


def test_the_gunicorn_entry_point_leaves_what_it_loaded_out_of_collections(
    tmp_path: Path,
) -> None:
    env = {
        "CREDIT_SVC_SQLITE_PATH": str(tmp_path / "credit.sqlite3"),
        "CREDIT_SVC_SIGNING_KEY_FILE": str(tmp_path / "signing.pem"),
        "CREDIT_SVC_PERSONAL_DATA_KEY_FILE": str(tmp_path / "personal"),
    }
    subprocess.run([str(BIN / "credit-svc"), "init"], cwd=ROOT, env=env, check=True)
    loaded = (
        "import gc; before = gc.get_freeze_count(); import wsgi; "
        "print(before, gc.get_freeze_count(), len(gc.get_objects()))"
    )
    done = subprocess.run(
        [sys.executable, "-c", loaded],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    before, frozen, collected = map(int, done.stdout.split())
    # Everything the app was built from is frozen; what the collector still
    # walks is what was made after (here: nearly nothing).
    assert before == 0
    assert frozen > 50_000
    assert collected < frozen // 100
