"""Events read from JSON with orjson, to the very objects the library's reader makes.

Every event the service replays is decoded: a rebuild decodes the whole log,
the projector each new event, a write the aggregates it changes. The
library's reader (the standard library's JSON with a hook per object) took
about half of the time of turning a stored record into the view's rows.
Writing is left to the library, so the stored bytes, which the hash chain
covers, are what they always were.
"""

from __future__ import annotations

from typing import Any

import orjson
from eventsourcing.persistence import JSONTranscoder


class _InexactError(Exception):
    """orjson read a number as a float: it may have rounded an integer.

    The view's record facts are read the same way (projections/codec.py):
    both walk what they read anyway, to restore types, and look for floats
    on the way, each over its own shape.
    """


class EventJSONTranscoder(JSONTranscoder):
    """The library's JSON transcoder, reading with orjson where that is exact.

    orjson reads an integer beyond 64 bits as a float, and events hold no
    floats (amounts are Decimals, stored as text): a float, or anything orjson
    refuses (a lone surrogate, NaN), sends the event to the library's reader,
    so both readers return the same objects for the same bytes.
    """

    def decode(self, data: bytes) -> Any:
        """Return the object the bytes encode, with registered types restored."""
        try:
            return self._restored(orjson.loads(data))
        except (orjson.JSONDecodeError, _InexactError):
            return super().decode(data)

    def _restored(self, value: Any) -> Any:
        """Restore the registered types in the value, innermost objects first,
        as the library's hook does."""
        kind = type(value)
        if kind is dict:
            for name, item in value.items():
                item_kind = type(item)
                if item_kind is dict and _is_plain_marker(item):  # a UUID, a date
                    value[name] = self._decode_obj(item)
                elif item_kind is dict or item_kind is list:
                    value[name] = self._restored(item)
                elif item_kind is float:
                    raise _InexactError
            return self._decode_obj(value) if _is_marker(value) else value
        if kind is list:
            return [self._restored(item) for item in value]
        if kind is float:
            raise _InexactError
        return value


def _is_marker(value: dict[str, Any]) -> bool:
    """Tell whether the object stands for a registered type (the library's
    form: its name and its data, nothing else)."""
    return len(value) == 2 and "_type_" in value and "_data_" in value


def _is_plain_marker(value: dict[str, Any]) -> bool:
    """Tell whether the object stands for a registered type by text alone
    (all of the service's types do), so nothing inside it is to restore."""
    return (
        _is_marker(value)
        and type(value["_data_"]) is str
        and type(value["_type_"]) is str  # else it holds a marker to restore first
    )
