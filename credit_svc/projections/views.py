"""The grade view's two kinds (SQLite, PostgreSQL), and how to open one.

Each kind lives in a module of its own, imported when a view of that kind is
opened: a SQLite deployment never loads the PostgreSQL driver, which was half
of a rebuild worker's start (0.15 of 0.30 s) and 11 MB of each gunicorn
worker's memory.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeAlias

from eventsourcing.persistence import InfrastructureFactory

if TYPE_CHECKING:
    from credit_svc.projections.postgres_view import PostgresGradeView
    from credit_svc.projections.sqlite_view import SQLiteGradeView

LIVE_PREFIX = "cs_"
REBUILD_PREFIX = "rb_"

GradeView: TypeAlias = "SQLiteGradeView | PostgresGradeView"


def open_view(env: Mapping[str, str], prefix: str = LIVE_PREFIX) -> GradeView:
    """Open the grade view in the database the environment names."""
    factory: Any = InfrastructureFactory.construct(dict(env))
    view: GradeView
    if env["PERSISTENCE_MODULE"].endswith("postgres"):
        from credit_svc.projections.postgres_view import PostgresGradeView

        view = PostgresGradeView(factory.datastore, prefix)
    else:
        from credit_svc.projections.sqlite_view import SQLiteGradeView

        view = SQLiteGradeView(factory.datastore, prefix)
    if env.get("CREATE_TABLE") == "y":
        view.create_table()
    view.opened_with = dict(env)  # for worker processes to open it again
    return view
