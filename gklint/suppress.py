"""Suppressing findings with a written reason.

A plain .txt report has no comment syntax, so suppressions live beside it in
`.gklint-suppressions.yaml` (or under `suppressions:` in the configuration):

    suppressions:
      - rule: GK511
        file: "002_*.txt"            # glob, relative to this file; default: every report here
        match: 新闻发布会9场          # text in the finding's message or snippet, or:
        fingerprint: 0123456789abcdef
        justification: 正文为市本级口径，统计表为全市口径。

A suppression that matches a linted report but no finding is stale and is
reported. In markdown reports an HTML comment works too:
`<!-- gklint: disable GK201 -->` … `<!-- gklint: enable GK201 -->`, or
`<!-- gklint: disable-next-line GK201 -->`; without ids, every rule.
"""

from __future__ import annotations

import fnmatch
import re
from dataclasses import dataclass
from pathlib import Path

from . import regexes
from .config import ConfigError, load_yaml

FILE_NAME = ".gklint-suppressions.yaml"
_KEYS = {"rule", "file", "match", "fingerprint", "justification"}
_COMMENT = regexes.compile(r"<!--\s*gklint:\s*(disable-next-line|disable|enable)\b([^>]*?)-->")


@dataclass(frozen=True)
class Suppression:
    rule: str
    justification: str
    source: str  # file:line of the entry
    base: str  # directory the file glob is relative to
    file: str | None = None
    match: str | None = None
    fingerprint: str | None = None

    def applies_to(self, path: str) -> bool:
        if self.file is None:
            return Path(path).resolve().parent == Path(self.base).resolve()
        target = Path(path).resolve()
        try:
            relative = target.relative_to(Path(self.base).resolve()).as_posix()
        except ValueError:
            return False
        pattern = self.file.replace("\\", "/")  # a Windows-style path means the same file
        return fnmatch.fnmatch(relative, pattern) or fnmatch.fnmatch(target.name, pattern)

    def covers(self, finding) -> bool:
        if not finding.rule.startswith(self.rule):
            return False
        if self.fingerprint:
            return finding.fingerprint == self.fingerprint
        return bool(self.match) and (self.match in finding.message or self.match in finding.snippet)


def load_file(path: Path) -> list[Suppression]:
    data = load_yaml(path)
    if data is None:
        return []
    if not isinstance(data, dict) or set(data) != {"suppressions"}:
        raise ConfigError(f"{path}:1: expected a mapping with one key, `suppressions`")
    return parse_entries(data["suppressions"], path, path.parent)


def parse_entries(entries, source: Path, base: Path) -> list[Suppression]:
    if not isinstance(entries, list):
        raise ConfigError(f"{source}: `suppressions` must be a list")
    out = []
    for index, entry in enumerate(entries):
        line = entries.lc.item(index)[0] + 1 if hasattr(entries, "lc") else index + 1
        where = f"{source}:{line}"
        if not isinstance(entry, dict):
            raise ConfigError(f"{where}: each suppression is a mapping")
        unknown = set(entry) - _KEYS
        if unknown:
            raise ConfigError(f"{where}: unknown key `{sorted(unknown)[0]}` (allowed: {', '.join(sorted(_KEYS))})")
        if not all(isinstance(v, str) for v in entry.values()):
            raise ConfigError(f"{where}: suppression values must be strings")
        if not entry.get("rule"):
            raise ConfigError(f"{where}: a suppression needs `rule`")
        if not (entry.get("justification") or "").strip():
            raise ConfigError(f"{where}: a suppression needs a `justification` (why the finding is acceptable)")
        if not entry.get("match") and not entry.get("fingerprint"):
            raise ConfigError(f"{where}: a suppression needs `match` (text of the finding) or `fingerprint`")
        out.append(Suppression(rule=entry["rule"], justification=entry["justification"].strip(), source=where,
                               base=str(base), file=entry.get("file"), match=entry.get("match"),
                               fingerprint=entry.get("fingerprint")))
    return out


def inline_disabled(lines: list[str]) -> dict[int, set[str] | None]:
    """Line number -> disabled rule prefixes (an empty set = every rule)."""
    disabled: dict[int, set[str]] = {}
    active: set[str] = set()
    everything = False
    pending: set[str] | None = None
    for number, line in enumerate(lines, 1):
        rules = set() if everything else (set(active) if active else None)
        if pending is not None:
            rules = set() if not pending or rules == set() else (rules or set()) | pending
            pending = None
        if rules is not None:
            disabled[number] = rules
        for match in _COMMENT.finditer(line):
            if match.group(1) == "disable":  # a disabling comment covers its own line too
                ids = {x.strip() for x in re.split(r"[,\s]+", match.group(2)) if x.strip()}
                disabled[number] = set() if not ids or disabled.get(number) == set() else disabled.get(number, set()) | ids
            verb = match.group(1)
            ids = {x.strip() for x in re.split(r"[,\s]+", match.group(2)) if x.strip()}
            if verb == "disable-next-line":
                pending = ids
            elif verb == "disable":
                if ids:
                    active |= ids
                else:
                    everything = True
            else:
                if ids:
                    active -= ids
                else:
                    everything, active = False, set()
    return disabled


def inline_filter(lines: list[str], findings: list) -> list:
    if not any("gklint:" in line for line in lines):
        return findings
    disabled = inline_disabled(lines)
    kept = []
    for finding in findings:
        rules = disabled.get(finding.span.line)
        if rules is not None and (not rules or any(finding.rule.startswith(r) for r in rules)):
            continue
        kept.append(finding)
    return kept
