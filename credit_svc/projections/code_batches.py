"""Reads of many enterprises at once: `WHERE credit_code IN (...)` in chunks."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from credit_svc.projections.view_schema import ViewSQL


def chunks(codes: list[str], size: int = 1000) -> list[tuple[str, ...]]:
    """Split codes into groups small enough for one IN list."""
    return [tuple(codes[i : i + size]) for i in range(0, len(codes), size)]


def marks(values: Sequence[Any]) -> str:
    """Return `(?, ?, ...)`, one placeholder per value."""
    return f"({', '.join('?' for _ in values)})"


class BatchReads(ViewSQL):
    """Reads of a view's rows for many enterprises in a few statements."""

    def _rows_of(  # noqa: PLR0913 (a select and what fills it in)
        self,
        cursor: Any,
        select: str,
        credit_codes: Sequence[str],
        order: str,
        *,
        params: tuple[Any, ...] = (),
        key: str = "credit_code",
        where: str = "",
    ) -> dict[str, list[dict[str, Any]]]:
        """Run `select WHERE [where AND] credit_code IN (...)`; group rows by
        credit code.

        One statement per thousand enterprises: the projector regrades a whole
        batch's enterprises, and a batch grade query answers, in a few round
        trips instead of a few per enterprise. `params` fill the placeholders
        of the select and then of `where`; `key` names the code's column when
        the select joins.
        """
        grouped: dict[str, list[dict[str, Any]]] = {}
        also = f"{where} AND " if where else ""
        for codes in chunks(list(credit_codes)):
            ordered = f" ORDER BY {key}, {order}" if order else ""
            cursor.execute(
                self.q(f"{select} WHERE {also}{key} IN {marks(codes)}{ordered}"),
                (*params, *codes),
            )
            for row in (dict(r) for r in cursor.fetchall()):
                grouped.setdefault(row["credit_code"], []).append(row)
        return grouped
