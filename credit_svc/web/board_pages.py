"""Published red and black boards (红黑榜通报) as public pages: a
jurisdiction's archive by period, and each issue with its entries, why each
is there, where each stands today, the objections and any withdrawal."""

from __future__ import annotations

from flask import Blueprint, render_template

from credit_svc.api.board_issues import publisher
from credit_svc.api.clock import today
from credit_svc.usecases.board_issues import standing_of
from credit_svc.web import labels
from credit_svc.web.errors import answer_errors_as_pages

bp = Blueprint(
    "board_pages",
    __name__,
    url_prefix="/disclosure/board-issues",
    template_folder="templates",
)
answer_errors_as_pages(bp)


@bp.get("/<jurisdiction>")
def archive(jurisdiction: str) -> str:
    """List a jurisdiction's published boards, newest period first."""
    return render_template(
        "board_archive.html",
        jurisdiction=jurisdiction,
        issues=publisher().archive(jurisdiction),
        labels=labels,
    )


@bp.get("/<jurisdiction>/<key>")
def issue(jurisdiction: str, key: str) -> str:
    """Show one published board as it stands today."""
    day = today()
    return render_template(
        "board_issue.html",
        jurisdiction=jurisdiction,
        issue=standing_of(publisher().get(jurisdiction, key), day),
        day=day,
        labels=labels,
    )
