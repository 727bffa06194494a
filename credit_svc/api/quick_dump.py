"""Dump plain dicts as a marshmallow schema would, without its machinery.

A schema's dump looks up, for every field of every item, the value's accessor,
its default and its hooks; each field's own `_serialize` (a date to ISO text,
a value to text) is a small part of it. For schemas of plain fields read
straight from dict keys, this calls the fields' own serialisation and
nothing else, so the output is what the schema dumps (tested against it).
"""

from __future__ import annotations

from typing import Any

from marshmallow import Schema, fields, missing


class QuickDump:
    """The dump of one schema, fixed when it is made."""

    def __init__(self, schema: Schema) -> None:
        if any(schema._hooks.values()):  # no public way to ask
            raise TypeError(f"{type(schema).__name__} has hooks: dump it with them")
        self._fields: list[tuple[str, fields.Field[Any], QuickDump | None]] = []
        for name, field in schema.dump_fields.items():
            if field.data_key not in (None, name) or field.attribute is not None:
                raise TypeError(f"{name}: renamed fields are not supported")
            if field.dump_default is not missing:
                raise TypeError(f"{name}: dump defaults are not supported")
            nested = None
            if isinstance(field, fields.Nested):
                if field.many or not isinstance(field.schema, Schema):
                    raise TypeError(f"{name}: only one nested schema is supported")
                nested = QuickDump(field.schema)
            self._fields.append((name, field, nested))

    def __call__(self, item: dict[str, Any]) -> dict[str, Any]:
        """Return the item as the schema dumps it; keys it lacks are left out,
        as the schema leaves them out."""
        dumped = {}
        for name, field, nested in self._fields:
            if name not in item:
                continue
            value = item[name]
            if nested is not None and value is not None:
                dumped[name] = nested(value)
            else:
                dumped[name] = field._serialize(value, name, item)
        return dumped
