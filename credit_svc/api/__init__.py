"""HTTP API: flask-smorest blueprints and the error envelope."""

from __future__ import annotations

from typing import Any

from flask import Flask

from credit_svc.api import (
    audit,
    board_issues,
    credit_reports,
    department_lists,
    draws,
    enterprises,
    exchange,
    feed,
    grade_uses,
    grades,
    health,
    me,
    metrics,
    project_managers,
    projects,
    record_batches,
    record_changes,
    records,
    rulepacks,
    statistics,
    subscriptions,
    watch_list,
)
from credit_svc.api.access import check_access, forget_actor
from credit_svc.api.answer_cache import AnswerCache
from credit_svc.api.blueprint import Api
from credit_svc.api.errors import register_error_handlers
from credit_svc.api.idempotency import claim_or_replay, forget_claim, settle
from credit_svc.api.rate_limit import init_rate_limits
from credit_svc.api.request_checks import (
    refuse_oversized_chunked_body,
    refuse_repeated_query_args,
    refuse_unreadable_json,
)
from credit_svc.api.request_log import log_request, start_request
from credit_svc.api.services import codes_changed
from credit_svc.api.view_guard import refuse_grades_from_other_packs


def init_api(app: Flask) -> Api:
    """Register the blueprints and error handlers on the app."""
    api = Api(app)
    modules = (
        *(enterprises, records, record_batches, record_changes, project_managers),
        projects,
        credit_reports,
        *(grades, audit, feed, rulepacks, health, metrics, me, watch_list),
        statistics,
        board_issues,
        draws,
        subscriptions,
        exchange,
        department_lists,
        grade_uses,
    )
    for module in modules:
        api.register_blueprint(module.blp)
    register_error_handlers(app)
    size = int(app.config["ANSWER_CACHE_SIZE"])
    app.extensions["credit_svc_answers"] = AnswerCache[bytes](  # single grades
        size, codes_changed
    )
    app.extensions["credit_svc_tenders"] = AnswerCache[dict[str, Any]](  # batches
        size, codes_changed
    )
    app.before_request(start_request)  # first: every answer has its id and line
    app.after_request(log_request)  # after_request runs last-added first: last
    app.before_request(refuse_oversized_chunked_body)  # before anything reads it
    app.before_request(refuse_unreadable_json)
    app.before_request(refuse_repeated_query_args)
    app.before_request(check_access)
    init_rate_limits(app)  # its hook counts the caller check_access found
    app.before_request(refuse_grades_from_other_packs)
    app.before_request(claim_or_replay)
    app.after_request(settle)
    app.teardown_request(forget_actor)
    app.teardown_request(forget_claim)
    return api
