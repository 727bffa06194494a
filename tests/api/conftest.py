"""Fixtures of the API tests beyond the suite's own (tests/conftest.py)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flask.testing import FlaskClient

from tests.factories import post_record, register


@pytest.fixture
def app_on(bureau_with: Callable[..., FlaskClient]) -> Callable[[str], FlaskClient]:
    """Return a factory of bureau clients whose service clock says a given day."""
    return lambda today: bureau_with(TODAY=today)


@pytest.fixture
def graded(client: FlaskClient) -> FlaskClient:
    """An enterprise with an honour (2025-03-01) and 8 bad points (2025-09-01),
    graded under the Yantai pack (see test_grades.py)."""
    register(client)
    post_record(client, "good_credit", business_date="2025-03-01")
    post_record(client, "bad_credit", business_date="2025-09-01", flags=[])
    return client
