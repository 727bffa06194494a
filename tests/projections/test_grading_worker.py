"""A grading worker over its pipes: the rows of a range of positions, the grade
histories of a group of enterprises, and what it imports to start."""

from __future__ import annotations

import io
import os
import pickle
from functools import partial

import pytest
from flask.testing import FlaskClient

from credit_svc.projections import grading_worker
from credit_svc.projections.parallel_grading import (
    HISTORIES,
    ROWS,
)
from credit_svc.services import Services
from credit_svc.usecases.application import CreditService
from tests.processes import run_python
from tests.projections.logs import interleaved_log

pytestmark = pytest.mark.slow  # child processes: the full suite only


def test_a_worker_answers_each_group_with_its_grade_histories(
    client: FlaskClient, services: Services
) -> None:
    codes = interleaved_log(client)
    view = services.view
    requests = io.BytesIO(
        pickle.dumps((view.opened_with, view.db.dialect.prefix, services.packs, None))
        + pickle.dumps((HISTORIES, codes[:2]))
        + pickle.dumps((HISTORIES, codes[2:]))
    )
    answers = io.BytesIO()

    grading_worker.serve(requests, answers)

    answers.seek(0)
    first, second = pickle.load(answers), pickle.load(answers)
    with view.db.datastore.transaction(commit=False) as cursor:
        stored = view.grades.segment_rows_of(cursor, codes)
    assert (sorted(first), sorted(second)) == (sorted(codes[:2]), codes[2:])
    assert first | second == stored


def test_a_worker_answers_a_range_of_positions_with_the_rows_of_its_events(
    client: FlaskClient, services: Services
) -> None:
    interleaved_log(client)
    end = services.projector.last_position()
    view, reopen_log = services.view, partial(CreditService, services.env)
    requests = io.BytesIO(
        pickle.dumps(
            (view.opened_with, view.db.dialect.prefix, services.packs, reopen_log)
        )
        + pickle.dumps((ROWS, (1, 3)))
        + pickle.dumps((ROWS, (4, end)))
    )
    answers = io.BytesIO()

    grading_worker.serve(requests, answers)

    answers.seek(0)
    first, second = pickle.load(answers), pickle.load(answers)
    assert max(r.position for r in first) <= 3 < min(r.position for r in second)
    assert first + second == services.projector.rows_between(1, end)
    assert {rows.kind for rows in second} >= {"enterprise", "record", "change"}


def test_a_worker_starts_without_flask_the_api_and_the_pack_loader() -> None:
    # Half of a worker's start went to importing them, while the rebuild waited;
    # it is sent packs already loaded, so YAML and marshmallow are a sixth more.
    imports = (
        "import sys, credit_svc.projections.grading_worker; print(sorted(sys.modules))"
    )

    modules = run_python(dict(os.environ), imports).split("'")

    assert "credit_svc.projections.grading_worker" in modules
    assert "flask" not in modules
    assert "credit_svc.api" not in modules
    assert "yaml" not in modules
    assert "marshmallow" not in modules
