"""The national exchange formats: 双公示 administrative penalties and red/black
list decisions, as rows of the standard's columns, and their JSON Schema.

Pure: the field sets come from a versioned data file
(rulepacks/national/exchange.yaml); the use case (usecases/exchange_export.py)
hands in records with their later changes, and gets rows and what kept a
record out.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any, Final

from credit_svc.domain.calendar import add_months
from credit_svc.domain.disclosure import DisclosureRules
from credit_svc.domain.fact import RecordFact
from credit_svc.domain.record_status import Change, current_facts
from credit_svc.domain.vocabulary import PENALTY_CATEGORIES


@dataclass(frozen=True)
class ExchangeField:
    """One column of a field set and the record fact it is read from."""

    column: str
    source: str
    required: bool
    type: str = "text"  # text, date, credit_code, amount, penalty_category, list_class
    max_length: int | None = None


@dataclass(frozen=True)
class FieldSet:
    """The columns of one kind of exchanged information."""

    name: str  # penalty, list_decision
    title: str
    fields: tuple[ExchangeField, ...]

    @property
    def columns(self) -> tuple[str, ...]:
        """Return every column of a row: the standard's, then the operation's."""
        return (*(f.column for f in self.fields), *OPERATION_COLUMNS_ALL)


@dataclass(frozen=True)
class ExchangeStandard:
    """One version of the field sets, from the day it applies."""

    version: str
    effective_from: date
    field_sets: Mapping[str, FieldSet]


# What a row does on the receiving platform, and this service's own columns
# that say so (the standard's columns come first).
ADD: Final = "新增"
UPDATE: Final = "更新"  # a correction: the row replaces the one of its 记录编号
WITHDRAW: Final = "撤销"  # retracted, repaired or lifted: unpublish it
OPERATION: Final = "数据操作"
OPERATION_REASON: Final = "操作原因"
OPERATION_TIME: Final = "操作时间"
RECORD_ID: Final = "记录编号"
POSITION: Final = "日志位置"
OPERATION_COLUMNS: Final = (OPERATION, OPERATION_REASON, OPERATION_TIME)
OPERATION_COLUMNS_ALL: Final = (*OPERATION_COLUMNS, RECORD_ID, POSITION)
# The record kind each field set is made of.
KIND_OF: Final = {"penalty": "bad_credit", "list_decision": "list_entry"}
NO_END: Final = date(2099, 12, 31)  # 处罚有效期 of a decision without an end
LIST_CLASS: Final = {
    "red_board": "红名单",
    "black_board": "黑名单",
    "blacklist": "黑名单",
}
LIST_NAME: Final = {"red_board": "红榜", "black_board": "黑榜", "blacklist": "黑名单"}
CREDIT_CODE_PATTERN: Final = r"^[0-9A-HJ-NPQRTUWXY]{2}[0-9]{6}[0-9A-HJ-NPQRTUWXY]{10}$"


@dataclass(frozen=True)
class ExchangeRecord:
    """A record as the exchange sees it: as first recorded, its enterprise's
    name, and its later changes with their log positions and times."""

    record_id: str
    position: int
    recorded_at: str
    enterprise_name: str
    fact: RecordFact
    changes: tuple[tuple[int, str, Change], ...]  # (position, recorded_at, change)
    valid_until: date | None = None  # a list entry's end under its pack


@dataclass(frozen=True)
class Skipped:
    """A record the field set could not carry, and why."""

    record_id: str
    credit_code: str
    reason: str
    missing: tuple[str, ...] = ()


def is_exchanged(field_set: FieldSet, fact: RecordFact) -> bool:
    """Tell whether a record belongs to the field set: a bad-credit record is
    an administrative penalty when it states its category."""
    if fact.kind != KIND_OF[field_set.name]:
        return False
    return field_set.name != "penalty" or bool(fact.get("penalty_category"))


def rows_of(
    field_set: FieldSet,
    record: ExchangeRecord,
    disclosure: DisclosureRules,
    after: int | None,
) -> tuple[list[dict[str, str]], Skipped | None]:
    """Return the rows a record gives, oldest first, and why it gave none.

    With `after` None, the record as it stands: one row to add, none once it
    was withdrawn. With a log position, a row for each event after it: the
    record added, corrected (the whole row as corrected) or withdrawn.
    """
    if after is None:
        return _current_row(field_set, record, disclosure)
    rows: list[dict[str, str]] = []
    known: list[Change] = []
    events = [(record.position, record.recorded_at, None), *record.changes]
    for position, recorded_at, change in events:
        if change is not None:
            known.append(change)
        operation = (ADD, "") if change is None else _operation_of(change)
        if position <= after or operation is None:
            continue
        values = _values(field_set, record, known, disclosure)
        if isinstance(values, Skipped):
            return [], values
        rows.append(_row(field_set, values, operation, (recorded_at, position), record))
    return rows, None


def _current_row(
    field_set: FieldSet, record: ExchangeRecord, disclosure: DisclosureRules
) -> tuple[list[dict[str, str]], Skipped | None]:
    changes = [change for _, _, change in record.changes]
    if any((_operation_of(c) or ("",))[0] == WITHDRAW for c in changes):
        return [], None
    values = _values(field_set, record, changes, disclosure)
    if isinstance(values, Skipped):
        return [], values
    when = (record.recorded_at, record.position)
    return [_row(field_set, values, (ADD, ""), when, record)], None


def _operation_of(change: Change) -> tuple[str, str] | None:
    """Return what a later event does to the published row, if anything."""
    kind = change.change_type
    if kind == "Corrected":
        return UPDATE, str(change.body.get("reason", ""))
    if kind in ("Retracted", "Lifted") or (
        kind == "RepairDecided" and change.body.get("outcome") == "granted"
    ):
        return WITHDRAW, _reason(change)
    return None


WITHDRAWN_BY: Final = {
    "Retracted": "撤回",
    "Lifted": "提前移出",
    "RepairDecided": "信用修复",
}


def _reason(change: Change) -> str:
    """Return why a row is withdrawn: the event's kind, and its stated reason."""
    label = WITHDRAWN_BY.get(change.change_type, "")
    stated = str(change.body.get("reason", ""))
    return f"{label}：{stated}" if stated else label


def _values(
    field_set: FieldSet,
    record: ExchangeRecord,
    changes: Sequence[Change],
    disclosure: DisclosureRules,
) -> dict[str, Any] | Skipped:
    """Return the values the field set reads, with the corrections known."""
    facts = current_facts(record.fact.attributes, changes)
    business_date = facts["business_date"]
    code = str(facts["credit_code"])
    values: dict[str, Any] = dict(facts) | {"enterprise_name": record.enterprise_name}
    if field_set.name == "penalty":
        term = facts.get("term_months")
        fact = RecordFact(record.record_id, "bad_credit", business_date, term, facts)
        window = disclosure.window_of(fact)
        if window is not None and window.ends_on <= business_date:
            return Skipped(record.record_id, code, "not disclosed (公示期为零)")
        values["valid_until"] = add_months(business_date, term) if term else NO_END
        values["disclosed_until"] = (
            window.ends_on - timedelta(days=1) if window else None
        )
    else:
        list_type = str(facts["list_type"])
        values["list_class"] = LIST_CLASS[list_type]
        values["list_name"] = LIST_NAME[list_type]
        values["valid_until"] = record.valid_until
        lifted = [c for c in changes if c.change_type == "Lifted"]
        values["removed_on"] = lifted[-1].body["lifted_on"] if lifted else None
    missing = tuple(
        f.column
        for f in field_set.fields
        if f.required and _text(values.get(f.source)) == ""
    )
    if missing:
        return Skipped(record.record_id, code, "required fields missing", missing)
    return values


def _row(
    field_set: FieldSet,
    values: Mapping[str, Any],
    operation: tuple[str, str],
    when: tuple[str, int],
    record: ExchangeRecord,
) -> dict[str, str]:
    """Return a row: the field set's columns, then what it does, when
    (the event's record time and log position) and to which record."""
    row = {f.column: _text(values.get(f.source)) for f in field_set.fields}
    return row | {
        OPERATION: operation[0],
        OPERATION_REASON: operation[1],
        OPERATION_TIME: when[0],
        RECORD_ID: record.record_id,
        POSITION: str(when[1]),
    }


def _text(value: Any) -> str:
    """Return a value as the field set writes it: ISO dates, exact decimals."""
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        if value == value.to_integral_value():
            return str(value.quantize(Decimal(1)))
        return str(value.normalize())
    return str(value)


def json_schema(field_set: FieldSet, standard: ExchangeStandard) -> dict[str, Any]:
    """Return the JSON Schema of an export of the field set (JSON format; a
    CSV line is one of its rows, every value a string)."""
    properties = {f.column: _property(f) for f in field_set.fields}
    properties |= {
        OPERATION: {"enum": [ADD, UPDATE, WITHDRAW]},
        OPERATION_REASON: {"type": "string", "maxLength": 2000},
        OPERATION_TIME: {"type": "string", "minLength": 1},
        RECORD_ID: {"type": "string", "format": "uuid"},
        POSITION: {"type": "string", "pattern": "^[1-9][0-9]*$"},
    }
    required = [f.column for f in field_set.fields if f.required]
    row: dict[str, Any] = {
        "type": "object",
        "properties": properties,
        "required": [*required, *OPERATION_COLUMNS_ALL],
        "additionalProperties": False,
    }
    fine = next((f for f in field_set.fields if f.source == "fine_amount"), None)
    category = next(
        (f for f in field_set.fields if f.source == "penalty_category"), None
    )
    if fine and category:  # a fine states its amount
        row["if"] = {"properties": {category.column: {"const": "罚款"}}}
        row["then"] = {"properties": {fine.column: {"minLength": 1}}}
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"https://credit-svc.example/schemas/exchange-{field_set.name}.json",
        "title": f"{field_set.title} · credit_svc export, field set {standard.version}",
        "type": "object",
        "required": ["field_set", "standard", "full", "after", "next_after", "rows"],
        "properties": {
            "field_set": {"const": field_set.name},
            "standard": {"const": standard.version},
            "jurisdiction": {"type": "string", "pattern": "^[0-9]{2}([0-9]{2}){0,2}$"},
            "full": {"type": "boolean"},
            "after": {"type": ["integer", "null"], "minimum": 0},
            "next_after": {"type": "integer", "minimum": 0},
            "columns": {"type": "array", "items": {"type": "string"}},
            "rows": {"type": "array", "items": {"$ref": "#/$defs/row"}},
            "skipped": {"type": "array", "items": {"type": "object"}},
        },
        "$defs": {"row": row},
    }


# What each type of column may hold, besides being a string.
TYPE_RULES: Final[Mapping[str, Mapping[str, Any]]] = {
    "text": {},
    "date": {"pattern": r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"},
    "credit_code": {"pattern": CREDIT_CODE_PATTERN},
    "amount": {"pattern": r"^(0|[1-9][0-9]*)(\.[0-9]{1,6})?$"},
    "penalty_category": {"enum": list(PENALTY_CATEGORIES)},
    "list_class": {"enum": sorted(set(LIST_CLASS.values()))},
}


def _property(field: ExchangeField) -> dict[str, Any]:
    base: dict[str, Any] = {"type": "string", **TYPE_RULES[field.type]}
    if field.max_length:
        base["maxLength"] = field.max_length
    if field.required:
        base["minLength"] = 1
    elif field.type in ("date", "credit_code", "amount"):
        base = {"anyOf": [base, {"const": ""}]}  # optional: empty when not stated
    return base
