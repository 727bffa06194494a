"""Benchmarks of credit_svc against its own stack, every ratio measured in one run.

    .venv/bin/python bench/run.py                     # SQLite, 2,000 enterprises
    .venv/bin/python bench/run.py --backend postgres  # PostgreSQL (database `test`)

Prints, each measured in this run on this machine: grade-query throughput and
p99 under wrk as a ratio to a trivial Flask JSON endpoint on the same gunicorn
settings (anonymous, with a tender platform's key, and while a bureau writes
20 records a second); a batch of 200;
single-record ingestion over HTTP as a ratio to the eventsourcing library's
raw append rate on the same database (and that append behind the trivial
endpoint's HTTP, the ceiling of ingestion, and the service's appends with
nothing projecting them), and records posted a hundred to a request (bench/
batches.py); projection rebuild rate; as-of queries on an
enterprise with 1,000 records; and the peak memory of a worker. Needs wrk
(apt-get install wrk).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT)]

from bench.batches import ingest_batches  # noqa: E402 (after the path is set)
from bench.measures import (  # noqa: E402
    NO_CACHE,
    WITH_FUNCTIONS,
    Bench,
)
from bench.raw import raw_append_rate  # noqa: E402
from bench.servers import Gunicorn, Projector, peak_worker_memory_mb  # noqa: E402
from bench.workspace import (  # noqa: E402
    bureau_token,
    cli,
    environment,
    platform_token,
    remove_data,
    settings,
)
from credit_svc.adapters.secret_box import load_secret_box  # noqa: E402
from credit_svc.config import DEFAULTS  # noqa: E402
from credit_svc.services import Services, open_services  # noqa: E402
from credit_svc.usecases.deliveries import ITEM_TYPES, Subscriptions  # noqa: E402

KEYED = "ingestion with Idempotency-Key, projected in the request"


def main() -> None:
    """Build the data set, start the servers, measure, print; remove the data."""
    args = arguments()
    work = Path(tempfile.mkdtemp(prefix="credit-bench-"))
    bench = Bench(args, work, settings(args, work))
    try:
        measure(bench)
    finally:
        remove_data(bench.config, work)
    bench.report()


def measure(bench: Bench) -> None:
    """Fill in every figure of the bench."""
    args, env = bench.args, environment(bench.config)
    cli(env, "init")
    bench.token = bureau_token(env, "bench")
    bench.platform = platform_token(env, "bench platform")
    services = open_services(dict(DEFAULTS) | bench.config)
    bench.build(services)
    subscribe(services, bench.config, args.subscriptions)
    bench.figures["raw append, events/s"] = raw_append_rate(
        dict(DEFAULTS) | bench.config, 2000
    )
    if args.backend == "postgres":
        # The service appends through a function in the server (one statement
        # per write); the library can too, when asked: its rate that way.
        bench.figures[WITH_FUNCTIONS] = raw_append_rate(
            dict(DEFAULTS) | bench.config, 2000, db_functions=True
        )
    with (
        Gunicorn("bench.trivial:app", env, args.workers) as trivial,
        Gunicorn("wsgi:app", env, args.workers) as service,
    ):
        bench.load(trivial.url, service.url)
        # The ceiling of ingestion over HTTP: the raw append behind Flask.
        bench.ingest(trivial.url, "raw append over HTTP", ["/notes"])
        bench.ingest(service.url, "ingestion, projected in the request")
        bench.ingest(service.url, KEYED, keyed=True)
        bench.figures["peak worker memory, MB"] = peak_worker_memory_mb(service.pid)
        # Last: a batch's regrade of 100 firms in one request raises the peak.
        ingest_batches(bench, service.url, "ingestion in batches of 100")
        bench.figures["peak worker memory with batches, MB"] = peak_worker_memory_mb(
            service.pid
        )
    uncached = env | {"CREDIT_SVC_ANSWER_CACHE_SIZE": "0"}
    with Gunicorn("wsgi:app", uncached, args.workers) as service:
        bench.load("", service.url, cache=NO_CACHE)
    lagging = env | {"CREDIT_SVC_PROJECT_IN_REQUEST": "false"}
    with (
        Gunicorn("wsgi:app", lagging, args.workers) as service,
        Projector(lagging),
    ):
        bench.ingest(service.url, "ingestion, projector process")
        ingest_batches(bench, service.url, "ingestion in batches, projector process")
    # The same appends with nothing projecting them (the view left behind, at
    # the end of the run): how much of the ceiling the write path alone keeps.
    with Gunicorn("wsgi:app", lagging, args.workers) as service:
        bench.ingest(service.url, "ingestion, appends alone (none projected)")
    services.close()


def subscribe(services: Services, config: dict[str, Any], count: int) -> None:
    """Register webhook subscriptions to every item: each write then also
    queues that many deliveries in the outbox (nobody sends them here)."""
    box = load_secret_box(Path(config["SERVER_KEY_FILE"]))
    for number in range(count):
        Subscriptions(services.view.outbox, lambda: box).register(
            url=f"http://127.0.0.1:9/bench-{number}",
            item_types=ITEM_TYPES,
            jurisdictions=(),
            secret="bench-secret-0123456789",
            created_by="bench",
            now=datetime.now(UTC),
        )


def arguments() -> argparse.Namespace:
    """Read the command line."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--backend", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--enterprises", type=int, default=2000)
    parser.add_argument("--records", type=int, default=20, help="per enterprise")
    parser.add_argument("--big", type=int, default=1000, help="records of one firm")
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument(
        "--subscriptions",
        type=int,
        default=0,
        help="webhook subscriptions to every item, registered before the loads",
    )
    return parser.parse_args()


if __name__ == "__main__":
    main()
