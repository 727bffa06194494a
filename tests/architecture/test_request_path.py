"""How many modules one POSTed inspection runs through (docs/architecture.md).

The count is a guard against the path growing back: lower CEILING as the
path shrinks. Print the path with `python -m tests.architecture.request_path`.
"""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient

from tests.architecture.request_path import inspection_path

# Served and projected in the request, on SQLite (docs/architecture.md).
CEILING = 57  # 50; own writes seen, the shared rate-limit store, request log, logs;
# the pack's scope of records naming projects (domain/project_rules.py); what
# overdue rectifications add (domain/rectification.py); the webhook outbox
# (projections/outbox.py), whose deliveries commit with the feed items


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
def test_one_posted_inspection_runs_through_at_most_the_ceiling(
    client: FlaskClient,
) -> None:
    path = inspection_path(client)

    assert len(path) <= CEILING, "\n".join(path)
    assert path.index("credit_svc.api.records") < path.index(
        "credit_svc.projections.projector"
    )
