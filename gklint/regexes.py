"""Compiled regular expressions kept between runs.

Python compiles a character class that holds Chinese characters by walking
every code point it covers: `[\\u4e00-\\u9fff]` alone takes milliseconds, and
gklint's own patterns and its rules' took a third of a one-report start-up.
`compile()` keeps what the compiler produced (its SRE code) in the user's
cache directory and hands it straight to the regex engine the next time.

The store is keyed on gklint's version, Python's and the regex engine's
(`_sre.MAGIC`); an entry is found by its pattern text and flags, so a changed
pattern simply misses. The engine validates code it is given, and anything
unexpected (a damaged store, a Python without these internals) falls back
to `re.compile`. GKLINT_NO_CACHE=1 turns it off.
"""

from __future__ import annotations

import atexit
import contextlib
import marshal
import os
import re
import sys
from pathlib import Path

from . import __version__
from .cache import cache_dir

import _sre

try:  # the compiler's halves: re._parser/_compiler since 3.11, sre_* before
    from re import _compiler, _parser
except ImportError:  # pragma: no cover - Python 3.10
    import sre_compile as _compiler
    import sre_parse as _parser

# pattern, flags -> (flags, code, groups, groupindex, indexgroup): _sre.compile's arguments
_Entry = tuple
_store: dict[tuple[str, int], _Entry] | None = None
_loaded = False
_added = False
_used: set = set()
# A user editing their own rules adds patterns run after run; past this the
# store keeps only those the last run used.
MAX_STORED = 5000


def store_path() -> Path | None:
    try:
        directory = cache_dir()
    except RuntimeError:  # no home directory
        return None
    if directory is None:
        return None
    python = ".".join(map(str, sys.version_info[:3])) + sys.implementation.name
    return directory / f"regex-{__version__}-{python}-{getattr(_sre, 'MAGIC', 0)}.marshal"


def compile(pattern: str, flags: int = 0) -> re.Pattern:
    """re.compile(pattern, flags), from the store when it holds the pattern."""
    flags = int(flags)
    store = _entries()
    if store is None or not isinstance(pattern, str):
        return re.compile(pattern, flags)
    key = (pattern, flags)
    _used.add(key)
    entry = store.get(key)
    if entry is not None:
        try:
            return _sre.compile(pattern, *entry)
        except Exception:  # not what this engine accepts: compile it afresh
            pass
    try:
        entry = _code(pattern, flags)
        compiled = _sre.compile(pattern, *entry)
    except Exception:  # internals not as expected: the public way
        return re.compile(pattern, flags)
    store[key] = entry
    _note_added()
    return compiled


def _code(pattern: str, flags: int) -> _Entry:
    """What re._compiler.compile hands _sre.compile, after the pattern."""
    tree = _parser.parse(pattern, flags)
    code = [int(op) for op in _compiler._code(tree, flags)]  # named opcodes do not marshal
    indexgroup = [None] * tree.state.groups
    for name, index in tree.state.groupdict.items():
        indexgroup[index] = name
    return (flags | tree.state.flags, code, tree.state.groups - 1, dict(tree.state.groupdict), tuple(indexgroup))


def _note_added() -> None:
    global _added
    if not _added:
        _added = True
        atexit.register(save)


def _entries() -> dict | None:
    """The store, read once; None when the cache is turned off."""
    global _store, _loaded
    if not _loaded:
        _loaded = True
        path = store_path()
        if path is not None:
            _store = {}
            try:
                loaded = marshal.loads(path.read_bytes())
                if isinstance(loaded, dict):
                    _store = loaded
            except Exception:  # absent or damaged: start empty
                pass
    return _store


def save() -> None:
    """Write the store when this run compiled something new; never fails a run."""
    path = store_path()
    if path is None or not _store or not _added:
        return
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        kept = _store if len(_store) <= MAX_STORED else {k: v for k, v in _store.items() if k in _used}
        temporary.write_bytes(marshal.dumps(kept))
        os.replace(temporary, path)
        for stale in path.parent.glob("regex-*.marshal"):
            if stale != path:
                stale.unlink(missing_ok=True)
    except Exception:  # a read-only home or a full disk: run without the store
        with contextlib.suppress(OSError):
            temporary.unlink(missing_ok=True)
