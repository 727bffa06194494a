"""Entry point for gunicorn: `gunicorn -w 2 -b 127.0.0.1:8000 wsgi:app`."""

import gc

from credit_svc import create_app

app = create_app()

# What is loaded by now (modules, rule packs, schemas, the app) stays for the
# worker's life and holds no garbage, yet every full collection walked all of
# it: 10 to 30 ms now and then inside a request that makes many objects (a
# grade as recorded at a cutoff on 1,000 records, p99 25-39 -> 13-14 ms; see
# docs/performance.md). Frozen, collections walk what requests made; the
# garbage of the start is collected first, or it would be kept for good.
gc.collect()
gc.freeze()
