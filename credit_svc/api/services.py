"""Access to this process's services from inside a request."""

from __future__ import annotations

from collections.abc import Collection

from flask import current_app

from credit_svc.services import Services
from credit_svc.usecases.credit_reports import CreditReports
from credit_svc.usecases.grade_reader import GradeReader
from credit_svc.usecases.manager_reader import ManagerReader
from credit_svc.usecases.project_reader import ProjectReader


def services() -> Services:
    """Return the services opened for this app."""
    opened: Services = current_app.extensions["credit_svc"]
    return opened


def view_version() -> tuple[int, str]:
    """Return the grade view's position and generation (see answer_cache.py)."""
    opened = services()
    return opened.view.version(opened.app.name)


def codes_changed(after: int, upto: int) -> Collection[str] | None:
    """Return the enterprises the view's events after one position up to
    another changed (see answer_cache.py), or None when it cannot tell."""
    opened = services()
    return opened.view.codes_changed(opened.app.name, after, upto)


def reader() -> GradeReader:
    """Return a grade reader over this app's view and packs."""
    opened = services()
    return GradeReader(opened.view, opened.packs)


def manager_reader() -> ManagerReader:
    """Return a project-manager reader over this app's view and packs."""
    opened = services()
    return ManagerReader(opened.view, opened.packs)


def project_reader() -> ProjectReader:
    """Return a project reader over this app's log, view, packs and calendar."""
    opened = services()
    return ProjectReader(opened.app, reader(), opened.packs, opened.calendar)


def credit_reports() -> CreditReports:
    """Return the credit-report use cases, for one request."""
    return CreditReports(services())
