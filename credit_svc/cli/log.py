"""`credit-svc verify`, `export` and `replay`: the event log as auditors check it."""

from __future__ import annotations

import json
from typing import Any, TextIO

import click
from flask.cli import with_appcontext

from credit_svc.adapters.chain import Head, Verdict, verify
from credit_svc.adapters.checkpoints import checkpoint_heads
from credit_svc.adapters.export import export_lines, read_lines
from credit_svc.api.services import services
from credit_svc.projections.replay import replay


@click.command("verify")
@click.option("--head-position", type=int, help="Position of a head saved earlier.")
@click.option("--head-hash", help="Link at that position, as saved.")
@click.option(
    "--checkpoints",
    "checkpoint_files",
    type=click.File("r", encoding="utf-8"),
    multiple=True,
    help="Signed checkpoints kept earlier (a /log/checkpoints answer, or a "
    "JSON list of them); may be given more than once.",
)
@with_appcontext
def verify_command(
    head_position: int | None,
    head_hash: str | None,
    checkpoint_files: tuple[TextIO, ...],
) -> None:
    """Check the hash chain over the whole event log; exit 1 at the first break."""
    if (head_position is None) != (head_hash is None):
        raise click.UsageError("give --head-position and --head-hash together")
    saved = _checkpoints(checkpoint_files)
    if head_position and head_hash:
        saved.append(Head(head_position, head_hash))
    ledger = services().ledger
    verdict = verify(
        ledger.events(), ledger.links(), saved, contiguous=ledger.contiguous
    )
    click.echo(describe(verdict))
    if not verdict.intact:
        raise SystemExit(1)


def _checkpoints(files: tuple[TextIO, ...]) -> list[Head]:
    """Return the heads of the signed checkpoints in the files, each checked
    against this service's public key."""
    if not files:
        return []
    signed: list[Any] = []
    for file in files:
        try:
            found = json.load(file)
        except ValueError as error:
            msg = f"not JSON: {error}"
            raise click.BadParameter(msg, param_hint="--checkpoints") from None
        signed.extend(found["checkpoints"] if isinstance(found, dict) else found)
    try:
        return checkpoint_heads(signed, services().signer.public_key)
    except ValueError as error:
        raise click.BadParameter(str(error), param_hint="--checkpoints") from None


def describe(verdict: Verdict) -> str:
    """Return a verdict as one line for people."""
    head = f"head {verdict.head.position} {verdict.head.hash}" if verdict.head else ""
    if verdict.intact:
        return f"INTACT: {verdict.checked} events checked; {head}".rstrip("; ")
    return (
        f"BROKEN at position {verdict.broken_at}: {verdict.problem} "
        f"({verdict.checked} events intact before it)"
    )


@click.command("export")
@click.argument("output", type=click.File("w", encoding="utf-8"))
@with_appcontext
def export_command(output: TextIO) -> None:
    """Write the whole event log as JSON Lines (use - for standard output)."""
    count = 0
    for line in export_lines(services().ledger):
        output.write(line)
        count += 1
    click.echo(f"exported {count} events", err=True)


@click.command("replay")
@click.argument("exported", type=click.File("r", encoding="utf-8"))
@click.option(
    "--checkpoints",
    "checkpoint_files",
    type=click.File("r", encoding="utf-8"),
    multiple=True,
    help="Signed checkpoints the export must reach and match.",
)
@with_appcontext
def replay_command(exported: TextIO, checkpoint_files: tuple[TextIO, ...]) -> None:
    """Recompute every grade from an exported log and compare with the live view.

    Exit 1 when the export's chain is broken or misses a checkpoint, it is
    not the live log, or any enterprise's records, events or grades differ.
    """
    saved = _checkpoints(checkpoint_files)
    try:
        events, links = read_lines(exported)
    except ValueError as error:
        raise click.BadParameter(str(error), param_hint="EXPORTED") from None
    report = replay(services(), events, links, saved)
    for line in report.lines():
        click.echo(line)
    if not report.identical:
        raise SystemExit(1)
