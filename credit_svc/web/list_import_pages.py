"""Other departments' lists in, as a page: a signed-in department (or a
bureau handing on what it received) uploads a list's CSV file; every line
is checked first and a bad line refuses the file, shown line by line, with
nothing written. The same import as the API's (api/department_lists.py)."""

from __future__ import annotations

from flask import Blueprint, render_template, request
from werkzeug.exceptions import BadRequest, NotFound
from werkzeug.wrappers import Response

from credit_svc.api.department_lists import (
    csv_lines,
    import_lines,
    importable_by,
    summary,
)
from credit_svc.usecases.api_keys import Actor
from credit_svc.web.dashboard import (
    FORM_EXPIRED,
    form_nonce,
    from_our_form,
    signed_in_as,
)
from credit_svc.web.errors import answer_errors_as_pages

NOT_AN_IMPORTER = (
    "此页面供主管部门和提供名单的部门使用 "
    "This page is for bureaus and the departments that keep the lists"
)
UNPROCESSABLE = 422  # as the API answers a refused file
NO_FILE = "请选择 UTF-8 编码的 CSV 文件 Choose the list's CSV file (UTF-8)"

bp = Blueprint(
    "list_import_pages",
    __name__,
    url_prefix="/workbench/lists",
    template_folder="templates",
)
answer_errors_as_pages(bp)


@bp.get("/")
def index() -> str | Response:
    """Show the lists the party may import, each with its columns."""
    actor = _importer()
    if isinstance(actor, Response):
        return actor
    return _page(actor)


@bp.post("/")
def upload() -> str | Response | tuple[str, int]:
    """Import an uploaded CSV file of a list: all lines or none."""
    actor = _importer()
    if isinstance(actor, Response):
        return actor
    if not from_our_form():
        raise BadRequest(FORM_EXPIRED)
    name = request.form.get("list_name", "")
    found = importable_by(actor).get(name)
    if found is None:
        raise NotFound(f"没有可导入的名单 {name} · no list {name} you may import")
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        raise BadRequest(NO_FILE)
    try:
        lines = csv_lines(upload.read().decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as error:
        reason = "not UTF-8" if isinstance(error, UnicodeDecodeError) else error
        return _page(actor, chosen=name, refused=f"{NO_FILE}: {reason}"), UNPROCESSABLE
    plan, position = import_lines(found, lines, actor)
    if position is None:
        return _page(actor, chosen=name, errors=plan.errors), UNPROCESSABLE
    return _page(actor, chosen=name, done=summary(name, found, plan, position))


def _importer() -> Actor | Response:
    return signed_in_as(lambda actor: bool(importable_by(actor)), NOT_AN_IMPORTER)


def _page(actor: Actor, chosen: str = "", **outcome: object) -> str:
    lists = importable_by(actor)
    return render_template(
        "list_import.html",
        lists=lists,
        chosen=chosen or next(iter(lists)),
        nonce=form_nonce(),
        **outcome,
    )
