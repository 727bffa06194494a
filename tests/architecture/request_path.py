"""Which modules of credit_svc run while one POSTed inspection is served and
projected: the path docs/architecture.md opens with, counted by a trace.

Run it on its own to print the path: `python -m tests.architecture.request_path`.
"""

from __future__ import annotations

import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from types import FrameType
from typing import Any

from flask.testing import FlaskClient

from tests.architecture.imports import PACKAGE, module_name


def modules_run(action: Callable[[], Any]) -> list[str]:
    """Return the package's modules whose code ran during the action, in the
    order they first ran (sys.setprofile sees every Python call)."""
    seen: dict[str, None] = {}
    root = str(PACKAGE)

    def profile(frame: FrameType, event: str, _arg: object) -> None:
        if event == "call" and frame.f_code.co_filename.startswith(root):
            seen.setdefault(module_name(Path(frame.f_code.co_filename)), None)

    sys.setprofile(profile)
    try:
        action()
    finally:
        sys.setprofile(None)
    return list(seen)


def inspection_path(client: FlaskClient) -> list[str]:
    """Return the modules one inspection's POST runs through, once the
    enterprise is registered and a first inspection has warmed the caches."""
    from tests.factories import post_record, register

    assert register(client).status_code == 201
    assert post_record(client, "inspection").status_code == 201
    answers: list[int] = []
    path = modules_run(
        lambda: answers.append(
            post_record(client, "inspection", document_number="检-2").status_code
        )
    )
    assert answers == [201]
    return path


def main() -> None:
    """Print the path of one POSTed inspection on a scratch SQLite database."""
    from credit_svc import create_app
    from credit_svc.adapters.receipts import create_key_file
    from credit_svc.config import DEFAULTS
    from credit_svc.services import open_services
    from credit_svc.usecases.api_keys import issue_key

    with tempfile.TemporaryDirectory() as scratch:
        key_file = Path(scratch) / "signing-key.pem"
        create_key_file(key_file)
        config = dict(DEFAULTS) | {
            "PERSISTENCE": "sqlite",
            "SQLITE_PATH": str(Path(scratch) / "credit.sqlite3"),
            "SIGNING_KEY_FILE": str(key_file),
        }
        opened = open_services(config, create_tables=True)
        _, token = issue_key(opened.app, "path", "bureau", "测试住建局", ("37",))
        opened.close()
        app = create_app(config)
        client = app.test_client()
        client.environ_base["HTTP_AUTHORIZATION"] = f"Bearer {token}"
        path = inspection_path(client)
        app.extensions["credit_svc"].close()
    sys.stdout.write("\n".join(path) + f"\n{len(path)} modules\n")


if __name__ == "__main__":
    main()
