"""`credit-svc keys`: the admin's commands to issue, list and revoke API keys."""

from __future__ import annotations

from uuid import UUID

import click
from flask.cli import with_appcontext

from credit_svc.adapters.acting import ACTING_KEY
from credit_svc.api.services import services
from credit_svc.domain.api_key import ROLES, ApiKey
from credit_svc.usecases.api_keys import ApiKeyError, issue_key, revoke_key


@click.group("keys")
def keys() -> None:
    """Issue, list and revoke API keys (there are no default keys)."""


@keys.command("create")
@click.option("--name", required=True, help="Who holds the key, for people.")
@click.option(
    "--role",
    required=True,
    type=click.Choice(ROLES),
    help="What the key may do (docs/security.md, Roles).",
)
@click.option("--authority", default="", help="A recording party's authority name.")
@click.option(
    "--jurisdiction",
    "jurisdictions",
    multiple=True,
    help="A division code or prefix a recording party acts for (repeatable).",
)
@click.option("--credit-code", default="", help="An enterprise key's own firm.")
@click.option(
    "--project",
    "projects",
    multiple=True,
    help="A project an owners' committee represents (repeatable).",
)
@with_appcontext
def create_command(  # noqa: PLR0913, PLR0917 (one option each)
    name: str,
    role: str,
    authority: str,
    jurisdictions: tuple[str, ...],
    credit_code: str,
    projects: tuple[str, ...],
) -> None:
    """Issue a key and print its token once: it cannot be shown again."""
    ACTING_KEY.set("cli")
    try:
        key, token = issue_key(
            services().app,
            name,
            role,
            authority,
            jurisdictions,
            credit_code=credit_code,
            projects=projects,
        )
    except ApiKeyError as error:
        raise click.UsageError(str(error)) from None
    click.echo(f"key {key.id} ({role}) created; its token, shown only now:")
    click.echo(token)


@keys.command("revoke")
@click.argument("key_id", type=click.UUID)
@click.option("--reason", required=True, help="Why, kept in the event log.")
@with_appcontext
def revoke_command(key_id: UUID, reason: str) -> None:
    """Revoke a key for good; requests with it get 401 from now on."""
    ACTING_KEY.set("cli")
    try:
        revoke_key(services().app, key_id, reason)
    except ApiKeyError as error:
        raise click.UsageError(str(error)) from None
    click.echo(f"key {key_id} revoked")


@keys.command("list")
@with_appcontext
def list_command() -> None:
    """List every key issued: id, role, state, holder, scope (never secrets)."""
    app = services().app
    topic = "credit_svc.domain.api_key:ApiKey.Created"
    for notification in app.recorder.select_notifications(
        start=None, limit=1_000_000, topics=[topic]
    ):
        key: ApiKey = app.repository.get(UUID(str(notification.originator_id)))
        state = "revoked" if key.revoked else "active"
        scope = ",".join(key.jurisdictions or key.projects) or key.credit_code or "-"
        click.echo(
            f"{key.id} {key.role} {state} {key.name} {key.authority or '-'} {scope}"
        )
