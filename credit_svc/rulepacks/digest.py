"""Digests of rule packs: what a view was computed under.

Apart from load.py so that grading workers, which are sent packs already
loaded, start without the YAML and schema libraries.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from typing import Any

from credit_svc.domain.rulepack import RulePack


def packs_fingerprint(packs: Iterable[RulePack]) -> str:
    """Return one digest of a set of packs: what the grade view was computed
    under, so a service started with other packs knows the view is stale."""
    return digest(sorted(pack.digest for pack in packs))


def digest(data: Any) -> str:
    """Return the SHA-256 of parsed data, so that comments and layout in a
    pack's file do not count as changes."""
    text = json.dumps(data, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()
