"""A long rebuild grades on every core: worker processes compute the grade
histories from the shadow's rows, the rebuild writes them. The result must be
the live view's, and a worker's failure must stop the rebuild, not hide."""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from credit_svc.cli import main
from credit_svc.projections import parallel_grading, shadow_build
from credit_svc.projections.event_rows import EventRows
from credit_svc.projections.parallel_grading import (
    GradingWorkerError,
    GradingWorkers,
    Histories,
    grading_workers,
)
from credit_svc.projections.shadow_build import ShadowMovedError
from credit_svc.projections.view import open_view
from credit_svc.projections.view_schema import REBUILD_PREFIX
from credit_svc.services import Services
from tests.projections.logs import interleaved_log

pytestmark = pytest.mark.slow  # child processes: the full suite only


@pytest.fixture
def two_cores(monkeypatch: pytest.MonkeyPatch) -> None:
    """Workers start on a machine with more than one core, and for any rebuild."""
    monkeypatch.setattr(os, "cpu_count", lambda: 2)
    monkeypatch.setattr(shadow_build, "PARALLEL_FROM_EVENTS", 1)


@pytest.fixture
def answered(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Return the credit codes the grading workers answered for, as they do."""
    codes: list[str] = []
    histories = GradingWorkers.histories

    def counted(
        self: GradingWorkers, groups: Sequence[Sequence[str]]
    ) -> Iterator[Histories]:
        for computed in histories(self, groups):
            codes.extend(computed)
            yield computed

    monkeypatch.setattr(GradingWorkers, "histories", counted)
    return codes


@pytest.fixture
def read_ranges(monkeypatch: pytest.MonkeyPatch) -> list[tuple[int, int]]:
    """Return the ranges of positions whose rows the workers read, in order."""
    ranges: list[tuple[int, int]] = []
    rows = GradingWorkers.rows

    def counted(
        self: GradingWorkers, asked: Sequence[tuple[int, int]]
    ) -> Iterator[list[EventRows]]:
        for positions, read in zip(asked, rows(self, asked), strict=True):
            ranges.append(positions)
            yield read

    monkeypatch.setattr(GradingWorkers, "rows", counted)
    return ranges


@pytest.mark.usefixtures("two_cores")
def test_a_rebuild_graded_by_workers_is_identical_to_the_live_view(
    app: Flask,
    client: FlaskClient,
    monkeypatch: pytest.MonkeyPatch,
    answered: list[str],
    read_ranges: list[tuple[int, int]],
) -> None:
    # Three groups of one over two workers, written two to a transaction; the
    # log read by the workers five positions at a time.
    monkeypatch.setattr(parallel_grading, "WORKER_CHUNK", 1)
    monkeypatch.setattr(parallel_grading, "CHUNK", 2)
    monkeypatch.setattr(shadow_build, "ROWS_BATCH", 5)
    codes = interleaved_log(client)
    end = app.extensions["credit_svc"].projector.last_position()

    result = app.test_cli_runner().invoke(main, ["rebuild"])

    assert result.exit_code == 0, result.output
    assert result.output.endswith("result: IDENTICAL\n")
    assert "segment: 0 rebuilt rows" not in result.output
    assert sorted(answered) == sorted(codes)
    ranges = [(low, min(low + 4, end)) for low in range(1, end + 1, 5)]
    assert read_ranges == ranges[shadow_build.READ_HERE_FIRST :]  # the first: here


@pytest.mark.usefixtures("two_cores")
def test_a_failing_worker_stops_the_grading_with_its_traceback(
    tmp_path: Path, services: Services
) -> None:
    env = {
        "PERSISTENCE_MODULE": "eventsourcing.sqlite",
        "SQLITE_DBNAME": str(tmp_path / "no-view.sqlite3"),  # no tables in it
    }
    empty = open_view(env, prefix=REBUILD_PREFIX)
    try:
        with grading_workers(empty, services.packs) as workers:
            assert workers is not None
            with pytest.raises(GradingWorkerError, match="no such table"):
                next(workers.histories([("91370602MA0000001X",)]))
    finally:
        empty.close()


@pytest.mark.usefixtures("two_cores")
def test_a_rebuild_that_fails_while_grading_ends_its_workers(
    app: Flask, client: FlaskClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(parallel_grading, "WORKER_CHUNK", 1)  # answers left unread
    started: list[GradingWorkers] = []
    start = GradingWorkers.__init__

    def kept(self: GradingWorkers, *args: Any) -> None:
        start(self, *args)
        started.append(self)

    def failing(*_: object) -> Histories:
        raise RuntimeError("the database went away")

    monkeypatch.setattr(GradingWorkers, "__init__", kept)
    monkeypatch.setattr(parallel_grading, "replace_changed", failing)
    interleaved_log(client)

    result = app.test_cli_runner().invoke(main, ["rebuild"])

    assert str(result.exception) == "the database went away"
    assert [len(workers.processes) for workers in started] == [2]
    assert all(p.returncode is not None for p in started[0].processes)


@pytest.mark.usefixtures("two_cores")
def test_an_auditors_replay_grades_through_workers_too(
    app: Flask,
    client: FlaskClient,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    answered: list[str],
) -> None:
    # The replay's scratch view is a SQLite file of its own: workers open it.
    monkeypatch.setattr(parallel_grading, "WORKER_CHUNK", 1)
    codes = interleaved_log(client)
    exported = tmp_path / "log.jsonl"
    runner = app.test_cli_runner()
    assert runner.invoke(main, ["export", str(exported)]).exit_code == 0

    result = runner.invoke(main, ["replay", str(exported)])

    assert result.exit_code == 0, result.output
    assert "segment: 3 subjects compared, 0 different" in result.output
    assert result.output.endswith("result: IDENTICAL\n")
    assert sorted(answered) == sorted(codes)


@pytest.mark.usefixtures("two_cores")
def test_a_rebuild_stops_if_its_shadow_moves_while_workers_read(
    app: Flask, client: FlaskClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    services = app.extensions["credit_svc"]
    name, rows = f"{services.app.name}:rebuild", GradingWorkers.rows
    monkeypatch.setattr(shadow_build, "ROWS_BATCH", 5)
    read_here = 5 * shadow_build.READ_HERE_FIRST  # before the workers' first rows

    def another_rebuild_writes_first(
        self: GradingWorkers, asked: Sequence[tuple[int, int]]
    ) -> Iterator[list[EventRows]]:
        shadow = open_view(services.env, prefix=REBUILD_PREFIX)
        with shadow.db.locked(name) as (cursor, position):
            shadow.db.set_position(cursor, name, position + 1)
        shadow.db.datastore.close()
        yield from rows(self, asked)

    monkeypatch.setattr(GradingWorkers, "rows", another_rebuild_writes_first)
    interleaved_log(client, lifecycle=False)

    result = app.test_cli_runner().invoke(main, ["rebuild"])

    assert isinstance(result.exception, ShadowMovedError)
    moved = f"moved to position {read_here + 1} while being built up to {read_here}"
    assert moved in str(result.exception)


@pytest.mark.usefixtures("two_cores")
def test_workers_run_below_the_rebuilding_process(
    client: FlaskClient, services: Services
) -> None:
    codes = interleaved_log(client)
    with grading_workers(services.view, services.packs) as workers:
        assert workers is not None
        # One request each (they are dealt out in turn): both are up and serving.
        answers = workers.histories([[code] for code in codes[:2]])
        assert [set(answer) for answer in answers] == [{codes[0]}, {codes[1]}]
        ours = os.getpriority(os.PRIO_PROCESS, 0)
        theirs = [os.getpriority(os.PRIO_PROCESS, p.pid) for p in workers.processes]
    assert theirs == [min(ours + parallel_grading.WORKER_NICENESS, 19)] * 2
