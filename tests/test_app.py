"""The app's own Flask: it remembers which functions are plain, and an async
function still goes through Flask's handling."""

from __future__ import annotations

import pytest
from flask import Flask


def test_a_plain_function_is_used_as_it_is(app: Flask) -> None:
    def hook() -> None:
        """A before_request hook."""

    assert app.ensure_sync(hook) is hook
    assert app.ensure_sync(hook) is hook  # the second time from what was learnt


def test_an_async_function_is_never_taken_for_a_plain_one(app: Flask) -> None:
    def view() -> None:
        """A plain view, learnt first."""

    async def view_async() -> None:
        """An async view (Flask runs these only with its async extra)."""

    view_async.__name__ = view_async.__qualname__ = view.__qualname__  # same name
    app.ensure_sync(view)

    for _ in range(2):
        with pytest.raises(RuntimeError, match="async"):
            app.ensure_sync(view_async)
