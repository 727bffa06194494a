"""Events read with orjson are the very objects the library's reader makes."""

from __future__ import annotations

from decimal import Decimal
from typing import Any
from uuid import UUID

import pytest
from eventsourcing.persistence import JSONTranscoder, TranscodingNotRegisteredError
from hypothesis import given, settings
from hypothesis import strategies as st

from credit_svc.adapters.event_json import EventJSONTranscoder
from credit_svc.usecases.application import CreditService


def transcoders() -> tuple[JSONTranscoder, EventJSONTranscoder]:
    """Return the library's transcoder and the service's, with the service's
    transcodings registered on both."""
    app = CreditService(env={"PERSISTENCE_MODULE": "eventsourcing.popo"})
    library, ours = JSONTranscoder(), EventJSONTranscoder()
    app.register_transcodings(library)
    app.register_transcodings(ours)
    return library, ours


LIBRARY, OURS = transcoders()


def read_both(data: bytes) -> tuple[str, str]:
    """Return what each reader makes of the bytes (repr: exact, types shown)."""

    def outcome(transcoder: JSONTranscoder) -> str:
        try:
            return repr(transcoder.decode(data))
        except (TranscodingNotRegisteredError, TypeError) as refused:
            return f"refused: {refused!r}"  # e.g. a `_type_` that names nothing

    return outcome(LIBRARY), outcome(OURS)


SCALARS = (
    st.none()
    | st.booleans()
    | st.integers()  # unbounded: beyond 64 bits, orjson would round
    | st.floats(allow_nan=False)
    | st.text()
    | st.uuids()
    | st.decimals(allow_nan=False, allow_infinity=False)
    | st.datetimes()
    | st.dates()
)
VALUES = st.recursive(
    SCALARS,
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(st.sampled_from(["_type_", "_data_", "a", "b"]), inner)
    ),
    max_leaves=12,
)


@pytest.mark.slow  # 400 generated states: the full suite only
@given(st.dictionaries(st.text(), VALUES, max_size=6))
@settings(max_examples=400, deadline=None)
def test_any_event_state_reads_the_same_both_ways(state: dict[str, Any]) -> None:
    library, ours = read_both(LIBRARY.encode(state))
    assert ours == library


def test_registered_types_are_restored_at_any_depth() -> None:
    state = {
        "at": Decimal("12.50"),
        "nested": {"ids": [UUID(int=1), {"deep": Decimal("-0")}]},
    }
    data = LIBRARY.encode(state)
    assert OURS.decode(data) == state
    assert repr(OURS.decode(data)) == repr(LIBRARY.decode(data))


def test_integers_beyond_64_bits_are_read_exactly() -> None:
    # orjson alone reads them as floats (1.2345678901234568e+29)
    in_object = OURS.decode(b'{"count": 123456789012345678901234567890}')
    in_list = OURS.decode(b'{"counts": [18446744073709551616]}')
    assert in_object == {"count": 123456789012345678901234567890}
    assert type(in_object["count"]) is int
    assert in_list == {"counts": [2**64]}
    assert type(in_list["counts"][0]) is int


def test_what_orjson_refuses_the_library_still_reads() -> None:
    lone_surrogate = b'{"name": "\\ud800"}'
    assert OURS.decode(lone_surrogate) == {"name": "\ud800"}
    assert OURS.decode(b'{"x": NaN}')["x"] != OURS.decode(b'{"x": NaN}')["x"]


def test_an_unknown_type_is_refused_as_the_library_refuses_it() -> None:
    data = b'{"x": {"_type_": "no_such_type", "_data_": "1"}}'
    library, ours = read_both(data)
    assert ours == library
    assert ours.startswith("refused")


def test_a_marker_whose_type_is_itself_a_marker_is_refused_as_the_library_does() -> (
    None
):
    # Found by the property above: the inner marker must be restored first.
    data = LIBRARY.encode({"": {"_data_": "", "_type_": UUID(int=3)}})

    library, ours = read_both(data)

    assert ours == library
    assert library.startswith("refused: TranscodingNotRegisteredError")
