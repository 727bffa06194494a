"""Checks shared by the rule-pack schemas."""

from __future__ import annotations

from marshmallow import validate

CODE = validate.Regexp(r"^[A-Za-z0-9_.\-]+$")
POSITIVE_MONTHS = validate.Range(min=1, max=600)
# A day of every year, "MM-DD" (29 February is not one).
MONTH_DAY = validate.Regexp(
    r"^(0[1-9]|1[0-2])-(0[1-9]|1\d|2[0-8])$|^(0[13-9]|1[0-2])-(29|30)$|^(0[13578]|1[02])-31$",
    error="a day of every year as MM-DD",
)
