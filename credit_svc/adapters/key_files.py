"""Key files: made once, readable by their owner only, never overwritten."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path


def create_private_file(path: Path, content: Callable[[], bytes]) -> bool:
    """Write a new file readable by the owner only, with the content made for
    it; False, making nothing, when one is there already."""
    if path.exists():
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as file:
        file.write(content())
    return True
