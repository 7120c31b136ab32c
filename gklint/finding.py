"""One finding type, one record shape; output formats render records."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from enum import IntEnum

from .document import Span


class Severity(IntEnum):
    info = 1
    warning = 2
    error = 3


@dataclass
class Finding:
    rule: str
    name: str
    severity: Severity
    message: str
    path: str
    span: Span
    snippet: str
    fingerprint: str
    context: tuple[int, str] = (1, "")  # (first column, a window of the line) for excerpts
    location: str | None = None  # the place in a .docx/.html/.pdf original (第3页第7行)
    basis: str | None = None  # what the rule rests on (docs/severity.md)
    fix: object = None  # gklint.fix.Fix: edits that mend it, safe or not

    def sort_key(self) -> tuple:
        return (self.path, self.span.line, self.span.column, self.rule)

    def to_record(self) -> dict:
        """The JSON record of a finding (docs/json.md)."""
        return {
            "rule": self.rule,
            "name": self.name,
            "severity": self.severity.name,
            **({"basis": self.basis} if self.basis else {}),
            "message": self.message,
            "path": self.path,
            "line": self.span.line,
            "column": self.span.column,
            "end_line": self.span.end_line,
            "end_column": self.span.end_column,
            "snippet": self.snippet,
            "fingerprint": self.fingerprint,
            **({"location": self.location} if self.location else {}),
            **({"fix": {"safe": self.fix.safe, "edits": [
                {"line": e.span.line, "column": e.span.column, "end_column": e.span.end_column,
                 "replacement": e.replacement} for e in self.fix.edits]}} if self.fix else {}),
        }


def fingerprint(rule: str, key: str, occurrence: int) -> str:
    """Stable across edits elsewhere in the report: built from what the finding
    is about (labels, matched text), never from line numbers."""
    digest = hashlib.sha1(f"{rule}\x1f{key}\x1f{occurrence}".encode("utf-8")).hexdigest()
    return digest[:16]
