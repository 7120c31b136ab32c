"""Where gklint keeps what it computes once and reuses between runs (the
validated rule set, compiled regular expressions): the user's cache
directory, never beside the reports."""

from __future__ import annotations

import os
from pathlib import Path


def cache_dir() -> Path | None:
    """GKLINT_CACHE_DIR, else XDG_CACHE_HOME/gklint, else ~/.cache/gklint;
    None when GKLINT_NO_CACHE is set."""
    if os.environ.get("GKLINT_NO_CACHE"):
        return None
    if os.environ.get("GKLINT_CACHE_DIR"):
        return Path(os.environ["GKLINT_CACHE_DIR"])
    base = os.environ.get("XDG_CACHE_HOME") or (Path.home() / ".cache")
    return Path(base) / "gklint"
