"""What every reader shares: cell and paragraph text on one line, a table row as a tab line."""

from __future__ import annotations

import re
from .. import regexes

FIGURE = regexes.compile(r"^[\d.,，%-]+$")


def tab_row(cells: list[str]) -> str:
    """A table row as a tab line; a row of one (merged) cell keeps a tab so it stays a row."""
    return "\t".join(cells) + ("\t" if len(cells) <= 1 else "")


def clean(text: str) -> str:
    """Cell or paragraph text on one line (a cell's line breaks are layout)."""
    return re.sub(r"\s*\n\s*", "", text.replace("\r", "\n")).replace("\t", " ").strip()
