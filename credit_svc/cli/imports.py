"""`credit-svc import`: load enterprises and records from CSV or JSON Lines,
all or nothing."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from flask.cli import with_appcontext

from credit_svc.adapters.acting import ACTING_KEY
from credit_svc.api.services import services
from credit_svc.cli.importing import apply_import, plan_import, read_rows


@click.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--format",
    "file_format",
    type=click.Choice(("jsonl", "csv")),
    help="Default: from the file name (.csv, else JSON Lines).",
)
@with_appcontext
def import_command(path: Path, file_format: str | None) -> None:
    """Import enterprises and records; any bad line stops it, with nothing written.

    Each line (or CSV row) has `kind` and the fields the HTTP API takes: kind
    `enterprise` registers one (`credit_code`, `name`, `jurisdiction`,
    `authority`, `projects`), any record kind records one about `credit_code`.
    In CSV, list cells are separated by ";" and a project is `CODE=名称`.
    """
    ACTING_KEY.set("cli:import")
    chosen = file_format or ("csv" if path.suffix.lower() == ".csv" else "jsonl")
    with path.open(encoding="utf-8") as counted:
        lines = sum(1 for _ in counted)
    with path.open(encoding="utf-8", newline="") as file:
        rows = read_rows(file, chosen)
        with click.progressbar(
            rows, length=lines, label="checking", file=sys.stderr
        ) as bar:
            plan = plan_import(services().app, bar)
    for number, message in plan.errors:
        click.echo(f"line {number}: {message}", err=True)
    if plan.errors:
        click.echo(f"{len(plan.errors)} bad lines: nothing imported", err=True)
        raise SystemExit(1)
    new = len(plan.enterprises) + len(plan.records)
    with click.progressbar(length=new, label="writing", file=sys.stderr) as bar:
        try:
            position = apply_import(services().app, plan)  # one transaction
        except ValueError as error:
            raise click.ClickException(str(error)) from None
        bar.update(new)
    view = services().view
    behind = position - (view.db.tracking.max_tracking_id(services().app.name) or 0)
    with click.progressbar(
        length=max(behind, 0), label="projecting", file=sys.stderr
    ) as bar:
        applied = services().projector.catch_up(view, progress=bar.update)
    click.echo(
        f"imported {len(plan.enterprises)} enterprises and {len(plan.records)} "
        f"records, skipped {plan.skipped} already recorded; log at {position}; "
        f"grade view applied {applied} events"
    )
