"""Who may call each operation, and the refusals it can meet, in the document.

An apispec plugin: as each operation enters the OpenAPI document, it gets its
`security` (none for public reads), a line saying which keys may call it
(from access.py's tables, so the document cannot drift from the checks), and
the answers every request may get before its view runs: 401 and 403 where a
key is needed, 413 where a body is sent, 429 wherever rate limits count.
"""

from __future__ import annotations

from typing import Any, Final

from apispec import APISpec, BasePlugin

from credit_svc.api.access import (
    ANY_KEY,
    BATCH_WRITES,
    BOARD_OBJECTIONS,
    DECISIONS,
    FILED_BY_THE_FIRM,
    KIND_OF_POST,
    OWN_FILE,
    PARTY_READS,
    PLATFORM,
    PUBLIC,
    READS_BY_POST,
    REPORTS,
)
from credit_svc.api.operation_names import OPERATION_NAMES
from credit_svc.api.rate_limit import PROBES

ERROR: Final = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
REFUSALS: Final = {
    "KeyNotValid": "No key, or a key that is not valid (401).",
    "KeyNotAllowed": (
        "The key's role, authority or jurisdiction does not allow it (403)."
    ),
    "BodyTooLarge": "The body is over the size limit (413).",
    "RateLimited": (
        "Over the caller's requests a minute, or too many wrong keys from one "
        "address (429); Retry-After says when to try again."
    ),
}
READERS_LINE: Final = "Keys: auditor, admin or bureau."
PARTY_READS_LINE: Final = (
    "Keys: auditor, admin, bureau or another recording party (see Roles)."
)
WRITERS_LINE: Final = (
    "Keys: bureau, writing as its own authority about subjects in its own "
    "jurisdictions."
)
RECORDS_LINE: Final = (
    "Keys: bureau, or a recording party whose role records this kind "
    "(docs/security.md, Who records what), as its own authority in its own "
    "jurisdictions."
)
DECISIONS_LINE: Final = (
    "Keys: the recording party that recorded the record (a bureau or another "
    "party), as that authority."
)
FIRM_LINE: Final = (
    "Keys: the graded enterprise's own key (its own records only), or a bureau "
    "filing it as received."
)
BOARD_LINE: Final = (
    "Keys: a listed enterprise's own key (about itself), or a bureau filing "
    "it as received."
)
REPORTS_LINE: Final = (
    "Keys: the enterprise's own key, a bureau of its jurisdiction, platform, "
    "auditor or admin."
)


class AccessPlugin(BasePlugin):
    """Adds each operation's security, keys and refusals to the document."""

    def init_spec(self, spec: APISpec) -> None:
        """Register the refusals' shared responses."""
        super().init_spec(spec)
        for name, description in REFUSALS.items():
            response: dict[str, Any] = {"description": description, "content": ERROR}
            if name == "RateLimited":
                response["headers"] = {
                    "Retry-After": {
                        "description": "seconds until the caller may try again",
                        "schema": {"type": "integer"},
                    }
                }
            spec.components.response(name, response)

    def operation_helper(
        self,
        path: str | None = None,  # noqa: ARG002 (apispec passes it by name)
        operations: Any = None,
        **kwargs: Any,
    ) -> None:
        """Document who may call each of the path's operations."""
        rule = kwargs.get("rule")
        endpoint = rule.endpoint if rule is not None else ""
        for method, operation in (operations or {}).items():
            _document(endpoint, method, operation)


def _document(endpoint: str, method: str, operation: dict[str, Any]) -> None:
    name = OPERATION_NAMES.get((endpoint, method.upper()))
    if name:  # the parties' language first
        operation["summary"] = f"{name} {operation.get('summary', '')}".strip()
    responses = operation.setdefault("responses", {})
    if endpoint in PUBLIC:
        operation["security"] = []
        line = "No key needed."
    elif endpoint in ANY_KEY:
        operation["security"] = [{"apiKey": []}]
        line = "Keys: any."
        responses.setdefault("401", "KeyNotValid")
    else:
        operation["security"] = [{"apiKey": []}]
        line = _keys_line(endpoint, method)
        responses.setdefault("401", "KeyNotValid")
        responses.setdefault("403", "KeyNotAllowed")
    if "requestBody" in operation:
        responses.setdefault("413", "BodyTooLarge")
    if endpoint not in PROBES:
        responses.setdefault("429", "RateLimited")
    described = operation.get("description", "")
    operation["description"] = f"{described}\n\n{line}".strip()


def _keys_line(endpoint: str, method: str) -> str:
    """Return which keys may call the operation, from access.py's tables."""
    own = " A firm's own key reads it about itself." if endpoint in OWN_FILE else ""
    if endpoint in PLATFORM:
        return "Keys: platform, auditor, admin, bureau or a recording party." + own
    if endpoint in PARTY_READS:
        return PARTY_READS_LINE + own
    if method == "get" or endpoint in READS_BY_POST:
        return READERS_LINE
    writes = (
        (KIND_OF_POST.keys() | BATCH_WRITES, RECORDS_LINE),
        (DECISIONS, DECISIONS_LINE),
        (FILED_BY_THE_FIRM, FIRM_LINE),
        (REPORTS, REPORTS_LINE),
        (BOARD_OBJECTIONS, BOARD_LINE),
    )
    return next((line for names, line in writes if endpoint in names), WRITERS_LINE)
