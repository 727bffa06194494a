"""What one bench run measures: its data set, the loads wrk drives, its figures."""

from __future__ import annotations

import argparse
import json
import os
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench.dataset import (
    AUTHORITY,
    credit_code,
    enterprise,
    generate,
    records_of,
    serials,
)
from bench.steady_writer import steady_writes
from bench.workspace import json_auth
from bench.wrk import (
    Load,
    lua_post,
    lua_random_get,
    run_wrk,
    warm_up_for,
)
from credit_svc.projections.rebuild import rebuild
from credit_svc.services import Services

WARM_UP = 2  # seconds of unmeasured load before each read load (see run_wrk)
WRITES_PER_SECOND = 20  # a bureau's steady writes during one grade load
NO_CACHE = ", no answer cache"  # ends the names of figures with ANSWER_CACHE_SIZE=0
WITH_FUNCTIONS = "raw append, library's database functions, events/s"  # PostgreSQL
HTTP_CEILING = "raw append over HTTP"  # the library's append behind Flask
TARGETS = {
    f"ingestion, projector process vs {HTTP_CEILING}": ">= 0.50",
    "ingestion in batches, projector process vs raw append": ">= 1.00",
    "grade throughput vs trivial": ">= 0.70",
    "grade query": "p99 < 20 ms",
    "grade throughput vs trivial, platform key": ">= 0.70",
    "grade query, platform key": "p99 < 20 ms",
    "grade throughput vs trivial, 20 writes/s": ">= 0.70",
    "grade query, 20 writes/s": "p99 < 20 ms",
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
    token: str = ""  # a bureau's key, for writes and batches
    platform: str = ""  # a tender platform's key, for grade reads with a key
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
        # Once more, right after: one rebuild's time moved by a quarter from
        # run to run on these machines with no change on its path.
        _, seconds = timed(lambda: rebuild(services).position)
        self.figures["the same rebuild again, events/s"] = applied / seconds

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
        # The same reads as a tender platform makes them, with its key: the
        # key is checked on every request (kept per worker until an append).
        keyed = lua_random_get(
            self.work / f"keyed-{time.time_ns()}.lua",
            [f"/enterprises/{x}/grade?as_of=2026-06-01" for x in self.codes],
            {"Authorization": f"Bearer {self.platform}"},
        )
        grade = run_wrk(
            service, connections=c, seconds=s, script=keyed, warm_up=WARM_UP
        )
        self.figures[f"grade query, platform key{cache}"] = grade
        ratio = grade.rps / self.figures["trivial endpoint"].rps
        self.figures[f"grade throughput vs trivial, platform key{cache}"] = ratio
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
        if not cache:  # last: its writes would move the figures above
            # The same anonymous grade reads while a bureau writes 20 records a
            # second (each one a new version of the view: kept answers about
            # other firms stay, those about the written firm go).
            with steady_writes(service, self.token, self.codes, WRITES_PER_SECOND):
                grade = run_wrk(
                    service, connections=c, seconds=s, script=grades, warm_up=WARM_UP
                )
            self.figures["grade query, 20 writes/s"] = grade
            ratio = grade.rps / self.figures["trivial endpoint"].rps
            self.figures["grade throughput vs trivial, 20 writes/s"] = ratio

    def ingest(
        self,
        service: str,
        name: str,
        paths: list[str] | None = None,
        *,
        keyed: bool = False,
    ) -> None:
        """Post single records over HTTP, spread over enterprises (or to
        `paths`: the raw append behind the trivial endpoint's HTTP), each
        with an Idempotency-Key of its own if `keyed`."""
        body = (
            '{"business_date":"2026-05-01","authority":"' + AUTHORITY + '",'
            '"document_number":"HTTP-%d","category":"honour","level":"city","title":"t"}'
        )
        ours = paths is None  # the service, not the raw append behind Flask
        # Spread over the enterprises, as a bureau's day of records is.
        paths = paths or [
            f"/enterprises/{c}/records/good-credit-records" for c in self.codes[:500]
        ]
        run = f"H{len(self.figures)}-"  # unique per run
        body = body.replace("HTTP-", run)
        script = lua_post(
            self.work / "ingest.lua", paths, body, self._auth, run if keyed else ""
        )
        load = run_wrk(service, connections=4, seconds=self.args.seconds, script=script)
        self.figures[name] = load
        raw = self.figures["raw append, events/s"]
        self.figures[f"{name} vs raw append"] = load.rps / raw
        ceiling = self.figures.get(HTTP_CEILING)
        if ours and isinstance(ceiling, Load):
            self.figures[f"{name} vs {HTTP_CEILING}"] = load.rps / ceiling.rps
        if WITH_FUNCTIONS in self.figures and ours:
            with_functions = self.figures[WITH_FUNCTIONS]
            self.figures[f"{name} vs raw, database functions"] = (
                load.rps / with_functions
            )

    @property
    def _auth(self) -> dict[str, str]:
        return json_auth(self.token)

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
