"""A cache of the validated built-in rule set, so a command does not parse
and validate the YAML packs on every start (a pre-commit hook runs gklint
on every commit).

The cache is keyed on the rule files' bytes, gklint's version and Python's;
any change rebuilds it silently, and a cache that cannot be read (damaged,
from another build, unwritable directory) is ignored. It lives in the user's
cache directory (GKLINT_CACHE_DIR, else XDG_CACHE_HOME/gklint, else
~/.cache/gklint), never beside the reports; GKLINT_NO_CACHE=1 turns it off.
Only the built-in packs are cached: a user's pack is validated every time.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import sys
import tempfile
from pathlib import Path

from . import __version__
from .cache import cache_dir

FORMAT = 2  # bump when the pickled shape of a Rule changes (2: autofix)


def key_for(files: list[Path]) -> str:
    digest = hashlib.sha256(f"{FORMAT}|{__version__}|{sys.version}".encode())
    for path in files:
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()[:32]


def load(files: list[Path], build):
    """The rules built by `build()` from `files`, from the cache when it is
    current; `build` runs (and the cache is refreshed) otherwise."""
    try:
        directory = cache_dir()
        target = directory / f"rules-{key_for(files)}.pickle" if directory else None
    except (OSError, RuntimeError):  # unreadable rule file, no home directory
        target = None
    if target is None:
        return build()
    try:
        with open(target, "rb") as handle:
            return pickle.load(handle)
    except Exception:  # absent, damaged or from another build: rebuild
        pass
    rules = build()
    _store(directory, target, rules)
    return rules


def _store(directory: Path, target: Path, rules) -> None:
    temporary = None
    try:
        directory.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=directory, prefix=".rules-", suffix=".tmp")
        with os.fdopen(handle, "wb") as out:
            pickle.dump(rules, out, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(temporary, target)
        temporary = None
        for stale in directory.glob("rules-*.pickle"):
            if stale != target:
                stale.unlink(missing_ok=True)
    except Exception:  # a read-only home or a full disk: run without the cache
        if temporary:
            Path(temporary).unlink(missing_ok=True)
