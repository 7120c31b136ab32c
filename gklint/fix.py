"""Fixes, as ruff has them: a check may say how to mend what it found, as
edits of the source text; a rule says whether its fix is safe.

`--fix` applies the safe fixes (`--unsafe-fixes` the rest too), `--diff`
shows them without writing. A .txt/.md report is rewritten in place only
with `--fix`, in its own encoding and line ends; a .docx gets a fixed copy
beside it; PDF and web pages are never fixed (they are not where the report
is written). Whatever a fix says, it never changes a number: an edit that
would add, drop or alter a digit is not applied.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field

from . import regexes
from .document import Span

_DIGITS = regexes.compile(r"[0-9０-９]")


@dataclass(frozen=True)
class Edit:
    """Replace the text at `span` (one line) with `replacement`."""

    span: Span
    replacement: str


@dataclass(frozen=True)
class Fix:
    edits: tuple[Edit, ...]
    safe: bool


def keeps_numbers(old: str, new: str) -> bool:
    return _DIGITS.findall(old) == _DIGITS.findall(new)


def chosen_edits(findings, unsafe: bool) -> list[tuple[object, Edit]]:
    """(finding, edit) for every applicable edit, in order, none overlapping another."""
    wanted = [(f, e) for f in findings if f.fix and (f.fix.safe or unsafe) for e in f.fix.edits
              if e.span.line == e.span.end_line]
    wanted.sort(key=lambda fe: (fe[1].span.line, fe[1].span.column))
    chosen, last = [], (0, 0)
    for finding, edit in wanted:
        if (edit.span.line, edit.span.column) < last:
            continue  # overlaps the edit before it
        chosen.append((finding, edit))
        last = (edit.span.line, edit.span.end_column)
    return chosen


def apply_to_lines(lines: list[str], edits: list[Edit]) -> tuple[list[str], int]:
    """The lines with the edits made (right to left within a line), and how many were."""
    out = list(lines)
    made = 0
    for edit in sorted(edits, key=lambda e: (e.span.line, e.span.column), reverse=True):
        index = edit.span.line - 1
        if not 0 <= index < len(out):
            continue
        line = out[index]
        start, end = edit.span.column - 1, edit.span.end_column - 1
        if not 0 <= start <= end <= len(line) or not keeps_numbers(line[start:end], edit.replacement):
            continue
        out[index] = line[:start] + edit.replacement + line[end:]
        made += 1
    return out, made


def fixed_text(raw: str, edits: list[Edit]) -> tuple[str, int]:
    """The report's text with the edits, keeping its own line ends (\\r\\n, \\r or \\n)."""
    newline = "\r\n" if "\r\n" in raw else ("\r" if "\r" in raw else "\n")
    lines = raw.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    out, made = apply_to_lines(lines, edits)
    return newline.join(out), made


def unified_diff(path: str, before: list[str], after: list[str]) -> str:
    import difflib

    return "".join(difflib.unified_diff([line + "\n" for line in before], [line + "\n" for line in after],
                                        fromfile=f"a/{path.lstrip('/')}", tofile=f"b/{path.lstrip('/')}"))


def fix_text_file(path: str, encoding: str, edits: list[Edit]) -> int:
    """Make the edits in a .txt/.md report in place, in its encoding, byte order mark and line ends.
    Written whole through a temporary file, so an interruption leaves the old report."""
    from .output import write_atomic
    from .source import _BOMS

    with open(path, "rb") as stream:
        data = stream.read()
    bom = next((mark for mark, _ in _BOMS if data.startswith(mark)), b"")
    text, made = fixed_text(data[len(bom):].decode(encoding), edits)
    if made:
        write_atomic(path, bom + text.encode(encoding))
    return made


@dataclass
class Mended:
    """What fixing one report did (or, without writing, would do)."""

    edits: int = 0
    fixed: set = field(default_factory=set)  # id() of the findings mended
    diff: str = ""  # the unified diff, when not writing
    copy: str | None = None  # the fixed copy of a .docx
    unfixable: bool = False  # a PDF or web page: nothing is changed


def mend(path: str, findings, unsafe: bool, write: bool) -> Mended:
    """Fix one report: .txt/.md in place, .docx in a copy `<name>.fixed.docx`,
    nothing else; with write=False only the diff of what would change."""
    chosen = chosen_edits(findings, unsafe)
    if not chosen:
        return Mended()
    edits = [edit for _, edit in chosen]
    fixed = {id(finding) for finding, _ in chosen}
    suffix = os.path.splitext(path)[1].lower()
    if suffix in (".txt", ".md", ".markdown", ""):
        from .source import read

        source = read(path)
        after, made = apply_to_lines(source.lines, edits)
        if not write:
            return Mended(made, fixed, diff=unified_diff(path, source.lines, after))
        return Mended(fix_text_file(path, source.encoding, edits), fixed)
    if suffix == ".docx":
        from .annotate import fixed_copy
        from .output import write_atomic
        from .inputs import read_any

        if not write:
            before = read_any(path).lines
            after, made = apply_to_lines(before, edits)
            return Mended(made, fixed, diff=unified_diff(path, before, after))
        data, made = fixed_copy(path, edits)
        target = os.path.splitext(path)[0] + ".fixed.docx"
        if made:
            write_atomic(target, data)
        return Mended(made, fixed, copy=target if made else None)
    return Mended(unfixable=True)
