"""Health and readiness for load balancers and orchestrators, no key needed.

`/healthz` says the process answers (nothing else is asked, so a slow
database never gets a healthy worker restarted); `/readyz` says whether this
worker should get traffic: the database answers, the grade view is at most
READY_MAX_LAG events behind the log, and the view was computed under the rule
packs this process loaded. Not ready is a 503 in the error envelope, with the
same checks beside the message.
"""

from __future__ import annotations

from http import HTTPStatus
from typing import Any

from flask import current_app, jsonify
from flask.views import MethodView
from flask.wrappers import Response

from credit_svc.api.blueprint import Blueprint
from credit_svc.api.health_schemas import HealthSchema, ReadinessSchema
from credit_svc.api.services import services

blp = Blueprint("health", __name__, description="Liveness and readiness probes.")


@blp.route("/healthz")
class Health(MethodView):
    """The process answers."""

    @blp.response(200, HealthSchema)
    def get(self) -> dict[str, str]:
        """Tell that this worker answers (asks nothing of the database)"""
        return {"status": "ok"}


@blp.route("/readyz")
class Readiness(MethodView):
    """Whether this worker should serve."""

    @blp.response(200, ReadinessSchema)
    @blp.alt_response(503, schema=ReadinessSchema)
    def get(self) -> Any:
        """Tell whether the database answers, the view keeps up and fits the packs"""
        checks = readiness()
        if checks["ready"]:
            return checks
        problems = "; ".join(checks["problems"])
        body = {
            "code": 503,
            "status": HTTPStatus.SERVICE_UNAVAILABLE.phrase,
            "message": f"not ready: {problems}",
        }
        response: Response = jsonify(body | checks)
        response.status_code = 503
        return response


def readiness() -> dict[str, Any]:
    """Return the checks of readiness, and whether they all hold."""
    opened = services()
    problems: list[str] = []
    log_position = view_position = None
    try:
        log_position = opened.app.recorder.max_notification_id() or 0
        view_position = opened.view.db.position(opened.app.name)
    except Exception as error:  # any driver's: the database does not answer
        current_app.logger.warning("readiness: database unavailable: %s", error)
        problems.append("the database does not answer")
    lag = None
    if log_position is not None and view_position is not None:
        lag = max(0, log_position - view_position)
        allowed = int(current_app.config["READY_MAX_LAG"])
        if lag > allowed:
            problems.append(
                f"the grade view is {lag} events behind ({allowed} at most)"
            )
    packs_fit = not problems and opened.pack_check.view_fits()
    if not problems and not packs_fit:
        problems.append("the grade view was computed under other rule packs")
    return {
        "ready": not problems,
        "problems": problems,
        "log_position": log_position,
        "view_position": view_position,
        "lag": lag,
        "packs": [f"{p.pack_id}@{p.version}" for p in opened.packs],
        "packs_fit_view": packs_fit,
    }
