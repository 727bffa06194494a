"""The little that differs between SQLite and PostgreSQL for the read models."""

from __future__ import annotations

import zlib
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache


@dataclass(frozen=True)
class Dialect:
    """Table naming, parameter style and the projector's write lock."""

    schema: str | None  # None for SQLite
    prefix: str

    def table(self, name: str) -> str:
        """Return the qualified name of one of the view's tables."""
        bare = f"{self.prefix}{name}"
        return f'"{self.schema}".{bare}' if self.schema else bare

    @property
    def same_as(self) -> str:
        """Return the operator that compares two values with NULL equal to NULL."""
        return "IS NOT DISTINCT FROM" if self.schema else "IS"

    def sql(self, statement: str, tables: Iterable[str]) -> str:
        """Fill in {table} names and the {p} prefix; use psycopg's placeholders."""
        return _filled(self, statement, tuple(tables))

    def lock_statement(self) -> str:
        """Return a statement that makes concurrent projectors of this view queue.

        PostgreSQL: a transaction-scoped advisory lock. SQLite: a write that
        touches no row still takes the database's write lock.
        """
        if self.schema:
            key = zlib.crc32(f"{self.schema}.{self.prefix}grades".encode())
            return f"SELECT pg_advisory_xact_lock({key})"
        return f"UPDATE {self.table('enterprise')} SET name = name WHERE 0 = 1"


@lru_cache(maxsize=1024)
def _filled(dialect: Dialect, statement: str, tables: tuple[str, ...]) -> str:
    """Format a statement once per dialect: the projector runs the same few."""
    names = {t: dialect.table(t) for t in tables}
    text = statement.format(p=dialect.prefix, **names)
    return text.replace("?", "%s") if dialect.schema else text
