"""Checks shared by the rule-pack schemas."""

from __future__ import annotations

from marshmallow import validate

CODE = validate.Regexp(r"^[A-Za-z0-9_.\-]+$")
POSITIVE_MONTHS = validate.Range(min=1, max=600)
