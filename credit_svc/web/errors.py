"""Errors on the pages answered as pages: a person reading a page gets a page
saying what went wrong, in Chinese first, with the API's status code; API
clients keep the JSON envelope (api/errors.py)."""

from __future__ import annotations

import logging
from http import HTTPStatus
from typing import Final

from flask import Blueprint, render_template
from werkzeug.exceptions import HTTPException

from credit_svc.api.errors import status_for
from credit_svc.domain.errors import DomainError

log = logging.getLogger(__name__)

TITLES: Final = {
    400: "请求有误",
    401: "需要登录",
    403: "无权访问",
    404: "未找到",
    405: "不支持的请求方式",
    413: "内容过大",
    422: "请求有误",
    429: "请求过于频繁，请稍后再试",
    500: "服务内部错误",
    503: "服务暂不可用，请稍后再试",
}


def answer_errors_as_pages(blueprint: Blueprint) -> None:
    """Answer every error raised in the blueprint's views with an HTML page."""
    blueprint.register_error_handler(HTTPException, _http_error)
    blueprint.register_error_handler(DomainError, _domain_error)
    blueprint.register_error_handler(Exception, _unexpected_error)


def _http_error(error: HTTPException) -> tuple[str, int]:
    return _page(error.code or 500, error.description or "")


def _domain_error(error: DomainError) -> tuple[str, int]:
    return _page(status_for(error), str(error))


def _unexpected_error(error: Exception) -> tuple[str, int]:
    log.exception("unhandled error", exc_info=error)
    return _page(500, "internal error; it has been logged")


def _page(status: int, message: str) -> tuple[str, int]:
    title = TITLES.get(status, "出错了")
    phrase = HTTPStatus(status).phrase
    html = render_template(
        "error.html", status=status, title=title, phrase=phrase, message=message
    )
    return html, status
