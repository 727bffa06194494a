"""The service's Prometheus metrics, counted where things happen.

Under `credit-svc serve` every worker writes them to files in
PROMETHEUS_MULTIPROC_DIR (prometheus_client's multiprocess mode, set up in
cli/gunicorn_conf.py) and a scrape of any worker adds all of them up;
otherwise they are this process's own. The projector's lag is not counted
here: /metrics reads it from the database when scraped (api/metrics.py).
"""

from __future__ import annotations

from typing import Final

from prometheus_client import Counter, Histogram

REQUESTS: Final = Counter(
    "credit_svc_requests",
    "Requests answered, by endpoint and status.",
    ["endpoint", "status"],
)
LATENCY: Final = Histogram(
    "credit_svc_request_duration_seconds",
    "Time to answer a request, by endpoint.",
    ["endpoint"],
    buckets=(0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1.0, 2.0, 5.0),
)
EVENTS_APPENDED: Final = Counter(
    "credit_svc_events_appended",
    "Events appended to the log, by event type.",
    ["kind"],
)
ANSWER_CACHE: Final = Counter(
    "credit_svc_answer_cache",
    "Grade answers found in the worker's cache (hit) or read (miss).",
    ["result"],
)
RATE_LIMITED: Final = Counter(
    "credit_svc_rate_limited",
    "Requests refused with 429, by why: too many requests, or failed keys.",
    ["reason"],
)
