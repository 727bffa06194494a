"""Sign-in for every party, and the auditor dashboard: one enterprise's score
and grade over time, explained.

Browsers cannot send bearer tokens, so a party signs in once with its key;
each role then sees its own workbench (web/workbench.py), and auditors,
admins and bureaus the audit pages here (a firm its own). The session
cookie holds the key's id, never its secret (a Flask session is signed, not
encrypted); it is HttpOnly and SameSite=Strict, and the key is looked up
again on every page, so a revoked key stops working at once.
"""

from __future__ import annotations

import hmac
import secrets
from collections import defaultdict
from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from flask import (
    Blueprint,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from werkzeug.exceptions import Forbidden
from werkzeug.wrappers import Response

from credit_svc.api.access import READERS
from credit_svc.api.clock import today
from credit_svc.api.services import reader, services
from credit_svc.domain.assessment import Assessment
from credit_svc.domain.effect import effect_of
from credit_svc.domain.errors import NoRulePackError
from credit_svc.domain.fact import RecordFact
from credit_svc.domain.schedule import PackSchedule
from credit_svc.usecases.api_keys import Actor, actor_of_key, authenticate
from credit_svc.web import labels
from credit_svc.web.chart import score_chart
from credit_svc.web.errors import answer_errors_as_pages

FORM_NONCE = "form_nonce"  # the session's key for its forms' nonce
FORM_EXPIRED = "表单已过期，请重新登录 The form expired: sign in again"
NOT_AN_AUDITOR = (
    "审计页面仅供审计人员、管理员和主管部门使用（企业可查看本企业） "
    "Audit pages are for auditors, admins and bureaus (a firm sees its own)"
)

bp = Blueprint(
    "dashboard", __name__, url_prefix="/dashboard", template_folder="templates"
)
answer_errors_as_pages(bp)  # a page's errors are pages too


@bp.route("/login", methods=["GET", "POST"])
def login() -> str | Response | tuple[str, int]:
    """Sign in with an API key of any role, from this service's own form."""
    if request.method == "GET":
        return _sign_in_page(None)
    if not from_our_form():
        return _sign_in_page(FORM_EXPIRED), 400
    token = request.form.get("token", "").strip()
    actor = authenticate(services().app, token, services().key_cache)
    if actor is None:
        return _sign_in_page("无效的密钥 Key not valid"), 401
    session.clear()
    session["key_id"] = actor.key_id
    session[FORM_NONCE] = secrets.token_urlsafe(16)  # a new one once signed in
    return redirect(url_for("workbench.index"))


def _sign_in_page(error: str | None) -> str:
    return render_template("login.html", error=error, nonce=form_nonce())


def form_nonce() -> str:
    """Return the nonce the service's forms carry, kept in the session.

    Another site's page can post to the sign-in and sign-out URLs (signing
    the browser in as someone else, or out), but its post carries no
    SameSite=Strict cookie, so no nonce to match.
    """
    nonce: str = session.setdefault(FORM_NONCE, secrets.token_urlsafe(16))
    return nonce


def from_our_form() -> bool:
    expected = session.get(FORM_NONCE, "")
    given = request.form.get("nonce", "")
    return bool(expected) and hmac.compare_digest(expected, given)


@bp.post("/logout")
def logout() -> Response | tuple[str, int]:
    """Forget the key, if asked from the service's own page."""
    if not from_our_form():
        return FORM_EXPIRED, 400
    session.clear()
    return redirect(url_for("dashboard.login"))


@bp.get("/")
def index() -> str | Response:
    """Find an enterprise to audit."""
    actor = signed_in()
    if actor is None:
        return redirect(url_for("dashboard.login"))
    if actor.role not in READERS:
        raise Forbidden(NOT_AN_AUDITOR)
    text = request.args.get("q", "").strip()[:100]
    rows = services().view.grades.search_enterprises(text) if text else []
    return render_template(
        "dashboard_search.html", q=text, rows=rows, nonce=form_nonce()
    )


@bp.get("/enterprises/<credit_code>")
def enterprise(credit_code: str) -> str | Response:
    """Chart an enterprise's grades, and explain the grade on the chosen day."""
    actor = signed_in()
    if actor is None:
        return redirect(url_for("dashboard.login"))
    own = actor.role == "enterprise" and actor.credit_code == credit_code
    if actor.role not in READERS and not own:
        raise Forbidden(NOT_AN_AUDITOR)
    grades = reader()
    company = grades.enterprise(credit_code)
    day = _as_of()
    history = grades.history(credit_code)
    facts = services().view.records.get_facts(credit_code)
    schedule = PackSchedule(company["jurisdiction"], services().packs)
    return render_template(
        "dashboard.html",
        company=company,
        day=day,
        chart=score_chart(history, _floors(schedule, day), day, _since(facts)),
        changes=_changes(history, facts, schedule),
        explanation=_explanation(credit_code, day),
        labels=labels,
    )


def signed_in() -> Actor | None:
    """Return the signed-in party, checking the key again (it may be revoked)."""
    return actor_of_key(
        services().app, str(session.get("key_id", "")), services().key_cache
    )


def signed_in_as(may: Callable[[Actor], bool], refusal: str) -> Actor | Response:
    """Return the signed-in party if `may` lets it see the page: else the
    sign-in page when nobody is signed in, or a 403 page with `refusal`."""
    actor = signed_in()
    if actor is None:
        return redirect(url_for("dashboard.login"))
    if not may(actor):
        raise Forbidden(refusal)
    return actor


def _as_of() -> date:
    try:
        return date.fromisoformat(request.args.get("as_of", ""))
    except ValueError:
        return today()


def _changes(
    history: list[dict[str, Any]], facts: list[RecordFact], schedule: PackSchedule
) -> list[dict[str, Any]]:
    """Return each grade change with the records that started or ended that day.

    Each record's end is computed once per pack, not once per change.
    """
    started: dict[date, list[RecordFact]] = defaultdict(list)
    for fact in facts:
        started[fact.business_date].append(fact)
    ends: dict[int, dict[date, list[RecordFact]]] = {}
    changes = []
    for segment in history:
        day = segment["starts_on"]
        pack = schedule.pack_on(day - timedelta(days=1))
        if pack is not None and id(pack) not in ends:
            ends[id(pack)] = defaultdict(list)
            for fact in facts:
                ends[id(pack)][effect_of(fact, pack).expires_on].append(fact)
        ended = ends[id(pack)].get(day, []) if pack is not None else []
        changes.append(segment | {"started": started.get(day, []), "ended": ended})
    return changes


def _since(facts: list[RecordFact]) -> date | None:
    """Return where the chart starts: a month before the first record."""
    first = min((f.business_date for f in facts), default=None)
    return first - timedelta(days=30) if first else None


def _floors(schedule: PackSchedule, day: date) -> list[tuple[Decimal, str]]:
    """Return the band floors of the pack in force on the day (none without one)."""
    pack = schedule.pack_on(day)
    if pack is None:
        return []
    return [(band.floor, band.grade) for band in pack.bands if band.floor is not None]


def _explanation(credit_code: str, day: date) -> Assessment | None:
    try:
        return reader().explain(credit_code, day)
    except NoRulePackError:  # no pack that day: the chart alone
        return None
