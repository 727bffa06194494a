"""`credit-svc draw --verify`: run a 双随机 draw again from its inputs."""

from __future__ import annotations

import json
from typing import Any, TextIO

import click
from flask.cli import with_appcontext

from credit_svc.api.services import services
from credit_svc.domain.errors import DrawNotFoundError
from credit_svc.usecases.draws import Draws, verify


@click.command("draw")
@click.option("--verify", "verify_", is_flag=True, required=True, help="Run it again.")
@click.option(
    "--file",
    "draw_file",
    type=click.File("r", encoding="utf-8"),
    help="A draw as published (GET /draws/{jurisdiction}/{period}, once "
    "revealed): checked without this service's database.",
)
@click.argument("jurisdiction", required=False)
@click.argument("period", required=False)
@with_appcontext
def draw_command(
    verify_: bool,  # noqa: ARG001 (the only mode: asked for by name)
    draw_file: TextIO | None,
    jurisdiction: str | None,
    period: str | None,
) -> None:
    """Verify a draw: its inputs give its targets, and the targets its
    commitment. Exit 1 when they do not."""
    if draw_file is not None:
        draw: dict[str, Any] = json.load(draw_file)
    elif jurisdiction and period:
        opened = services()
        try:
            found = Draws(opened.app, opened.view, opened.packs, opened.ledger).get(
                jurisdiction, period
            )
        except DrawNotFoundError as error:
            raise click.ClickException(str(error)) from error
        draw = {
            "inputs": found.inputs,
            "targets": found.targets,
            "commitment": found.commitment,
        }
    else:
        raise click.UsageError("give JURISDICTION PERIOD, or --file")
    if "targets" not in draw or "inputs" not in draw:
        raise click.ClickException("the list is not public yet: nothing to verify")
    problems = verify(draw)
    for problem in problems:
        click.echo(f"MISMATCH: {problem}")
    if problems:
        raise SystemExit(1)
    click.echo(
        f"VERIFIED: {len(draw['targets'])} targets, commitment {draw['commitment']}"
    )
