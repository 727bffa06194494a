"""The shell examples of README.md and docs/api.md, run as written against a
served demo: every curl in them gets the answer its text promises, a 2xx (no
401 for a key the example forgot)."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from tests.processes import BIN, ROOT, Service

pytestmark = pytest.mark.slow  # gunicorn and curl: the full suite only

BLOCK = re.compile(r"^```sh\n(.*?)^```", re.MULTILINE | re.DOTALL)
# Each curl prints its status and its method and path, one line each.
CURL = 'curl() { command curl -sS -o /dev/null -w "%{http_code} %{url}\\n" "$@"; }\n'


def _examples(document: str, *, after: str = "", until: str = "") -> str:
    """Return the document's sh blocks (between the two texts), as one script."""
    text = (ROOT / document).read_text(encoding="utf-8")
    start = text.index(after) if after else 0
    end = text.index(until) if until else len(text)
    return "\n".join(BLOCK.findall(text[start:end]))


def _run(demo: Service, script: str, tmp_path: Path) -> list[str]:
    script = script.replace("localhost:8000", f"127.0.0.1:{demo.port}")
    script = script.replace(".venv/bin/", f"{BIN}/")
    done = subprocess.run(
        ["bash", "-euo", "pipefail", "-c", CURL + script],
        cwd=tmp_path,
        env=demo.env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.splitlines()


def test_every_api_guide_example_is_answered_as_it_says(
    demo: Service, tmp_path: Path
) -> None:
    answers = _run(demo, _examples("docs/api.md"), tmp_path)

    assert len(answers) >= 4
    assert [a for a in answers if not a.startswith(("200", "201"))] == []


def test_every_readme_example_is_answered_as_it_says(
    demo: Service, tmp_path: Path
) -> None:
    # From the first curl on: the block before it installs and serves.
    script = _examples("README.md", after="another terminal", until="## Run the tests")
    answers = _run(demo, script, tmp_path)

    assert len(answers) >= 9
    assert [a for a in answers if not a.startswith(("200", "201"))] == []
