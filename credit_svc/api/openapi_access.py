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

from credit_svc.api.access import PLATFORM, PUBLIC, READS_BY_POST
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
WRITERS_LINE: Final = (
    "Keys: bureau, writing as its own authority about subjects in its own "
    "jurisdictions."
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
    responses = operation.setdefault("responses", {})
    if endpoint in PUBLIC:
        operation["security"] = []
        line = "No key needed."
    else:
        operation["security"] = [{"apiKey": []}]
        if endpoint in PLATFORM:
            line = "Keys: platform, auditor, admin or bureau."
        elif method == "get" or endpoint in READS_BY_POST:
            line = READERS_LINE
        else:
            line = WRITERS_LINE
        responses.setdefault("401", "KeyNotValid")
        responses.setdefault("403", "KeyNotAllowed")
    if "requestBody" in operation:
        responses.setdefault("413", "BodyTooLarge")
    if endpoint not in PROBES:
        responses.setdefault("429", "RateLimited")
    described = operation.get("description", "")
    operation["description"] = f"{described}\n\n{line}".strip()
