"""Public disclosure pages (信用信息公示): search, an enterprise and its
projects, the red and black boards, the blacklists.

Server-rendered, no key needed, and only what the law discloses: grades, board
and blacklist status, and the bad records and list entries still disclosed,
with the day their disclosure ends. Records about project managers, and any
personal data, never appear here.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Any, Final

from flask import Blueprint, render_template, request

from credit_svc.api.clock import today
from credit_svc.api.services import (
    manager_reader,
    project_reader,
    reader,
    services,
)
from credit_svc.domain.assessment import Assessment
from credit_svc.domain.effect import Effect
from credit_svc.domain.eligibility import Eligibility
from credit_svc.domain.errors import NoRulePackError, ProjectNotFoundError
from credit_svc.domain.rulepack import RulePack
from credit_svc.domain.working_days import CalendarMissingError
from credit_svc.usecases.project_boards import projects_on_board
from credit_svc.web import labels
from credit_svc.web.chart import SMALL, score_chart
from credit_svc.web.errors import answer_errors_as_pages

PAGE_SIZE: Final = 50  # enterprises a search page shows
CHART_SPAN: Final = timedelta(days=2 * 365)  # the grade over the last two years

bp = Blueprint(
    "disclosure",
    __name__,
    url_prefix="/disclosure",
    template_folder="templates",
    static_folder="static",  # the style sheet every page links
)
answer_errors_as_pages(bp)  # a page's errors are pages too
DISCLOSED_KINDS = ("bad_credit", "list_entry")


@bp.get("/")
def search() -> str:
    """Search enterprises by name or credit code."""
    text = request.args.get("q", "").strip()[:100]
    grades = services().view.grades
    total = grades.count_enterprises(text) if text else 0
    pages = max(1, -(-total // PAGE_SIZE))
    page = min(max(request.args.get("page", 1, type=int) or 1, 1), pages)
    found = (
        grades.search_enterprises(text, PAGE_SIZE, (page - 1) * PAGE_SIZE)
        if text
        else []
    )
    day = today()
    rows = [
        row | {"segment": grades.segment_on(row["credit_code"], day)} for row in found
    ]
    return render_template(
        "search.html",
        q=text,
        rows=rows,
        total=total,
        page=page,
        pages=pages,
        first=(page - 1) * PAGE_SIZE + 1,
        labels=labels,
        day=day,
    )


@bp.get("/enterprises/<credit_code>")
def enterprise(credit_code: str) -> str:
    """Show an enterprise's grade, board status and disclosed records."""
    grades = reader()
    company = grades.enterprise(credit_code)
    day = today()
    try:
        assessment: Assessment | None = grades.explain(credit_code, day)
        eligibility = grades.eligibility(credit_code, day)
        standing = eligibility.standing
        pack = grades.pack(standing.pack_id, standing.pack_version)
        awards: Awards | None = _awards(eligibility, pack)
    except NoRulePackError:
        assessment, awards = None, None
    history = grades.history(credit_code)
    try:
        projects = project_reader().of_enterprise(credit_code, day)
    except CalendarMissingError:  # the page still shows the firm
        projects = []
    return render_template(
        "enterprise.html",
        projects=projects,
        company=company,
        segment=services().view.grades.segment_on(credit_code, day),
        awards=awards,
        chart=score_chart(history, [], day, day - CHART_SPAN, size=SMALL),
        records=disclosed(assessment) if assessment else [],
        labels=labels,
        day=day,
    )


@dataclass(frozen=True)
class Awards:
    """What the grade means and what bars the firm from awards, as its pack
    words them (in Chinese, where the pack does)."""

    label: str
    bars: tuple[str, ...]


def _awards(eligibility: Eligibility, pack: RulePack) -> Awards:
    words = {rule.reason: rule.description for rule in pack.award_exclusions}
    bars = tuple(words.get(bar.reason) or bar.detail for bar in eligibility.bars)
    return Awards(pack.label(eligibility.standing.grade), bars)


@bp.get("/enterprises/<credit_code>/projects/<project_code>")
def project(credit_code: str, project_code: str) -> str:
    """Show a project of the enterprise: its facts, board, stars and
    demonstration-project eligibility, and the records naming it disclosed."""
    company = reader().enterprise(credit_code)
    if project_code not in company["projects"]:
        raise ProjectNotFoundError(project_code)
    day = today()
    try:
        found: dict[str, Any] | None = project_reader().standing(project_code, day)
    except (ProjectNotFoundError, NoRulePackError):
        found = None  # named by the firm only: its board comes from the firm's list
    summary = next(
        p
        for p in project_reader().of_enterprise(credit_code, day)
        if p["code"] == project_code
    )
    words: dict[str, str] = {}
    if found is not None:
        words = {r.reason: r.description for r in found["pack"].projects.demonstration}
    return render_template(
        "project.html",
        company=company,
        project_code=project_code,
        project_name=company["projects"][project_code],
        summary=summary,
        found=found,
        words=words,
        records=_disclosed_of(found["assessment"].counted) if found else [],
        labels=labels,
        day=day,
    )


@bp.get("/boards/<any(red, black):board>")
def board(board: str) -> str:
    """List the enterprises and the projects on the red or the black board."""
    jurisdiction = request.args.get("jurisdiction", "")[:6]
    code = jurisdiction if jurisdiction.isascii() and jurisdiction.isdigit() else ""
    day = today()
    opened = services()
    return render_template(
        "board.html",
        board=board,
        jurisdiction=code,
        enterprises=opened.view.grades.list_on_board(board, code, day),
        projects=projects_on_board(opened.view, opened.packs, board, code, day),
        labels=labels,
        day=day,
    )


@bp.get("/blacklist")
def blacklist() -> str:
    """List the enterprises and project managers on the blacklist today."""
    jurisdiction = request.args.get("jurisdiction", "")[:6]
    day = today()
    code = jurisdiction if jurisdiction.isascii() and jurisdiction.isdigit() else ""
    enterprises = [
        row | {"entries": _listings(reader().explain(row["credit_code"], day).counted)}
        for row in services().view.grades.list_on_board("blacklist", code, day)
    ]
    managers = [
        manager | {"entries": _listings(assessment.counted)}
        for manager, assessment in manager_reader().list_blacklisted(code, day)
    ]
    opened = services()
    return render_template(
        "blacklist.html",
        jurisdiction=code,
        enterprises=enterprises,
        projects=projects_on_board(opened.view, opened.packs, "blacklist", code, day),
        managers=managers,
        day=day,
    )


def _listings(counted: Sequence[Effect]) -> list[dict[str, Any]]:
    """Return the blacklist entries among counted records: why, by which
    document, and the last day each keeps its subject listed."""
    return [
        {
            "reason": effect.fact.attributes.get("reason", ""),
            "document_number": effect.fact.attributes.get("document_number", ""),
            "authority": effect.fact.attributes.get("authority", ""),
            "last_day": effect.expires_on - timedelta(days=1),
        }
        for effect in counted
        if effect.blacklists
    ]


def disclosed(assessment: Assessment) -> list[dict[str, Any]]:
    """Return the counted records the public sees, with their last disclosed day."""
    return _disclosed_of(assessment.counted)


def _disclosed_of(counted: Sequence[Effect]) -> list[dict[str, Any]]:
    return [
        {
            "record_id": effect.fact.record_id,
            "kind": effect.fact.kind,
            "business_date": effect.fact.business_date,
            "facts": effect.fact.attributes,
            "last_day": effect.expires_on - timedelta(days=1),
            "under_objection": effect.fact.under_objection,
            "rectified_on": effect.fact.rectified_on,
        }
        for effect in counted
        if effect.fact.kind in DISCLOSED_KINDS
    ]
