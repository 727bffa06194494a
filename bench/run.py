"""Benchmarks of credit_svc against its own stack, every ratio measured in one run.

    .venv/bin/python bench/run.py                     # SQLite, 2,000 enterprises
    .venv/bin/python bench/run.py --backend postgres  # PostgreSQL (database `test`)

Prints, each measured in this run on this machine: grade-query throughput and
p99 under wrk as a ratio to a trivial Flask JSON endpoint on the same gunicorn
settings; a batch of 200; single-record ingestion over HTTP as a ratio to the
eventsourcing library's raw append rate on the same database; projection
rebuild rate; as-of queries on an enterprise with 1,000 records; and the peak
memory of a worker. Needs wrk (apt-get install wrk).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from psycopg import sql

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT)]

from bench.dataset import (  # noqa: E402 (after the path is set)
    AUTHORITY,
    DIVISIONS,
    credit_code,
    enterprise,
    generate,
    records_of,
)
from bench.raw import raw_append_rate  # noqa: E402
from bench.servers import Gunicorn, Projector, peak_worker_memory_mb  # noqa: E402
from bench.wrk import (  # noqa: E402
    Load,
    lua_post,
    lua_random_get,
    run_wrk,
    warm_up_for,
)
from credit_svc.config import DEFAULTS  # noqa: E402
from credit_svc.persistence import (  # noqa: E402
    connect_postgres,
    create_postgres_schema,
)
from credit_svc.projections.rebuild import rebuild  # noqa: E402
from credit_svc.services import Services, open_services  # noqa: E402

WARM_UP = 2  # seconds of unmeasured load before each read load (see run_wrk)
NO_CACHE = ", no answer cache"  # ends the names of figures with ANSWER_CACHE_SIZE=0
TARGETS = {
    "ingestion, projector process vs raw append": ">= 0.50",
    "grade throughput vs trivial": ">= 0.70",
    "grade query": "p99 < 20 ms",
    "batch of 200": "p99 < 50 ms",
    "rebuild beside the live view, events/s": ">= 20000",
    "as-of on 1,000 records": "p99 < 20 ms",
}


@dataclass
class Bench:
    """One run: its settings, its data set, and what it measured."""

    args: argparse.Namespace
    work: Path
    config: dict[str, Any]
    token: str = ""
    figures: dict[str, Any] = field(default_factory=dict)

    @property
    def codes(self) -> list[str]:
        """Return the credit codes of the data set's ordinary enterprises."""
        return [credit_code(s, d) for s, d in serials(self.args.enterprises)]

    @property
    def big(self) -> str:
        """Return the code of the enterprise with `--big` records."""
        return credit_code(*serials(self.args.enterprises + 1)[-1])

    def build(self, services: Services) -> None:
        """Append the data set, then project it: bulk and projection rates."""
        events, seconds = timed(
            lambda: sum(generate(services, self.args.enterprises, self.args.records))
        )
        self.figures["data set, events"] = events
        self.figures["bulk append, events/s"] = events / seconds
        company = enterprise(self.args.enterprises + 1)
        facts = records_of(company.credit_code, self.args.big, random.Random(2))
        services.app.save(company, *facts)
        applied, seconds = timed(lambda: services.projector.catch_up(services.view))
        # The live projector behind by the whole log: batches of 500, each
        # regrading the enterprises it touches (every batch, in recorded order).
        self.figures["live catch-up of the whole log, events/s"] = applied / seconds
        _, seconds = timed(lambda: rebuild(services).position)
        self.figures["rebuild beside the live view, events/s"] = applied / seconds

    def load(self, trivial: str, service: str, cache: str = "") -> None:
        """Drive the trivial endpoint (on the first call) and the service with wrk.

        `cache` names the answer cache's setting in the figures' names when the
        service runs without it: the cost of a first read.
        """
        c, s = self.args.connections, self.args.seconds
        if "trivial endpoint" not in self.figures:
            # Through the same kind of wrk script as the grades (a URL drawn per
            # request costs wrk, on the same cores, more than one fixed URL).
            drawn = self._get([f"/?credit_code={x}" for x in self.codes])
            base = run_wrk(
                trivial, connections=c, seconds=s, script=drawn, warm_up=WARM_UP
            )
            self.figures["trivial endpoint"] = base
        grades = self._get(
            [f"/enterprises/{x}/grade?as_of=2026-06-01" for x in self.codes]
        )
        if not cache:
            # Each worker keeps answers of its own: warm up until each has
            # drawn every code 4.6 times on average (99% of them found), so
            # that this measures kept answers, the run without them first reads.
            draws = round(4.6 * self.args.workers * len(self.codes))
            warm_up_for(service, requests=draws, connections=c, script=grades)
        warm_up = WARM_UP if cache else 0  # with answers kept: warmed up above
        grade = run_wrk(
            service, connections=c, seconds=s, script=grades, warm_up=warm_up
        )
        self.figures[f"grade query{cache}"] = grade
        ratio = grade.rps / self.figures["trivial endpoint"].rps
        self.figures[f"grade throughput vs trivial{cache}"] = ratio
        body = json.dumps({"credit_codes": self.codes[:200], "as_of": "2026-06-01"})
        batch = lua_post(self.work / "batch.lua", "/grades/batch", body, self._auth)
        self.figures[f"batch of 200{cache}"] = self._one_by_one(service, batch)
        as_of = self._get([f"/enterprises/{self.big}/grade?as_of=2026-06-01"])
        self.figures[f"as-of on 1,000 records{cache}"] = self._one_by_one(
            service, as_of
        )
        now = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")  # after the data set
        recorded = f"/enterprises/{self.big}/grade?as_of=2026-06-01&recorded_at={now}"
        self.figures[f"as recorded at, 1,000 records{cache}"] = self._one_by_one(
            service, self._get([recorded])
        )

    def ingest(self, service: str, name: str, paths: list[str] | None = None) -> None:
        """Post single records over HTTP, spread over enterprises (or to
        `paths`: the raw append behind the trivial endpoint's HTTP)."""
        body = (
            '{"business_date":"2026-05-01","authority":"' + AUTHORITY + '",'
            '"document_number":"HTTP-%d","category":"honour","level":"city","title":"t"}'
        )
        # Spread over the enterprises, as a bureau's day of records is.
        paths = paths or [
            f"/enterprises/{c}/records/good-credit-records" for c in self.codes[:500]
        ]
        body = body.replace("HTTP-", f"H{len(self.figures)}-")  # unique per run
        script = lua_post(self.work / "ingest.lua", paths, body, self._auth)
        load = run_wrk(service, connections=4, seconds=self.args.seconds, script=script)
        self.figures[name] = load
        raw = self.figures["raw append, events/s"]
        self.figures[f"{name} vs raw append"] = load.rps / raw

    @property
    def _auth(self) -> dict[str, str]:
        return {
            "Authorization": f"Bearer {self.token}",
            "Content-Type": "application/json",
        }

    def _get(self, urls: list[str]) -> Path:
        return lua_random_get(self.work / f"get-{len(urls)}-{time.time_ns()}.lua", urls)

    def _one_by_one(self, service: str, script: Path) -> Load:
        return run_wrk(
            service,
            connections=1,
            seconds=self.args.seconds,
            script=script,
            warm_up=WARM_UP,
        )

    def report(self) -> None:
        """Print every figure with its target."""
        a = self.args
        print(
            f"credit_svc bench: {a.backend}, {a.workers} gunicorn workers, "
            f"{a.connections} connections, {a.seconds}s per load, "
            f"{os.cpu_count()} cores"
        )
        for name, value in self.figures.items():
            goal = TARGETS.get(name.removesuffix(NO_CACHE))
            target = f"  target {goal}" if goal else ""
            print(f"  {name:40} {shown(value)}{target}")


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
    bench.token = cli(
        env,
        *("keys", "create", "--name", "bench", "--role", "bureau"),
        *("--authority", AUTHORITY, "--jurisdiction", "37", "--jurisdiction", "51"),
    ).splitlines()[-1]
    services = open_services(dict(DEFAULTS) | bench.config)
    bench.build(services)
    bench.figures["raw append, events/s"] = raw_append_rate(
        dict(DEFAULTS) | bench.config, 2000
    )
    with (
        Gunicorn("bench.trivial:app", env, args.workers) as trivial,
        Gunicorn("wsgi:app", env, args.workers) as service,
    ):
        bench.load(trivial.url, service.url)
        # The ceiling of ingestion over HTTP: the raw append behind Flask.
        bench.ingest(trivial.url, "raw append over HTTP", ["/notes"])
        bench.ingest(service.url, "ingestion, projected in the request")
        bench.figures["peak worker memory, MB"] = peak_worker_memory_mb(service.pid)
    uncached = env | {"CREDIT_SVC_ANSWER_CACHE_SIZE": "0"}
    with Gunicorn("wsgi:app", uncached, args.workers) as service:
        bench.load("", service.url, cache=NO_CACHE)
    lagging = env | {"CREDIT_SVC_PROJECT_IN_REQUEST": "false"}
    with (
        Gunicorn("wsgi:app", lagging, args.workers) as service,
        Projector(lagging),
    ):
        bench.ingest(service.url, "ingestion, projector process")
    services.close()


def remove_data(config: dict[str, Any], work: Path) -> None:
    """Drop the run's schemas (PostgreSQL) and its work directory (SQLite file,
    keys): every run makes new ones, and CI runs on the same machine."""
    if config["PERSISTENCE"] == "postgres":
        schema = config["POSTGRES_SCHEMA"]
        drop_postgres_schemas(config, schema, f"{schema}_raw")
    shutil.rmtree(work, ignore_errors=True)


def drop_postgres_schemas(config: dict[str, Any], *schemas: str) -> None:
    """Drop the schemas with everything in them."""
    with connect_postgres(dict(DEFAULTS) | config, autocommit=True) as conn:
        for schema in schemas:
            name = sql.Identifier(schema)
            conn.execute(sql.SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(name))


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
    return parser.parse_args()


def settings(args: argparse.Namespace, work: Path) -> dict[str, Any]:
    """Return the service settings of a fresh database for the run."""
    keys = {
        "SIGNING_KEY_FILE": str(work / "signing.pem"),
        "PERSONAL_DATA_KEY_FILE": str(work / "personal"),
        "RATE_LIMIT_PER_MINUTE": "0",
    }
    if args.backend == "sqlite":
        return keys | {"PERSISTENCE": "sqlite", "SQLITE_PATH": str(work / "b.sqlite3")}
    config = keys | {
        "PERSISTENCE": "postgres",
        "POSTGRES_DBNAME": os.environ.get("BENCH_POSTGRES_DBNAME", "test"),
        "POSTGRES_SCHEMA": f"bench_{uuid.uuid4().hex[:8]}",
    }
    create_postgres_schema(dict(DEFAULTS) | config)
    return config


def environment(config: dict[str, Any]) -> dict[str, str]:
    """Return the process environment with the run's CREDIT_SVC_* settings."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith("CREDIT_SVC_")}
    return clean | {f"CREDIT_SVC_{k}": str(v) for k, v in config.items()}


def cli(env: dict[str, str], *args: str) -> str:
    """Run `credit-svc` and return what it printed."""
    command = [str(Path(sys.executable).parent / "credit-svc"), *args]
    done = subprocess.run(command, env=env, cwd=ROOT, check=True, capture_output=True)
    return done.stdout.decode()


def serials(count: int) -> list[tuple[int, str]]:
    """Return (serial, division) of the data set's enterprises, as generated."""
    return [(s, DIVISIONS[s % len(DIVISIONS)]) for s in range(1, count + 1)]


def timed(action: Callable[[], int]) -> tuple[int, float]:
    """Run the action; return its count and the seconds it took."""
    start = time.perf_counter()
    count = action()
    return count, time.perf_counter() - start


def shown(value: Any) -> str:
    """Return a figure as one aligned column."""
    if isinstance(value, Load):
        return (
            f"{value.rps:9.1f} req/s  p50 {value.p50_ms:7.2f} ms  "
            f"p99 {value.p99_ms:7.2f} ms  errors {value.errors}"
        )
    if isinstance(value, float):
        return f"{value:12.2f}"
    return f"{value:>12}"


if __name__ == "__main__":
    main()
