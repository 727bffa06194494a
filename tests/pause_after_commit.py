"""A gunicorn config for tests: a request sent with `X-Test-Pause` stops
after its events are committed and before the view is brought up to date
and the answer sent, having said so in the file CREDIT_SVC_TEST_PAUSED
names: the window a kill -9 leaves a write committed and unanswered."""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Any


def post_worker_init(_worker: Any) -> None:
    """Make every catch-up of a request marked to pause wait there."""
    from flask import has_request_context, request

    from credit_svc.services import Services

    catch_up = Services.catch_up

    def paused(self: Services, upto: int | None = None) -> int:
        if has_request_context() and request.headers.get("X-Test-Pause"):
            Path(os.environ["CREDIT_SVC_TEST_PAUSED"]).write_text(str(upto))
            time.sleep(120)  # until killed
        return catch_up(self, upto)

    Services.catch_up = paused  # type: ignore[method-assign]
