"""Other departments' lists (经营异常名录, 严重违法失信名单, labour violations,
safety accidents): what a line of each means here.

A line lists a firm (a bad-credit record of the department, flagged so the
packs' award exclusions read it) and, with a removal date, takes it off
again (the record is lifted from that day). Pure: the lists' columns and
flags come from a versioned data file (rulepacks/national/department_lists.yaml);
usecases/list_imports.py checks the firms and writes.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any, Final

from credit_svc.domain.credit_code import is_valid_credit_code

# Dates as departments write them: 2026-03-02, 2026/3/2 or 2026年3月2日.
DATE_FORMS: Final = re.compile(r"^(\d{4})[-/年](\d{1,2})[-/月](\d{1,2})日?$")
NOT_A_CODE: Final = "不是有效的统一社会信用代码 · not a valid credit code"


@dataclass(frozen=True)
class DepartmentList:
    """One department's list: who hands it over, its columns, what it flags."""

    name: str
    title: str
    roles: tuple[str, ...]  # the department roles whose keys import it
    flag: str
    severity: str
    violation_code: str
    removable: bool
    columns: Mapping[str, str]  # what each column holds -> its name in the file


@dataclass(frozen=True)
class Removal:
    """A firm taken off the list (移出)."""

    removed_on: date
    authority: str
    reason: str


@dataclass(frozen=True)
class ListLine:
    """A line read: the record it lists, and its removal if it has one."""

    number: int
    facts: dict[str, Any]  # a bad_credit record's facts
    removal: Removal | None


class LineError(ValueError):
    """What is wrong with a line: column name -> message."""

    def __init__(self, messages: Mapping[str, str]) -> None:
        super().__init__("; ".join(f"{k}: {v}" for k, v in messages.items()))
        self.messages = dict(messages)


def read_line(
    department_list: DepartmentList, number: int, line: Mapping[str, Any], today: date
) -> ListLine:
    """Return what a line lists (and removes); LineError with every problem."""
    cell = _Cells(line, department_list.columns)
    code = cell.text("credit_code")
    if code and not is_valid_credit_code(code):
        cell.error("credit_code", NOT_A_CODE)
    listed_on = cell.day("listed_on", today)
    authority, reason = cell.text("authority"), cell.text("reason")
    for required in ("credit_code", "listed_on", "authority", "reason"):
        if not cell.text(required):
            cell.error(required, "必填 · required")
    authority_code = cell.text("authority_code")
    if authority_code and not is_valid_credit_code(authority_code):
        cell.error("authority_code", NOT_A_CODE)
    removal = _removal(department_list, cell, listed_on, authority, today)
    if cell.errors:
        raise LineError(cell.errors)
    assert listed_on is not None
    document = cell.text("document_number") or f"{department_list.title}{listed_on}"
    facts = {
        "credit_code": code,
        "business_date": listed_on,
        "authority": authority,
        "document_number": document,
        "project_code": "",
        "term_months": None,
        "violation_code": department_list.violation_code,
        "description": reason,
        "severity": department_list.severity,
        "points": None,
        "veto": False,
        "flags": [department_list.flag],
        "violation_type": department_list.title,
        "legal_basis": "",
        "penalty_category": "",
        "penalty_content": "",
        "fine_amount": None,
        "authority_code": authority_code,
        "legal_representative": "",
    }
    return ListLine(number, facts, removal)


def _removal(
    department_list: DepartmentList,
    cell: _Cells,
    listed_on: date | None,
    authority: str,
    today: date,
) -> Removal | None:
    if not department_list.removable:  # a removal column would be ignored: say so
        for name, value in cell.line.items():
            if "移出" in str(name) and value not in (None, ""):
                message = f"{department_list.title}没有移出 · has no removals"
                cell.errors.setdefault(str(name), message)
        return None
    if not cell.text("removed_on"):
        return None
    removed_on = cell.day("removed_on", today)
    if removed_on and listed_on and removed_on < listed_on:
        cell.error("removed_on", "早于列入日期 · before the listing")
    remover = cell.text("removal_authority") or authority
    if remover != authority:
        cell.error(
            "removal_authority",
            "移出须由作出列入决定的机关作出 · the listing authority removes",
        )
    if removed_on is None:
        return None
    return Removal(removed_on, remover, cell.text("removal_reason"))


class _Cells:
    """A line's cells by what they hold, and the errors found in them (keyed
    by the file's column names)."""

    def __init__(self, line: Mapping[str, Any], columns: Mapping[str, str]) -> None:
        self.line, self.columns = line, columns
        self.errors: dict[str, str] = {}

    def text(self, what: str) -> str:
        name = self.columns.get(what)
        value = self.line.get(name) if name else None
        return "" if value is None else str(value).strip()

    def error(self, what: str, message: str) -> None:
        self.errors.setdefault(self.columns.get(what, what), message)

    def day(self, what: str, today: date) -> date | None:
        text = self.text(what)
        if not text:
            return None
        found = DATE_FORMS.match(text)
        try:
            day = date(*(int(part) for part in found.groups())) if found else None
        except ValueError:
            day = None
        if day is None:
            self.error(what, "不是日期（如 2026-03-02）· not a date (e.g. 2026-03-02)")
        elif day > today:
            self.error(what, "不能晚于今天 · may not be in the future")
            day = None
        return day
