"""QuickDump dumps as a schema would, and refuses schemas it cannot mimic."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from marshmallow import Schema, fields, post_dump

from credit_svc.api.quick_dump import QuickDump


class Inner(Schema):
    id = fields.String()


class Plain(Schema):
    name = fields.String()
    day = fields.Date(allow_none=True)
    count = fields.Integer()
    flag = fields.Boolean()
    inner = fields.Nested(Inner, allow_none=True)


@pytest.mark.parametrize(
    "item",
    [
        {"name": "a", "day": date(2026, 6, 1), "count": 3, "flag": True},
        {"name": "b", "day": None, "inner": {"id": "x", "extra": 1}, "other": 2},
        {"inner": None},
    ],
)
def test_it_dumps_what_the_schema_dumps(item: dict[str, Any]) -> None:
    assert QuickDump(Plain())(item) == Plain().dump(item)


class Hooked(Plain):
    @post_dump
    def shout(self, data: dict[str, Any], **_: Any) -> dict[str, Any]:
        return {k.upper(): v for k, v in data.items()}


class Renamed(Schema):
    name = fields.String(data_key="title")


class Defaulted(Schema):
    name = fields.String(dump_default="x")


class Many(Schema):
    inner = fields.Nested(Inner, many=True)


@pytest.mark.parametrize("schema", [Hooked, Renamed, Defaulted, Many])
def test_it_refuses_what_it_cannot_mimic(schema: type[Schema]) -> None:
    with pytest.raises(TypeError):
        QuickDump(schema())
