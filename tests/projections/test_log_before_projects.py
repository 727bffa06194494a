"""A log written before projects were subjects (issue 31) still loads, and
regrades under the corrected packs: the project-blacklist erratum.

tests/data/log-before-projects.jsonl was exported by the code of 73a9e37 (the
commit before issue 31): a Mianyang firm with a blacklist entry naming its
project P-1, which that code read as the firm's; a Yantai firm with a black
board entry naming a project; another Yantai firm blacklisted as a whole.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from eventsourcing.persistence import StoredEvent
from flask import Flask
from flask.testing import FlaskClient

from credit_svc.adapters.export import read_lines
from credit_svc.cli import main
from credit_svc.services import Services
from tests.factories import MIANYANG, YANTAI, credit_code

pytestmark = pytest.mark.slow
OLD_LOG = Path(__file__).parents[1] / "data" / "log-before-projects.jsonl"
OTHER_YANTAI = credit_code(4, "370602")


def _load_old_log(services: Services) -> int:
    """Append the old log's stored events, byte for byte, to this store."""
    with OLD_LOG.open(encoding="utf-8") as lines:
        events, _ = read_lines(lines)
    services.app.recorder.insert_events(
        [
            StoredEvent(e.originator_id, e.originator_version, e.topic, e.state)
            for e in events
        ]
    )
    return len(events)


def _cli(app: Flask, *args: str) -> list[str]:
    result = app.test_cli_runner().invoke(main, list(args))
    assert result.exit_code == 0, result.output
    return result.output.splitlines()


def test_an_old_log_regrades_under_the_erratum_and_replays_identical(
    app: Flask, client: FlaskClient, services: Services, tmp_path: Path
) -> None:
    assert _load_old_log(services) == 16

    applied = _cli(app, "rebuild", "--apply")
    checked = _cli(app, "rebuild")
    exported = tmp_path / "log.jsonl"
    _cli(app, "export", str(exported))
    replayed = _cli(app, "replay", str(exported))

    assert applied[-1].startswith("result: DIFFERENT; live view replaced")
    assert checked[-1] == "result: IDENTICAL"
    assert replayed[-1] == "result: IDENTICAL"
    day = "as_of=2026-06-01"
    mianyang = client.get(f"/enterprises/{MIANYANG}/grade?{day}").json
    # After its project's black-board entry, before its own bad record.
    yantai = client.get(f"/enterprises/{YANTAI}/grade?as_of=2026-04-15").json
    other = client.get(f"/enterprises/{OTHER_YANTAI}/grade?{day}").json
    # The project's blacklisting no longer lists its firm; its score decides.
    assert (mianyang["blacklisted"], mianyang["grade"]) == (False, "AA")
    assert yantai["board"] is None  # a project's black board is the project's
    assert (other["blacklisted"], other["grade"]) == (True, "BL")  # firm-wide
    explained = client.get(f"/enterprises/{MIANYANG}/grade/explanation?{day}").json
    assert {(r["kind"], r["reason"]) for r in explained["not_counted"]} >= {
        ("list_entry", "counts against project P-1 only")
    }
