"""Drive a URL with wrk and read its throughput and latency percentiles."""

from __future__ import annotations

import math
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


@dataclass(frozen=True)
class Load:
    """What wrk measured: requests per second and latency in milliseconds."""

    rps: float
    p50_ms: float
    p99_ms: float
    errors: int


def require_wrk() -> str:
    """Return wrk's path, or stop with how to install it."""
    found = shutil.which("wrk")
    if not found:
        raise SystemExit("bench needs wrk: apt-get install wrk")
    return found


def run_wrk(
    url: str,
    *,
    connections: int,
    seconds: int,
    script: Path | None = None,
    warm_up: int = 0,
) -> Load:
    """Run wrk against the URL and parse its report.

    `warm_up` seconds of the same load go first, unmeasured: every worker opens
    its database connections on its first requests, and with sync workers
    (a new connection per request) those land in the measured p99 otherwise.
    Only for reads: a repeated write script would repeat its writes.
    """
    command = [
        require_wrk(),
        f"-t{min(2, connections)}",  # wrk's threads: one per core
        f"-c{connections}",
        "--latency",
        *(["-s", str(script)] if script else []),
        url,
    ]
    if warm_up:
        subprocess.run([*command, f"-d{warm_up}s"], capture_output=True, check=True)
    report = subprocess.run(
        [*command, f"-d{seconds}s"], capture_output=True, text=True, check=True
    ).stdout
    errors = sum(
        int(n) for n in re.findall(r"(?:connect|read|write|timeout) (\d+)", report)
    )
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", report)
    return Load(
        float(re.search(r"Requests/sec:\s+([\d.]+)", report).group(1)),  # type: ignore[union-attr]
        _percentile(report, "50%"),
        _percentile(report, "99%"),
        errors + (int(non_2xx.group(1)) if non_2xx else 0),
    )


def warm_up_for(
    url: str, *, requests: int, connections: int, script: Path, probe: int = 2
) -> None:
    """Load the URL, unmeasured, until about `requests` have been answered:
    `probe` seconds tell the rate, then as long as the rest needs at it.

    By count, not time: on a machine three times slower, the same seconds
    leave each worker a quarter of its answers to compute while measured.
    """
    first = run_wrk(url, connections=connections, seconds=probe, script=script)
    rest = requests - first.rps * probe
    if rest > 0:
        seconds = math.ceil(rest / max(first.rps, 1.0))
        run_wrk(url, connections=connections, seconds=seconds, script=script)


def _percentile(report: str, label: str) -> float:
    found = re.search(rf"{label}\s+([\d.]+)(us|ms|s)\b", report)
    assert found, report
    return float(found.group(1)) * UNITS[found.group(2)]


def lua_random_get(
    path: Path, urls: list[str], headers: dict[str, str] | None = None
) -> Path:
    """Write a wrk script that GETs one of the URLs at random per request
    (with the headers, if any)."""
    quoted = ",\n".join(f'"{u}"' for u in urls)
    header_lines = "".join(
        f'wrk.headers["{k}"] = "{v}"\n' for k, v in (headers or {}).items()
    )
    path.write_text(
        f"local urls = {{\n{quoted}\n}}\n{header_lines}"
        "request = function()\n"
        "  return wrk.format('GET', urls[math.random(#urls)])\n"
        "end\n"
    )
    return path


def lua_post(
    path: Path,
    urls: str | list[str],
    body: str,
    headers: dict[str, str],
    key_prefix: str = "",
) -> Path:
    """Write a wrk script that POSTs the body to the URLs in turn, every `%d`
    in the body made unique per request (the same number in each place);
    with `key_prefix`, each request has an Idempotency-Key of its own."""
    header_lines = "".join(f'wrk.headers["{k}"] = "{v}"\n' for k, v in headers.items())
    targets = [urls] if isinstance(urls, str) else urls
    quoted = ",\n".join(f'"{u}"' for u in targets)
    path.write_text(
        f"local urls = {{\n{quoted}\n}}\n"
        # thread_id is a global: setup() gives each wrk thread its own.
        "local counter = 0\nthread_id = 0\nlocal threads = {}\n"
        "function setup(thread)\n"
        "  thread:set('thread_id', #threads + 1)\n"
        "  table.insert(threads, thread)\nend\n"
        f"wrk.method = 'POST'\n{header_lines}"
        "request = function()\n"
        "  counter = counter + 1\n"
        "  local unique = tostring(thread_id * 10000000 + counter)\n"
        f"  local body = string.gsub('{body}', '%%d', unique)\n"
        + (
            "  local headers = {}\n"
            "  for name, value in pairs(wrk.headers) do headers[name] = value end\n"
            f"  headers['Idempotency-Key'] = '{key_prefix}' .. unique\n"
            if key_prefix
            else "  local headers = nil\n"
        )
        + "  return wrk.format('POST', urls[(counter % #urls) + 1], headers, body)\n"
        "end\n"
    )
    return path
