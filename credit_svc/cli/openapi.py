"""`credit-svc openapi`: the service's OpenAPI document, as integrators get it."""

from __future__ import annotations

from typing import Any, TextIO

import click
from flask import current_app, json
from flask.cli import with_appcontext


@click.group("openapi")
def openapi() -> None:
    """Print or write the OpenAPI document (also served at /openapi.json)."""


def _document() -> dict[str, Any]:
    api = current_app.extensions["flask-smorest"]["apis"][""]["ext_obj"]
    document: dict[str, Any] = api.spec.to_dict()
    return document


@openapi.command("print")
@with_appcontext
def print_command() -> None:
    """Print the OpenAPI document as JSON."""
    click.echo(json.dumps(_document(), indent=2, sort_keys=False))


@openapi.command("write")
@click.argument("output", type=click.File("w", encoding="utf-8"))
@with_appcontext
def write_command(output: TextIO) -> None:
    """Write the OpenAPI document as JSON to OUTPUT (schemas/openapi.json)."""
    click.echo(json.dumps(_document(), indent=2, sort_keys=False), file=output)
