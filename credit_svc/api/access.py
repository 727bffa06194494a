"""Who may call what: authentication, roles, and the object-level scope.

Every request passes `check_access` before its view runs. The rights, by role:

- anyone, without a key: disclosed boards and blacklists, single grades, rule
  packs, the receipt public key, receipt verification, the log's signed
  checkpoints and the health probes;
- platform (tender platforms): also grades in batch, history, eligibility,
  explanations, receipts, enterprises, projects and the change feed;
- auditor and admin: every read, including records, events, the log export,
  project managers and /metrics;
- bureau: every read, and writes only as its own authority about subjects in
  its own jurisdictions (so it corrects only its own records);
- the other recording parties (domain/parties.py: street offices, street
  Party committees, communities, owners' committees, the industry
  association, the emergency, market and labour departments): what platforms
  read, and records; they post only their own kinds of record, as their own
  authority, in their own jurisdictions (an owners' committee only about its
  projects), and take the steps of their own records' lives;
- enterprise: its own file only (grade, history, explanation, eligibility,
  records undisclosed included), and its own objections and repair
  applications.

Admins manage keys and rule packs with the CLI, not over HTTP.
"""

from __future__ import annotations

from http import HTTPStatus
from typing import Any, Final

from flask import current_app, g, request
from werkzeug.exceptions import HTTPException

from credit_svc.adapters.acting import ACTING_KEY
from credit_svc.api.services import services
from credit_svc.domain.errors import (
    EnterpriseNotFoundError,
    ProjectNotFoundError,
    RecordNotFoundError,
)
from credit_svc.domain.parties import (
    FLAGS_BY_ROLE,
    KINDS_BY_ROLE,
    RECORDING_ROLES,
    ROLE_NAMES,
    chinese,
    refusal,
)
from credit_svc.usecases.api_keys import Actor, authenticate

# The pages (web/): they check a signed-in party themselves.
PAGES: Final = (
    "disclosure.",
    "dashboard.",
    "api_docs.",
    "reports.",
    "workbench.",
    "statistics_pages.",
    "board_pages.",
    "draw_pages.",
    "exchange_pages.",
    "list_import_pages.",
    "subscription_pages.",
)

PUBLIC: Final = frozenset(
    {
        "home",  # the root, sent on to the public pages
        "grades.Board",
        "grades.Grade",
        "project_managers.list_blacklisted",
        "rule_packs.RulePacks",
        "audit.ReceiptKey",
        "audit.ReceiptVerify",
        "audit.LogCheckpoints",
        "credit_reports.ReportByNumber",  # what a report's QR code leads to
        "statistics.PublishedReports",  # published, so public
        "statistics.PublishedReport",
        "board_issues.Archive",
        "board_issues.Issue",
        "draws.DrawByPeriod",  # its commitment, then its list
        "health.Health",
        "health.Readiness",
        "api-docs.openapi_json",
        "static",
    }
)
PLATFORM: Final = frozenset(
    {
        "grades.BatchGrades",
        "grades.History",
        "grades.AwardEligibility",
        "grades.Explanation",
        "audit.GradeReceipt",
        "enterprises.EnterpriseByCode",
        "projects.ProjectByCode",
        "projects.standing",
        "projects.batch_standing",
        "feed.Feed",
        "audit.LogHead",  # to check a receipt's log head
        "audit.LogVerify",
    }
)
# A firm's own key reads these, about itself only (its whole file).
OWN_FILE: Final = frozenset(
    {
        "grades.History",
        "grades.AwardEligibility",
        "grades.Explanation",
        "audit.GradeReceipt",
        "enterprises.EnterpriseByCode",
        "records.EnterpriseRecords",
        "records.RecordById",
        "grade_uses.GradeUses",
    }
)
# Recording parties other than bureaus read what platforms read, and records.
PARTY_READS: Final = frozenset(
    {"records.EnterpriseRecords", "records.RecordById", "record_changes.open_cases_of"}
)
BATCH_WRITES: Final = frozenset({"record_batches.RecordBatch"})  # many records
KIND_OF_POST: Final = {
    "records.post_inspection": "inspection",
    "records.post_list_entry": "list_entry",
    "records.post_good_credit": "good_credit",
    "records.post_bad_credit": "bad_credit",
    "records.post_party_building": "party_building",
    "records.post_appraisal": "appraisal",
    "records.post_summons": "summons",
    "project_managers.post_bad_credit": "manager_bad_credit",
    "project_managers.post_list_entry": "manager_list_entry",
}
# Steps of a record's life the recording authority takes (the domain checks
# that it is the record's own authority).
DECISIONS: Final = frozenset(
    {
        "record_changes.correct",
        "record_changes.retract",
        "record_changes.resolve",
        "record_changes.decide_repair",
        "record_changes.lift",
        "record_changes.confirm_rectification",
    }
)
# What the graded firm files itself (or a bureau for it, as received).
FILED_BY_THE_FIRM: Final = frozenset(
    {"record_changes.object_to", "record_changes.apply_for_repair"}
)
# Credit reports: a firm its own, a bureau its jurisdiction's, platforms,
# auditors and admins any firm's (a report states what is disclosed).
REPORTS: Final = frozenset({"credit_reports.issue"})
REPORT_ISSUERS: Final = frozenset(
    {"enterprise", "bureau", "platform", "auditor", "admin"}
)
# A firm on a published board objects to it itself (or a bureau for it).
BOARD_OBJECTIONS: Final = frozenset({"board_issues.object_to_board"})
# Tender platforms report how they used a grade (数据应用反馈).
PLATFORM_WRITES: Final = frozenset({"grade_uses.GradeUses"})
# Other departments' lists: a bureau imports any, a department its own (the
# view checks which list, and each line's authority and firm).
LIST_IMPORTS: Final = frozenset({"department_lists.import_list"})
LIST_IMPORTERS: Final = frozenset({"bureau", *FLAGS_BY_ROLE})
# Writes open beyond the recording parties, and to whom.
OPEN_WRITES: Final = {
    **dict.fromkeys(REPORTS, REPORT_ISSUERS),
    **dict.fromkeys(LIST_IMPORTS, LIST_IMPORTERS),
    **dict.fromkeys(PLATFORM_WRITES, frozenset({"platform"})),
}
READS_BY_POST: Final = frozenset(
    {"grades.BatchGrades", "project_managers.find_manager", "projects.batch_standing"}
)
READERS: Final = frozenset({"auditor", "admin", "bureau"})


# Webhook subscriptions and their dead letters: admins only, reads too (a
# subscription names where the service's data goes).
ADMIN_ONLY: Final = frozenset(
    {
        "subscriptions.SubscriptionList",
        "subscriptions.SubscriptionById",
        "subscriptions.deliveries",
        "subscriptions.replay_dead_letters",
    }
)


# Any key at all: who it is and what it may do (GET /me).
ANY_KEY: Final = frozenset({"me.Me"})


def may_call(role: str, endpoint: str, method: str) -> bool:
    """Tell whether a key of the role may call the operation at all (some
    only about their own subjects: checked per request, see below).

    What `check_access` lets through, role by role; tests/api/test_me.py
    checks the two against each other on every operation.
    """
    if endpoint in PUBLIC or endpoint in ANY_KEY:
        return True
    if endpoint in ADMIN_ONLY:
        return role == "admin"
    if method == "GET" or endpoint in READS_BY_POST:
        return (
            role in READERS
            or (role == "platform" and endpoint in PLATFORM)
            or (role == "enterprise" and endpoint in OWN_FILE)
            or (role in RECORDING_ROLES and endpoint in PLATFORM | PARTY_READS)
        )
    return _may_write(role, endpoint)


def _may_write(role: str, endpoint: str) -> bool:
    if endpoint in OPEN_WRITES:
        return role in OPEN_WRITES[endpoint]
    if role == "enterprise":
        return endpoint in FILED_BY_THE_FIRM or endpoint in BOARD_OBJECTIONS
    if role not in RECORDING_ROLES:
        return False
    kind = KIND_OF_POST.get(endpoint)
    if role == "bureau" or kind is None:
        return role == "bureau" or endpoint in BATCH_WRITES or endpoint in DECISIONS
    return kind in KINDS_BY_ROLE.get(role, ())


class AccessError(HTTPException):
    """A 401 or 403 in the service's error envelope."""

    def __init__(self, status: HTTPStatus, message: str) -> None:
        super().__init__(message)
        self.code = status.value


def check_access() -> None:
    """Authenticate the caller, check the role, and stamp the acting key."""
    if request.routing_exception is not None:
        return  # no such path or method: 404 or 405, whoever asks
    endpoint = request.endpoint or ""
    actor = _caller()
    g.actor = actor
    ACTING_KEY.set(actor.key_id if actor else "")
    if endpoint in PUBLIC or request.method in ("HEAD", "OPTIONS"):
        return
    if endpoint.startswith(PAGES):  # public pages; the dashboard signs in itself
        return
    if actor is None:
        raise AccessError(
            HTTPStatus.UNAUTHORIZED, "需要 API 密钥 · an API key is required"
        )
    if endpoint in ADMIN_ONLY:
        if actor.role != "admin":
            msg = f"{_who(actor.role)}不能管理订阅 · only an admin key manages webhooks"
            raise AccessError(HTTPStatus.FORBIDDEN, msg)
        return
    if request.method == "GET" or endpoint in READS_BY_POST:
        _check_read(actor, endpoint)
    else:
        _check_write(actor)


def forget_actor(_: BaseException | None) -> None:
    """Clear the acting key, so nothing saved after the request carries it."""
    ACTING_KEY.set("")


def _caller() -> Actor | None:
    header = request.headers.get("Authorization", "")
    if not header:
        return None
    # Slowed down after many wrong keys from one address (api/rate_limit.py).
    failures = current_app.extensions.get("credit_svc_failed_auth")
    address = request.remote_addr or ""
    checked = failures is None or failures.recently_let_in(address)
    if failures is not None and not checked:  # before the key is looked up
        failures.refuse_if_over(address)
    scheme, _, token = header.partition(" ")
    actor = authenticate(services().app, token.strip(), services().key_cache)
    if scheme.lower() != "bearer" or actor is None:
        if failures is not None:
            if checked:
                failures.refuse_if_over(address)
            failures.failed(address)
        raise AccessError(
            HTTPStatus.UNAUTHORIZED, "API 密钥无效 · the API key is not valid"
        )
    if failures is not None and not checked:
        failures.passed(address)
    return actor


def _check_read(actor: Actor, endpoint: str) -> None:
    role = actor.role
    if endpoint in ANY_KEY:
        return
    if role in READERS or (role == "platform" and endpoint in PLATFORM):
        return
    if role == "enterprise" and endpoint in OWN_FILE:
        _check_own(actor, request.view_args or {})
        return
    if role in RECORDING_ROLES and (endpoint in PLATFORM or endpoint in PARTY_READS):
        return
    raise AccessError(
        HTTPStatus.FORBIDDEN,
        f"{_who(role)}不能读取此项 · a {role} key may not read this",
    )


def _who(role: str) -> str:
    """Return the role's Chinese name, as refusals start with it."""
    return chinese(ROLE_NAMES.get(role, role)) + "的密钥"


def _check_own(actor: Actor, args: dict[str, Any]) -> None:
    """Let a firm's key at its own file only: never another firm's."""
    code = args.get("credit_code")
    if "record_id" in args:
        try:
            code = services().app.get_record(args["record_id"]).facts["credit_code"]
        except RecordNotFoundError:
            return  # the view answers its own 404
    if code != actor.credit_code:
        raise AccessError(
            HTTPStatus.FORBIDDEN,
            "企业密钥只能查看本企业的档案 · an enterprise key reads its own file",
        )


def _check_write(actor: Actor) -> None:
    endpoint = request.endpoint or ""
    body = request.get_json(silent=True)
    body = body if isinstance(body, dict) else {}
    args = request.view_args or {}
    if endpoint in OPEN_WRITES:
        _check_open_write(actor, endpoint, args)
        return
    if actor.role == "enterprise":
        _check_firm_write(actor, endpoint, args)
        return
    if actor.role not in RECORDING_ROLES:
        msg = f"{_who(actor.role)}不能写入 · a {actor.role} key may not write"
        raise AccessError(HTTPStatus.FORBIDDEN, msg)
    if actor.role != "bureau" and not (
        endpoint in KIND_OF_POST or endpoint in BATCH_WRITES or endpoint in DECISIONS
    ):
        msg = f"{_who(actor.role)}不能执行此操作 · a {actor.role} key may not do this"
        raise AccessError(HTTPStatus.FORBIDDEN, msg)
    if endpoint not in BATCH_WRITES:
        _check_party(actor, KIND_OF_POST.get(endpoint), body)
        _check_written(actor, args, body)
        return
    # A batch: every record in it, as if each were posted on its own. Items
    # that are not objects are left to the schema's 422.
    items = body.get("records")
    for index, item in enumerate(items if isinstance(items, list) else []):
        if isinstance(item, dict):
            where = f"records[{index}]: "
            _check_party(actor, item.get("kind"), item, where)
            _check_written(actor, args, item, where)


def _check_open_write(actor: Actor, endpoint: str, args: dict[str, Any]) -> None:
    """Check the writes open to roles beyond the recording parties': credit
    reports, the list imports (whose view checks each line), and platforms'
    reports of how they used a grade."""
    if endpoint in REPORTS:
        _check_report(actor, args)
    elif actor.role not in OPEN_WRITES[endpoint]:
        msg = f"{_who(actor.role)}不能执行此操作 · a {actor.role} key may not do this"
        raise AccessError(HTTPStatus.FORBIDDEN, msg)


def _check_firm_write(actor: Actor, endpoint: str, args: dict[str, Any]) -> None:
    """Let a firm file about itself only."""
    if endpoint in BOARD_OBJECTIONS:
        return  # as itself: the view takes the key's own credit code
    if endpoint in FILED_BY_THE_FIRM:
        _check_own(actor, args)
        return
    msg = f"{_who(actor.role)}不能写入 · a {actor.role} key may not write"
    raise AccessError(HTTPStatus.FORBIDDEN, msg)


def _check_report(actor: Actor, args: dict[str, Any]) -> None:
    """Let a report be issued by those who may, about the firms they may."""
    if actor.role not in REPORT_ISSUERS:
        msg = (
            f"{_who(actor.role)}不能出具信用报告 · "
            f"a {actor.role} key may not issue credit reports"
        )
        raise AccessError(HTTPStatus.FORBIDDEN, msg)
    if actor.role == "enterprise":
        _check_own(actor, args)
    elif actor.role == "bureau":
        _check_written(actor, args, {})


def _check_party(
    actor: Actor, kind: object, body: dict[str, Any], where: str = ""
) -> None:
    """Refuse a record of a kind (or about a project) the party may not record."""
    if actor.role == "bureau" or not isinstance(kind, str):
        return
    reason = refusal(actor.role, kind, body, actor.projects)
    if reason:
        raise AccessError(HTTPStatus.FORBIDDEN, where + reason)


def _check_written(
    actor: Actor, args: dict[str, Any], body: dict[str, Any], where: str = ""
) -> None:
    authority = body.get("authority")
    if authority is not None and authority != actor.authority:
        msg = (
            f"{where}此密钥以「{actor.authority}」名义记录，"
            f"不能以「{authority}」名义 · "
            f"this key writes as {actor.authority}, not as {authority}"
        )
        raise AccessError(HTTPStatus.FORBIDDEN, msg)
    for jurisdiction in (
        _subject_jurisdiction(args, body),
        _project_jurisdiction(args),
    ):
        if jurisdiction is not None and not actor.covers(jurisdiction):
            msg = (
                f"{where}行政区划 {jurisdiction} 不在此密钥的范围内 · "
                f"jurisdiction {jurisdiction} is outside this key's"
            )
            raise AccessError(HTTPStatus.FORBIDDEN, msg)


def _project_jurisdiction(args: dict[str, Any]) -> str | None:
    """Return the division code of the estate a project write is about (the
    firm a management write names is checked too, by _subject_jurisdiction)."""
    code = args.get("project_code")
    if not isinstance(code, str):
        return None
    try:
        return services().projects.get(code).jurisdiction
    except ProjectNotFoundError:
        return None


def _subject_jurisdiction(args: dict[str, Any], body: dict[str, Any]) -> str | None:
    """Return the division code of what the write is about, when it is known.

    Read from the event store, not the grade view, which may lag behind the
    writes (see PROJECT_IN_REQUEST). Unknown subjects pass here, so the view
    answers its own 404 or 422.
    """
    app = services().app
    code = args.get("credit_code") or body.get("credit_code")
    try:
        if "record_id" in args:
            code = app.get_record(args["record_id"]).facts["credit_code"]
        if isinstance(code, str) and "jurisdiction" not in body:
            return app.jurisdiction_of(code)
    except (EnterpriseNotFoundError, RecordNotFoundError):
        return None
    jurisdiction = body.get("jurisdiction")
    return jurisdiction if isinstance(jurisdiction, str) else None
