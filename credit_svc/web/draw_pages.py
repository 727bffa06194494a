"""双随机 draws as a public page (一公开): the commitment until the
inspections end, then the targets, their inspectors and the results."""

from __future__ import annotations

from flask import Blueprint, render_template

from credit_svc.api.clock import today
from credit_svc.api.draws import draws, results_of
from credit_svc.usecases.draws import published
from credit_svc.web import labels
from credit_svc.web.errors import answer_errors_as_pages

bp = Blueprint(
    "draw_pages", __name__, url_prefix="/disclosure/draws", template_folder="templates"
)
answer_errors_as_pages(bp)


@bp.get("/<jurisdiction>/<period>")
def draw(jurisdiction: str, period: str) -> str:
    """Show a draw as the public may see it today."""
    found = draws().get(jurisdiction, period)
    shown = published(found, today(), full=False)
    return render_template(
        "draw.html",
        d=shown,
        results=results_of(found) if shown["revealed"] else [],
        labels=labels,
    )
