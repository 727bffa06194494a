"""`credit-svc exchange`: exports to the national credit platform, the field
sets' JSON Schemas, and imports of other departments' lists."""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path
from typing import Any, TextIO

import click
from flask.cli import with_appcontext

from credit_svc.adapters.acting import ACTING_KEY
from credit_svc.api.clock import today
from credit_svc.api.department_lists import department_lists
from credit_svc.api.exchange import FIELD_SETS, as_csv, standard
from credit_svc.api.services import services
from credit_svc.domain.exchange import json_schema
from credit_svc.usecases.exchange_export import CreditExchange
from credit_svc.usecases.list_imports import DepartmentListImport, Importer


@click.group("exchange")
def exchange() -> None:
    """Data exchange with the national credit platform and other departments."""


@exchange.command("export")
@click.argument("field_set", type=click.Choice(tuple(FIELD_SETS)))
@click.option(
    "--jurisdiction",
    required=True,
    callback=lambda _c, _p, value: _prefix(value),
    help="Division prefix (2, 4 or 6 digits).",
)
@click.option(
    "--after",
    type=click.IntRange(min=0),
    help="The last export's next_after: only what happened since.",
)
@click.option(
    "--format",
    "file_format",
    type=click.Choice(("json", "csv")),
    default="json",
    show_default=True,
    help="JSON (with what was left out) or CSV (UTF-8, Chinese columns).",
)
@click.option(
    "--output",
    type=click.File("w", encoding="utf-8"),
    default="-",
    help="Where to write it (standard output by default).",
)
@with_appcontext
def export_command(
    field_set: str,
    jurisdiction: str,
    after: int | None,
    file_format: str,
    output: TextIO,
) -> None:
    """Export penalties (双公示) or list decisions in the national field set.

    Checked against its JSON Schema before it is written. The position to
    pass as --after next time is printed on standard error.
    """
    opened = services()
    exchange_ = CreditExchange(opened.view, opened.packs, standard(), opened.app.name)
    made = exchange_.export(FIELD_SETS[field_set], jurisdiction, after)
    if file_format == "csv":
        output.write(as_csv(made))
    else:
        json.dump(made.document(), output, ensure_ascii=False, indent=2)
        output.write("\n")
    click.echo(
        f"{len(made.rows)} rows, {len(made.skipped)} records left out; "
        f"next --after {made.next_after}",
        err=True,
    )


@exchange.command("schemas")
@click.argument(
    "directory", type=click.Path(file_okay=False, path_type=Path), default="schemas"
)
def schemas_command(directory: Path) -> None:
    """Write each field set's JSON Schema to DIRECTORY (schemas/)."""
    for name, field_set in standard().field_sets.items():
        path = directory / f"exchange-{name}.schema.json"
        text = json.dumps(
            json_schema(field_set, standard()), ensure_ascii=False, indent=2
        )
        path.write_text(text + "\n", encoding="utf-8")
        click.echo(f"wrote {path}")


@exchange.command("import")
@click.argument("list_name", metavar="LIST")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@with_appcontext
def import_command(list_name: str, path: Path) -> None:
    """Import another department's list from CSV (UTF-8, with a header) or JSON
    (an array of objects), with its own column names; any bad line stops it
    with nothing written.

    LIST: abnormal_operations, serious_dishonesty, labour_violation or
    safety_accident. Lines recorded before are skipped; a line with a removal
    date (移出日期) takes the firm off the list.
    """
    lists = department_lists()
    if list_name not in lists:
        raise click.BadParameter(f"one of {', '.join(lists)}", param_hint="LIST")
    ACTING_KEY.set("cli:exchange-import")
    importing = DepartmentListImport(services().app)
    plan = importing.plan(lists[list_name], _lines(path), Importer(), today())
    for number, messages in plan.errors:
        for column, message in messages.items():
            click.echo(f"line {number}: {column}: {message}", err=True)
    if plan.errors:
        click.echo(f"{len(plan.errors)} bad lines: nothing imported", err=True)
        raise SystemExit(1)
    try:
        position = importing.apply(plan)
    except ValueError as error:
        raise click.ClickException(str(error)) from None
    services().projector.catch_up(services().view)
    click.echo(
        f"imported {len(plan.listings)} listings and {len(plan.removals)} removals "
        f"of listings recorded before, skipped {plan.skipped}; log at {position}"
    )


def _prefix(value: str) -> str:
    if not re.fullmatch(r"[0-9]{2}([0-9]{2}){0,2}", value):
        raise click.BadParameter("2, 4 or 6 digits of a division code")
    return value


def _lines(path: Path) -> list[tuple[int, dict[str, Any]]]:
    text = path.read_text(encoding="utf-8-sig")
    if path.suffix.lower() == ".json":
        rows = json.loads(text)
        if not isinstance(rows, list) or not all(isinstance(r, dict) for r in rows):
            raise click.ClickException("a JSON list is an array of objects")
        return list(enumerate(rows, start=1))
    try:
        return list(enumerate(csv.DictReader(text.splitlines()), start=2))
    except csv.Error as error:
        raise click.ClickException(f"not CSV: {error}") from None
