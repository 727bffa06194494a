"""kill -9 between a keyed write's commit and its answer: the retry gets the
first answer, and the write is applied once (SQLite and PostgreSQL, gunicorn)."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.factories import YANTAI, record_body
from tests.processes import ROOT, Service, start_service
from tests.test_faults import ENTERPRISE

pytestmark = pytest.mark.slow  # child processes: the full suite only

RECORDS = f"/enterprises/{YANTAI}/records/bad-credit-records"


@pytest.fixture
def service(config: dict[str, Any], tmp_path: Path) -> Iterator[Service]:
    """Gunicorn (one worker) that pauses requests marked X-Test-Pause after
    their commit (tests/pause_after_commit.py), an enterprise registered."""
    running = start_service(config, tmp_path / "gunicorn.log", 1)
    running.kill()
    running.env["CREDIT_SVC_TEST_PAUSED"] = str(tmp_path / "paused")
    running.options = ["-c", str(ROOT / "tests" / "pause_after_commit.py")]
    running.start()
    assert running.call("POST", "/enterprises", ENTERPRISE)[0] == 201
    yield running
    running.kill()


def _killed_after_commit(service: Service, path: str, body: Any, key: str) -> str:
    """Send the keyed write marked to pause, kill -9 the service once it has
    committed, start it again; return what the pause noted (the position a
    new record committed at; None for a change)."""
    paused = Path(service.env["CREDIT_SVC_TEST_PAUSED"])
    paused.unlink(missing_ok=True)
    sent = threading.Thread(
        target=_send_unanswered, args=(service, path, body, key), daemon=True
    )
    sent.start()
    deadline = time.monotonic() + 20
    while not paused.exists() and time.monotonic() < deadline:
        time.sleep(0.02)
    assert paused.exists(), "the write never reached its commit"
    noted = paused.read_text()
    service.kill()
    sent.join(timeout=10)
    service.start()
    return noted


def _send_unanswered(service: Service, path: str, body: Any, key: str) -> None:
    try:
        service.call("POST", path, body, Idempotency_Key=key, X_Test_Pause="1")
    except OSError:
        return  # the service was killed under it: no answer, as intended
    pytest.fail("the paused write was answered")


def test_a_record_killed_before_its_answer_gets_it_on_retry(
    service: Service,
) -> None:
    body = record_body("bad_credit", document_number="崩-1")
    position = int(_killed_after_commit(service, RECORDS, body, "crash-1"))

    status, answer = service.call("POST", RECORDS, body, Idempotency_Key="crash-1")
    records = service.call("GET", f"/enterprises/{YANTAI}/records")[1]

    assert status == 201, answer
    assert answer["position"] == position
    assert answer["document_number"] == "崩-1"
    assert [r["document_number"] for r in records] == ["崩-1"]
    assert service.call("GET", "/log/head")[1]["position"] == position


def test_a_correction_killed_before_its_answer_is_applied_once(
    service: Service,
) -> None:
    body = record_body("bad_credit", document_number="崩-2")
    record = service.call("POST", RECORDS, body)[1]["record_id"]
    path = f"/records/{record}/corrections"

    def correction(points: str) -> dict[str, Any]:
        return {
            "authority": "测试住建局",
            "document_number": f"更正-{points}",
            "reason": "复核",
            "changes": {"points": points},
        }

    _killed_after_commit(service, path, correction("6"), "fix-x")
    later = service.call("POST", path, correction("7"), Idempotency_Key="fix-y")
    status, answer = service.call(
        "POST", path, correction("6"), Idempotency_Key="fix-x"
    )
    now = service.call("GET", f"/records/{record}")[1]

    assert (later[0], status) == (201, 201)
    assert answer["details"]["points"] == "6"  # the record as X left it
    assert answer["status"]["corrections"] == 1
    assert now["details"]["points"] == "7"  # Y stands: X was not applied again
    assert now["status"]["corrections"] == 2
