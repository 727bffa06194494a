"""Field types shared by the request and response schemas."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any, Final

from marshmallow import ValidationError, fields, validate

from credit_svc.api.clock import today
from credit_svc.api.json import decimal_text
from credit_svc.domain.credit_code import is_valid_credit_code, is_valid_division_code

# A jurisdiction asked about: a province, a city or a county, ASCII digits.
DIVISION_PREFIX = r"^([0-9]{2}|[0-9]{4}|[0-9]{6})$"
# Log positions and feed seqs are BIGINT: a larger one could not be compared
# by the database (on SQLite it failed with a 500).
MAX_BIGINT = 2**63 - 1


INVALID_CODE: Final = (
    "not a valid unified social credit code (GB 32100, check character)"
)


def check_credit_code(value: str) -> None:
    """Refuse a code without the GB 32100 shape or check character."""
    if not is_valid_credit_code(value):
        raise ValidationError(INVALID_CODE)


def check_division_code(value: str) -> None:
    """Refuse anything but a 6-digit administrative division code."""
    if not is_valid_division_code(value):
        raise ValidationError("not a 6-digit administrative division code")


# Every time zone is within 14 hours of UTC: a moment this far from the ends
# of the calendar has a business date in any zone, and a UTC time.
EARLIEST_MOMENT = datetime(1, 1, 2, tzinfo=UTC)
LATEST_MOMENT = datetime(9999, 12, 30, tzinfo=UTC)


def check_moment(value: datetime) -> None:
    """Refuse a moment too near the ends of the calendar to convert (a 500)."""
    try:
        in_utc = value.astimezone(UTC)
    except OverflowError:
        in_utc = None
    if in_utc is None or not EARLIEST_MOMENT <= in_utc <= LATEST_MOMENT:
        msg = f"must lie between {EARLIEST_MOMENT.date()} and {LATEST_MOMENT.date()}"
        raise ValidationError(msg)


def check_not_future(value: date) -> None:
    """Refuse business dates after today: records state facts that happened."""
    if value > today():
        raise ValidationError("must not be after today")


def text(max_length: int = 200, **kwargs: Any) -> fields.String:
    """Return a string field that refuses blanks and overlong text."""
    return fields.String(validate=validate.Length(min=1, max=max_length), **kwargs)


def choice(values: tuple[str, ...], **kwargs: Any) -> fields.String:
    """Return a string field limited to the given values."""
    return fields.String(validate=validate.OneOf(values), **kwargs)


def check_two_places(value: Decimal) -> None:
    """Refuse more than two decimal places instead of rounding them away."""
    if value != value.quantize(Decimal("0.01")):
        raise ValidationError("at most two decimal places")


def decimal(
    low: int, high: int, *, low_inclusive: bool = True, **kwargs: Any
) -> fields.Decimal:
    """Return an exact decimal field within [low, high], at most two places.

    The range is checked by a plain function and documented through metadata,
    because apispec would otherwise write the bounds as strings.
    """

    def check_range(value: Decimal) -> None:
        too_low = value < low if low_inclusive else value <= low
        if too_low or value > high:
            relation = ">=" if low_inclusive else ">"
            raise ValidationError(f"must be {relation} {low} and <= {high}")

    bounds = {"minimum": low, "maximum": high, "exclusiveMinimum": not low_inclusive}
    metadata = bounds | kwargs.pop("metadata", {})
    return fields.Decimal(
        as_string=True,
        validate=[check_range, check_two_places],
        metadata=metadata,
        **kwargs,
    )


def score(**kwargs: Any) -> fields.Decimal:
    """Return a 0-100 score field, exact, serialised as a string."""
    return decimal(0, 100, **kwargs)


def credit_code(**kwargs: Any) -> fields.String:
    """Return a unified social credit code field."""
    return fields.String(validate=check_credit_code, **kwargs)


def division_prefix(**kwargs: Any) -> fields.String:
    """Return a jurisdiction asked about: 2, 4 or 6 digits of a division code."""
    pattern = validate.Regexp(
        DIVISION_PREFIX, error="2, 4 or 6 digits of a division code"
    )
    return fields.String(validate=pattern, **kwargs)


def period(**kwargs: Any) -> fields.String:
    """Return an assessment period: a year, a half-year or a quarter."""
    pattern = validate.Regexp(
        r"^[0-9]{4}(-(H[12]|Q[1-4]))?$", error="a year, e.g. 2025, 2025-H1 or 2025-Q3"
    )
    return fields.String(validate=pattern, **kwargs)


class Amount(fields.String):
    """A score or points, written as decimal_text writes them ("84", "92.5")."""

    def _serialize(self, value: Any, attr: str | None, obj: Any, **kwargs: Any) -> Any:
        if isinstance(value, (Decimal, str)) and value != "":
            value = decimal_text(Decimal(value))
        return super()._serialize(value, attr, obj, **kwargs)
