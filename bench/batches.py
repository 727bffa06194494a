"""Ingestion in batches: a bureau's records posted a hundred to a request.

Single-record ingestion is bound by what one request costs (docs/
performance.md); a batch pays for the request, the checks of the key and the
commit once for all of its records. Figures in records a second, so that they
compare with the raw append's events a second.
"""

from __future__ import annotations

import json

from bench.dataset import AUTHORITY
from bench.measures import Bench
from bench.workspace import json_auth
from bench.wrk import lua_post, run_wrk

RECORDS_PER_BATCH = 100


def ingest_batches(bench: Bench, service: str, name: str) -> None:
    """Post batches of good-credit records about the data set's enterprises
    over HTTP; figure the records a second, and their ratio to the raw append."""
    codes = bench.codes[:500]
    items = [
        {
            "kind": "good_credit",
            "credit_code": codes[(n * 37) % len(codes)],  # spread over the firms
            "business_date": "2026-05-01",
            "authority": AUTHORITY,
            # %d: made unique per request by the wrk script, n within it.
            "document_number": f"B{len(bench.figures)}-%d-{n}",
            "category": "honour",
            "level": "city",
            "title": "t",
        }
        for n in range(RECORDS_PER_BATCH)
    ]
    body = json.dumps({"records": items}, ensure_ascii=False, separators=(",", ":"))
    auth = json_auth(bench.token)
    script = lua_post(bench.work / "batches.lua", "/records/batch", body, auth)
    load = run_wrk(service, connections=4, seconds=bench.args.seconds, script=script)
    bench.figures[name] = load
    records = load.rps * RECORDS_PER_BATCH
    bench.figures[f"{name}, records/s"] = records
    bench.figures[f"{name} vs raw append"] = (
        records / bench.figures["raw append, events/s"]
    )
