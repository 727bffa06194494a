"""Rate limits under `gunicorn -w 2`: the totals hold across both workers,
with the counts in the default file and in Redis (SQLite and PostgreSQL)."""

from __future__ import annotations

import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

from tests.processes import start_service

pytestmark = pytest.mark.slow  # child processes: the full suite only

LIMIT = 40
REDIS = "redis://127.0.0.1:6379/0"


@pytest.mark.parametrize("storage", ["file", "redis"])
def test_totals_hold_across_two_workers(
    config: dict[str, Any], tmp_path: Path, storage: str
) -> None:
    uri = config["RATE_LIMIT_STORAGE_URI"] if storage == "file" else REDIS
    limits = {
        "RATE_LIMIT_PER_MINUTE": LIMIT,
        "FAILED_AUTH_PER_MINUTE": 5,
        "RATE_LIMIT_STORAGE_URI": uri,
        "RATE_LIMIT_KEY_PREFIX": f"test_{uuid.uuid4().hex}",  # Redis is shared
    }
    service = start_service(config | limits, tmp_path / "gunicorn.log", workers=2)
    try:
        with ThreadPoolExecutor(max_workers=8) as pool:  # both workers busy
            keyed = list(
                pool.map(lambda _: service.call("GET", "/rule-packs")[0], range(100))
            )
        service.token = f"csk_{uuid.uuid4().hex}_wrong"  # unknown: 401
        guessed = [service.call("GET", "/rule-packs")[0] for _ in range(8)]
    finally:
        service.kill()

    # The start-up check read /rule-packs once with the key: LIMIT - 1 left.
    assert keyed.count(200) == LIMIT - 1
    assert keyed.count(429) == 100 - LIMIT + 1
    assert guessed == [401] * 5 + [429] * 3
