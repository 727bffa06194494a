"""A SQLite deployment never loads PostgreSQL's driver.

Importing psycopg was half of a rebuild worker's start and 11 MB of each
gunicorn worker, so the PostgreSQL view and recorder live in modules of
their own, imported only when PostgreSQL is configured. A fresh interpreter
is needed: this one has loaded psycopg for the fixtures.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.processes import fresh_sqlite, run_python

pytestmark = pytest.mark.slow  # child processes: the full suite only

# Serves the public disclosure page (read from the view), then does a rebuild
# worker's two tasks (the rows of a range of events, an enterprise's grade
# history) in this process, and prints every PostgreSQL module loaded.
SERVE_AND_GRADE = """
import io, pickle, sys
from functools import partial
from credit_svc import create_app
from credit_svc.usecases.application import CreditService
from credit_svc.projections import grading_worker
from credit_svc.projections.parallel_grading import HISTORIES, ROWS
from credit_svc.projections.projector import TOPICS

code = "91370602MA3C4K7Q11"
app = create_app()  # configured by the environment, as under gunicorn
page = app.test_client().get("/disclosure/", query_string={"q": code})
assert page.status_code == 200 and code in page.text, page.status_code
services = app.extensions["credit_svc"]
opened = (
    services.view.opened_with,
    services.view.db.dialect.prefix,
    tuple(services.projector.packs),
    partial(CreditService, services.env),
)
requests, answers = io.BytesIO(), io.BytesIO()
for message in (opened, (ROWS, (1, 20)), (HISTORIES, [code])):
    pickle.dump(message, requests)
requests.seek(0)
grading_worker.serve(requests, answers)
answers.seek(0)
rows, histories = pickle.load(answers), pickle.load(answers)
projected = sum(  # the demo's project events are not the grade view's
    1
    for n in services.app.recorder.select_notifications(1, 20, stop=20)
    if n.topic in TOPICS
)
assert 0 < len(rows) == projected and histories[code], (len(rows), histories)
postgres = ("psycopg", "eventsourcing.postgres")
print(",".join(m for m in sys.modules if m.startswith(postgres)))
"""


def test_a_sqlite_service_and_its_rebuild_workers_never_import_postgres(
    tmp_path: Path,
) -> None:
    env = fresh_sqlite(tmp_path, "init", "demo")

    assert run_python(env, SERVE_AND_GRADE).strip() == ""
