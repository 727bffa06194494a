"""Paired runs of bench/run.py: two checkouts alternating on one machine.

    .venv/bin/python bench/pairs.py BEFORE_DIR AFTER_DIR --pairs 6 -- --seconds 4
    .venv/bin/python bench/pairs.py BEFORE_DIR AFTER_DIR --pairs 6 -- --backend postgres
    .venv/bin/python bench/pairs.py B A --after-args="--subscriptions 2" -- --seconds 4

Each checkout runs its own bench with its own virtual environment
(DIR/.venv), `--pairs` times, before first in odd pairs and after first in
even ones (use an even number); every run's output is kept
beside this script's in a log directory. It prints, for each target figure,
the median of each side and the median of the pairs' after/before ratios:
the machine's speed moves between runs, and a ratio within a pair does not
see most of that.
"""

from __future__ import annotations

import argparse
import re
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

LINE = re.compile(
    r"^  (?P<name>.+?)\s+(?P<value>-?\d+(?:\.\d+)?)"
    r"(?P<rest>( req/s\s+p50\s+[\d.]+ ms\s+p99\s+(?P<p99>[\d.]+) ms.*)|(\s+target.*)|)$"
)
# (figure, what of it): "value" for a plain figure or a Load's req/s, "p99".
COMPARED = (
    ("grade throughput vs trivial", "value"),
    ("grade throughput vs trivial, platform key", "value"),
    ("grade throughput vs trivial, 20 writes/s", "value"),
    ("grade query", "p99"),
    ("batch of 200", "p99"),
    ("batch of 200, no answer cache", "p99"),
    ("as-of on 1,000 records", "p99"),
    ("as-of on 1,000 records, no answer cache", "p99"),
    ("rebuild beside the live view, events/s", "value"),
    ("ingestion, projector process vs raw append over HTTP", "value"),
    ("ingestion, projected in the request vs raw append over HTTP", "value"),
    (
        "ingestion with Idempotency-Key, projected in the request vs raw "
        "append over HTTP",
        "value",
    ),
    ("ingestion in batches, projector process vs raw append", "value"),
)


def figures(output: str) -> dict[str, dict[str, float]]:
    """Return a bench run's figures by name: its value, and p99 for a load."""
    found: dict[str, dict[str, float]] = {}
    for line in output.splitlines():
        match = LINE.match(line)
        if match:
            entry = {"value": float(match["value"])}
            if match["p99"]:
                entry["p99"] = float(match["p99"])
            found[match["name"]] = entry
    over_http = found.get("raw append over HTTP")
    ingestion = found.get("ingestion, projector process")
    if over_http and ingestion:  # older benches print no such ratio
        ratio = ingestion["value"] / over_http["value"]
        found["ingestion, projector process vs raw append over HTTP"] = {"value": ratio}
    return found


def run(
    checkout: Path, bench_args: list[str], log: Path
) -> dict[str, dict[str, float]]:
    """Run one checkout's bench; keep its output in the log file."""
    done = subprocess.run(
        [str(checkout / ".venv/bin/python"), "bench/run.py", *bench_args],
        cwd=checkout,
        capture_output=True,
        text=True,
        check=False,
    )
    log.write_text(done.stdout + done.stderr)
    if done.returncode != 0:
        sys.exit(f"bench failed in {checkout}: see {log}")
    return figures(done.stdout)


def main() -> None:
    """Run the pairs, then print the medians."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("before", type=Path)
    parser.add_argument("after", type=Path)
    parser.add_argument("--pairs", type=int, default=5)
    parser.add_argument(
        "--after-args",
        default="",
        help="more arguments for the after side's bench only (one it alone knows)",
    )
    argv = sys.argv[1:]
    split = argv.index("--") if "--" in argv else len(argv)
    args = parser.parse_args(argv[:split])
    bench_args = argv[split + 1 :]  # for bench/run.py
    logs = Path(tempfile.mkdtemp(prefix="credit-bench-pairs-"))
    pairs = []
    for number in range(1, args.pairs + 1):
        # Which side goes first alternates: the second run of a pair was
        # 10 to 20% slower whichever checkout it was (docs/performance.md).
        sides = [("before", args.before), ("after", args.after)]
        if number % 2 == 0:
            sides.reverse()
        extra = {"before": [], "after": args.after_args.split()}
        ran = {
            side: run(path, bench_args + extra[side], logs / f"{number}-{side}.log")
            for side, path in sides
        }
        pairs.append((ran["before"], ran["after"]))
        print(f"pair {number} done (logs in {logs})", flush=True)
    print(f"{'figure':58} {'before':>9} {'after':>9} {'after/before':>12}")
    for name, what in COMPARED:
        values = [
            (b[name][what], a[name][what])
            for b, a in pairs
            if what in b.get(name, {}) and what in a.get(name, {})
        ]
        if not values:
            continue
        shown = f"{name}{' p99 ms' if what == 'p99' else ''}"
        print(
            f"{shown:58} {statistics.median(v[0] for v in values):9.2f} "
            f"{statistics.median(v[1] for v in values):9.2f} "
            f"{statistics.median(a / b for b, a in values):12.3f}"
        )


if __name__ == "__main__":
    main()
