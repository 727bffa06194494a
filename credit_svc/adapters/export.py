"""The event log as JSON Lines: one stored event and its chain link per line.

`state` is the stored bytes as UTF-8 text, exactly, so that an auditor can
recompute every link offline (see chain.py for the formula).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from uuid import UUID

from credit_svc.adapters.chain import StoredEventRow
from credit_svc.adapters.ledger import Ledger


def export_lines(ledger: Ledger) -> Iterator[str]:
    """Yield one JSON line per stored event, oldest first."""
    chain = ledger.links()
    pending = next(chain, None)
    for event in ledger.events():
        # Both streams are in position order; a link without its event is skipped
        # here and shows up as "event is missing" when the export is verified.
        while pending is not None and pending[0] < event.position:
            pending = next(chain, None)
        link = pending[1] if pending and pending[0] == event.position else None
        line = {
            "position": event.position,
            "originator_id": str(event.originator_id),
            "originator_version": event.originator_version,
            "topic": event.topic,
            "state": event.state.decode(),
            "link": link,
        }
        yield json.dumps(line, ensure_ascii=False, sort_keys=True) + "\n"


def read_lines(
    lines: Iterable[str],
) -> tuple[list[StoredEventRow], list[tuple[int, str]]]:
    """Return the events and links of an export, in its order."""
    events, links = [], []
    for number, text in enumerate(lines, start=1):
        if not text.strip():
            continue
        try:
            line = json.loads(text)
            event = StoredEventRow(
                int(line["position"]),
                UUID(line["originator_id"]),
                int(line["originator_version"]),
                str(line["topic"]),
                str(line["state"]).encode(),
            )
        except (ValueError, KeyError, TypeError) as error:
            msg = f"line {number}: not an exported event ({error})"
            raise ValueError(msg) from None
        events.append(event)
        if line.get("link"):
            links.append((event.position, str(line["link"])))
    return events, links
