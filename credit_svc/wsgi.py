"""The WSGI entry, inside the package so the wheel alone serves:
`gunicorn -w 2 -b 127.0.0.1:8000 credit_svc.wsgi:app` (or `credit-svc serve`).

Importing it builds the app and does the start-up work each worker needs.
"""

import gc
import sys

from credit_svc import create_app
from credit_svc.api.server_errors import answer_server_errors_in_envelope
from credit_svc.config import ConfigError
from credit_svc.logs import write_json_logs

write_json_logs()
try:
    app = create_app()
except ConfigError as error:  # one line, and gunicorn stops (3: boot error)
    print(f"credit_svc: {error}", file=sys.stderr, flush=True)
    raise SystemExit(3) from None
answer_server_errors_in_envelope()  # gunicorn's 400/414/431 as JSON, not HTML

# What is loaded by now (modules, rule packs, schemas, the app) stays for the
# worker's life and holds no garbage, yet every full collection walked all of
# it: 10 to 30 ms now and then inside a request that makes many objects (a
# grade as recorded at a cutoff on 1,000 records, p99 25-39 -> 13-14 ms; see
# docs/performance.md). Frozen, collections walk what requests made; the
# garbage of the start is collected first, or it would be kept for good.
gc.collect()
gc.freeze()
