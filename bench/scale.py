"""Scale run: grow the data set in steps; show what grows with it and what must not.

    .venv/bin/python bench/scale.py --backend postgres --steps 20000 200000
    .venv/bin/python bench/scale.py --steps 20000 200000 --records 3   # SQLite

At each step the data set grows to the step's number of enterprises (each with
two projects and `--records` records, appended in recorded order: see
dataset.py), the grade view is rebuilt from the whole log and replaces the
live one (`credit-svc rebuild --apply`, the way to project a long log), and
the run prints: events in the log, database size, the append rate, the
rebuild's time and rate, and the grade query over HTTP (gunicorn, wrk) on
codes drawn from every enterprise so far: p50/p99 at one connection,
throughput at 32; then, with no answer kept (every request reads the view),
the grade query and a batch of 200 codes drawn from them all, at one
connection. Grade reads go by primary key and by (credit_code, starts_on),
so their latency should stay flat while the data set grows tenfold.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT)]

from bench.dataset import credit_code, generate, serials  # noqa: E402
from bench.measures import shown  # noqa: E402
from bench.servers import Gunicorn  # noqa: E402
from bench.workspace import (  # noqa: E402
    bureau_token,
    cli,
    environment,
    json_auth,
    remove_data,
    settings,
)
from bench.wrk import lua_post, lua_random_get, run_wrk  # noqa: E402
from credit_svc.config import DEFAULTS  # noqa: E402
from credit_svc.projections.rebuild import rebuild  # noqa: E402
from credit_svc.services import Services, open_services  # noqa: E402


def database_mb(services: Services, config: dict[str, Any]) -> float:
    """Return the size of the database (tables and indexes) in MB."""
    if config["PERSISTENCE"] == "sqlite":
        files = Path(config["SQLITE_PATH"]).parent.glob("*.sqlite3*")
        return sum(f.stat().st_size for f in files) / 2**20
    with services.view.db.datastore.transaction(commit=False) as cursor:
        cursor.execute(
            "SELECT COALESCE(SUM(pg_total_relation_size(c.oid)), 0) AS size "
            "FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname = %s AND c.relkind = 'r'",
            (config["POSTGRES_SCHEMA"],),
        )
        return float(dict(cursor.fetchone())["size"]) / 2**20


def grade_load(
    env: dict[str, str], work: Path, enterprises: int, seconds: int, token: str
) -> str:
    """Return grade-query latency at 1 connection and throughput at 32, then,
    with no answer kept, the grade query's and a batch of 200's latency."""
    rng = random.Random(enterprises)
    picked = rng.sample(serials(enterprises), min(5000, enterprises))
    urls = [
        f"/enterprises/{credit_code(s, d)}/grade?as_of=2026-06-01" for s, d in picked
    ]
    script = lua_random_get(work / f"scale-{enterprises}.lua", urls)
    with Gunicorn("wsgi:app", env, 4) as service:
        one = run_wrk(
            service.url, connections=1, seconds=seconds, script=script, warm_up=2
        )
        many = run_wrk(service.url, connections=32, seconds=seconds, script=script)
    # Kept answers are a lookup whatever the size: without them, each request
    # reads the view, which is what must not slow down as it grows.
    codes = [credit_code(s, d) for s, d in rng.sample(picked, min(200, len(picked)))]
    body = json.dumps({"credit_codes": codes, "as_of": "2026-06-01"})
    batch = lua_post(
        work / f"batch-{enterprises}.lua", "/grades/batch", body, json_auth(token)
    )
    fresh = env | {"CREDIT_SVC_ANSWER_CACHE_SIZE": "0"}
    with Gunicorn("wsgi:app", fresh, 4) as service:
        read = run_wrk(
            service.url, connections=1, seconds=seconds, script=script, warm_up=2
        )
        batched = run_wrk(
            service.url, connections=1, seconds=seconds, script=batch, warm_up=2
        )
    return (
        f"1 conn: {shown(one)}\n      32 conns: {shown(many)}\n"
        f"      none kept, 1 conn: {shown(read)}\n"
        f"      none kept, batch of 200, 1 conn: {shown(batched)}"
    )


def main() -> None:
    """Grow the data set step by step and measure at each step."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--backend", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--steps", type=int, nargs="+", default=[20_000, 200_000])
    parser.add_argument("--records", type=int, default=3, help="per enterprise")
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument(
        "--keep",
        action="store_true",
        help="keep the database afterwards (PostgreSQL schema or SQLite file)",
    )
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="credit-scale-"))
    config = settings(args, work)
    env = environment(config)
    cli(env, "init")
    token = bureau_token(env, "scale")
    services = open_services(dict(DEFAULTS) | config)
    print(f"credit_svc scale run: {args.backend}, {args.records} records per firm")
    done, events = 0, 0
    for step in args.steps:
        start = time.perf_counter()
        added = sum(counted(generate(services, step, args.records, first=done + 1)))
        appending = time.perf_counter() - start
        done, events = step, events + added
        start = time.perf_counter()
        report = rebuild(services, apply=True, progress=Progress("replayed"))
        rebuilding = time.perf_counter() - start
        print(
            f"  {step:>8} enterprises, {events:>9} events, "
            f"database {database_mb(services, config):8.0f} MB\n"
            f"      appended {added} events at {added / appending:6.0f} events/s "
            f"({appending / 60:.1f} min)\n"
            f"      rebuilt from {report.position} events in "
            f"{rebuilding / 60:.1f} min, {report.position / rebuilding:6.0f} "
            "events/s (rows, grades, comparison, live view replaced)\n"
            f"      {grade_load(env, work, step, args.seconds, token)}",
            flush=True,
        )
    services.close()
    if not args.keep:  # a national-size run leaves gigabytes behind
        remove_data(config, work)


class Progress:
    """Print a line every million events (a national-size step runs for an hour)."""

    def __init__(self, label: str = "projected") -> None:
        self.label, self.done, self.start = label, 0, time.perf_counter()

    def __call__(self, count: int) -> None:
        before, self.done = self.done, self.done + count
        if before // 1_000_000 != self.done // 1_000_000:
            rate = self.done / (time.perf_counter() - self.start)
            print(f"      .. {self.label} {self.done} ({rate:.0f}/s)", flush=True)


def counted(transactions: Iterator[int]) -> Iterator[int]:
    """Pass on the appended counts, printing progress on the way."""
    progress = Progress("appended")
    for count in transactions:
        progress(count)
        yield count


if __name__ == "__main__":
    main()
