"""Baselines: record today's findings by fingerprint, report only new ones.

A supervisor adopting gklint on a backlog of reports writes a baseline once
(`--write-baseline FILE`) and from then on sees only findings that are not
in it (`--baseline FILE`). Entries are matched by path, rule and fingerprint;
fingerprints do not change when unrelated lines move.
"""

from __future__ import annotations

import json
from pathlib import Path

from .config import ConfigError
from .limits import MAX_JSON_BYTES, parse_json, read_side_text
from .output import OutputError, write_atomic

VERSION = 1


def _key(path: str, rule: str, fingerprint: str) -> tuple[str, str, str]:
    return (Path(path).as_posix(), rule, fingerprint)


def write(target: str, results) -> int:
    entries = [
        {"path": Path(r.path).as_posix(), "rule": f.rule, "fingerprint": f.fingerprint, "message": f.message}
        for r in results for f in r.findings
    ]
    document = {"version": VERSION, "tool": "gklint", "findings": entries}
    try:
        write_atomic(target, json.dumps(document, ensure_ascii=False, indent=1) + "\n")
    except OutputError as err:
        raise ConfigError(str(err)) from None
    return len(entries)


def read(source: str) -> set[tuple[str, str, str]]:
    try:
        document = parse_json(read_side_text(source, MAX_JSON_BYTES))
    except FileNotFoundError:
        raise ConfigError(f"{source}: baseline file not found") from None
    except (OSError, UnicodeDecodeError, ValueError) as err:
        raise ConfigError(f"{source}: not a gklint baseline ({err})") from None
    if not isinstance(document, dict) or document.get("version") != VERSION or not isinstance(
            document.get("findings"), list):
        raise ConfigError(f"{source}: not a gklint baseline (version {VERSION} with a findings list)")
    known = set()
    for entry in document["findings"]:
        try:
            known.add(_key(entry["path"], entry["rule"], entry["fingerprint"]))
        except (KeyError, TypeError):
            raise ConfigError(f"{source}: baseline entry without path, rule and fingerprint") from None
    return known


def apply(results, known: set) -> int:
    """Drop baselined findings in place; returns how many were dropped."""
    dropped = 0
    for result in results:
        kept = [f for f in result.findings if _key(result.path, f.rule, f.fingerprint) not in known]
        dropped += len(result.findings) - len(kept)
        result.findings = kept
    return dropped
