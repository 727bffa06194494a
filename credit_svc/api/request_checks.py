"""Refuse requests the service cannot read safely or unambiguously, before
anything reads them.

- A chunked body has no Content-Length for Werkzeug to check against
  MAX_CONTENT_LENGTH: it would be cut at the limit and answered as "invalid
  JSON". It is read here, at most one byte past the limit: 413, or a sized
  body for the rest of the app.
- Python's own JSON reader fails with a RecursionError on arrays nested a
  thousand deep and with a ValueError on integers over 4,300 digits, and it
  reads a lone surrogate escape ("\\ud800") into text no event can be
  encoded with. Each was a 500; each is a 400 in the envelope, so nothing is
  written.
- A query parameter sent twice (`?as_of=2026-01-01&as_of=2026-06-01`) was
  read as its first value: it is a 422 naming it (API paths; none of their
  query parameters is a list).
"""

from __future__ import annotations

import io
import json
from http import HTTPStatus
from typing import Any, Final

from flask import current_app, request
from flask_smorest import abort
from werkzeug.exceptions import BadRequest, RequestEntityTooLarge

from credit_svc.api.access import PAGES

PAGE_BLUEPRINTS: Final = tuple(page.rstrip(".") for page in PAGES)
# Bodies larger than MAX_CONTENT_LENGTH, by endpoint: a credit report's PDF
# uploaded to be checked (a report's own PDF is some tens of kilobytes), and
# a department's list.
BODY_LIMITS: Final = {
    "reports.check": 4 * 1024 * 1024,
    # A department's list: up to 5,000 lines of about 300 bytes.
    "department_lists.import_list": 4 * 1024 * 1024,
    "list_import_pages.upload": 4 * 1024 * 1024,  # the same, from the page
}
# Far deeper than any body of the API (a batch's record's facts: 4 levels).
MAX_DEPTH: Final = 32


def refuse_oversized_chunked_body() -> None:
    """Answer 413 when a body without Content-Length exceeds the limit."""
    limit = BODY_LIMITS.get(request.endpoint or "")
    if limit is not None:
        request.max_content_length = limit  # before anything reads the body
    environ = request.environ
    chunked = "chunked" in environ.get("HTTP_TRANSFER_ENCODING", "").lower()
    if not chunked or environ.get("CONTENT_LENGTH"):
        return
    limit = limit or int(current_app.config["MAX_CONTENT_LENGTH"])
    data = environ["wsgi.input"].read(limit + 1)
    if len(data) > limit:
        raise RequestEntityTooLarge()
    environ["wsgi.input"] = io.BytesIO(data)
    environ["CONTENT_LENGTH"] = str(len(data))


def refuse_unreadable_json() -> None:
    """Answer 400 for a JSON body too deep, with a number too long, or with
    text that is not Unicode; leave other malformed JSON to the parser's 400."""
    if not request.is_json:
        return
    data = request.get_data(cache=True)
    if not data:
        return
    try:
        body = json.loads(data)
    except RecursionError:
        raise BadRequest(f"the JSON body is nested deeper than {MAX_DEPTH}") from None
    except json.JSONDecodeError:
        return  # the parser answers "Invalid JSON body." with its own 400
    except ValueError as error:  # an integer over Python's digit limit
        raise BadRequest(f"the JSON body holds a number too long: {error}") from None
    problem = _problem_in(body)
    if problem:
        raise BadRequest(problem)


def _problem_in(body: Any) -> str | None:
    """Walk the body without recursion; return what is wrong with it, if any."""
    todo: list[tuple[Any, int]] = [(body, 1)]
    while todo:
        value, depth = todo.pop()
        if depth > MAX_DEPTH:
            return f"the JSON body is nested deeper than {MAX_DEPTH}"
        if isinstance(value, str):
            if not _is_unicode(value):
                return (
                    "the JSON body holds text with a lone surrogate (\\ud800-\\udfff)"
                )
        elif isinstance(value, dict):
            todo.extend((key, depth) for key in value)
            todo.extend((item, depth + 1) for item in value.values())
        elif isinstance(value, list):
            todo.extend((item, depth + 1) for item in value)
    return None


def _is_unicode(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def refuse_repeated_query_args() -> None:
    """Answer 422 when an API query names a parameter more than once."""
    if request.blueprint in PAGE_BLUEPRINTS or request.routing_exception:
        return
    repeated = sorted(k for k, v in request.args.lists() if len(v) > 1)
    if repeated:
        messages = {name: ["sent more than once"] for name in repeated}
        abort(HTTPStatus.UNPROCESSABLE_ENTITY, messages={"query": messages})
