"""PDF files of credit reports: written from HTML by WeasyPrint, read back
with pypdf, and the CJK fonts they need found with fontconfig.

A report's PDF carries its signed statement as an attached file, the way
e-invoices carry their XML: a checker reads the statement and the visible
text back from an uploaded file and compares both with the report issued.
WeasyPrint is imported on first use: it loads Pango, which a process that
never writes a PDF need not pay for.
"""

from __future__ import annotations

import io
import shutil
import subprocess
from dataclasses import dataclass
from typing import Final

from pypdf import PdfReader
from pypdf.errors import PdfReadError

STATEMENT_FILE: Final = "credit-report-statement.json"
# Families the report's style sheet names, first found first used.
CJK_FAMILIES: Final = ("WenQuanYi Zen Hei", "Noto Sans CJK SC", "Noto Serif CJK SC")
FONT_PACKAGES: Final = "fonts-wqy-zenhei or fonts-noto-cjk"


class PdfUnavailableError(RuntimeError):
    """This process cannot write PDFs (WeasyPrint or its Pango is missing)."""


@dataclass(frozen=True)
class ReadPdf:
    """What a PDF file shows and carries."""

    text: str
    statement: bytes | None  # the attached statement file, if it has one


def write_pdf(html: str, statement: bytes) -> bytes:
    """Return the PDF of the HTML, with the statement attached."""
    try:
        from weasyprint import HTML, Attachment  # imported on first use: see the module
    except (ImportError, OSError) as error:
        msg = f"PDFs cannot be written here: {error}"
        raise PdfUnavailableError(msg) from None
    attachment = Attachment(
        string=statement.decode(),
        name=STATEMENT_FILE,
        description="signed statement of this credit report",
    )
    pdf: bytes = HTML(string=html).write_pdf(attachments=[attachment])
    return pdf


def read_pdf(data: bytes) -> ReadPdf | None:
    """Return the text and the attached statement of a PDF; None if it is
    not a PDF pypdf can read."""
    try:
        reader = PdfReader(io.BytesIO(data))
        text = "".join(page.extract_text() or "" for page in reader.pages)
        attached = reader.attachments.get(STATEMENT_FILE) or []
    except (PdfReadError, ValueError, KeyError, TypeError, OSError):
        return None
    return ReadPdf(text, attached[0] if attached else None)


def same_text(first: str, second: str) -> bool:
    """Tell whether two extracted texts say the same, whatever the line breaks."""
    return "".join(first.split()) == "".join(second.split())


def cjk_fonts() -> list[str]:
    """Return the installed font families that cover Chinese (fontconfig)."""
    fc_list = shutil.which("fc-list")
    if fc_list is None:
        return []
    try:
        found = subprocess.run(
            [fc_list, ":lang=zh", "family"],
            capture_output=True,
            text=True,
            timeout=10,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired):
        return []
    return sorted({line.split(",")[0] for line in found.stdout.splitlines() if line})
