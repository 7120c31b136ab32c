"""Findings written back into a copy of the clerk's own Word file, as comments (批注).

`gklint 年报.docx --format docx -o 年报-检查.docx`: each finding becomes a
comment by "gklint" anchored on the runs of the paragraph it concerns, or on
the table cell. The reader and this module walk the body with the same
`docx_blocks`, so a finding's line is the paragraph or row it was read from.
The original is never written (the command line refuses `-o` equal to an
input); the copy is written whole or not at all.
"""

from __future__ import annotations

from .fix import keeps_numbers
from .inputs.docx import docx_blocks, open_docx, paragraph_runs, paragraph_text
from .source import read_bytes

AUTHOR, INITIALS = "gklint", "GK"
_LEVEL = {"error": "错误", "warning": "警告", "info": "提示"}


def annotated(path: str, findings, fixes: dict[str, str], limit: int = 50_000_000) -> bytes:
    """The .docx at `path` with a comment for each finding; `fixes` maps a rule id to its 如何修改."""
    document, anchors, lines = _opened(path, limit)
    for finding in findings:
        runs = _runs(anchors, lines, finding.span.line, finding.span.column, finding.span.end_column)
        if runs:
            document.add_comment(runs, text=_comment(finding, fixes.get(finding.rule)), author=AUTHOR,
                                 initials=INITIALS)
    return _saved(document)


def _opened(path: str, limit: int):
    """The document, and for each text line (from 1) the Word object it was read from and its text."""
    document = open_docx(read_bytes(path, limit), path)
    anchors, lines = [None], [""]  # line 0 does not exist; lines count from 1
    for block in docx_blocks(document):
        anchors += block.anchors
        lines += block.lines
    return document, anchors, lines


def _saved(document) -> bytes:
    import io

    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _comment(finding, fix: str | None) -> str:
    text = f"{finding.rule} {_LEVEL.get(finding.severity.name, finding.severity.name)}：{finding.message}"
    return text + (f"\n如何修改：{fix}" if fix else "")


def _runs(anchors: list, lines: list[str], line: int, column: int, end_column: int) -> list:
    """The runs a finding at (line, column) concerns: the runs of its paragraph
    that overlap the span, or the runs of its table cell. A finding on a blank
    line goes to the next paragraph or row."""
    for number in range(max(1, line), len(anchors)):
        anchor = anchors[number]
        if anchor is None:
            column, end_column = 1, 2
            continue
        if isinstance(anchor, list):
            return _cell_runs(anchor, lines[number], column)
        return _paragraph_runs(anchor, column, end_column if number == line else column + 1)
    return []


def _paragraph_runs(paragraph, column: int, end_column: int) -> list:
    runs = [run for run in paragraph_runs(paragraph) if run.text]
    if not runs:
        return [paragraph.add_run("")]
    lead = _lead([paragraph])
    if lead is None:
        return runs
    column, end_column = column + lead, end_column + lead
    offset, chosen = 0, []
    for run in runs:  # the reader's line is the paragraph's text, so offsets line up
        first, last = offset + 1, offset + len(run.text)
        if last >= column and first < max(end_column, column + 1):
            chosen.append(run)
        offset = last
    return chosen or runs


def _cell_runs(cells: list, line: str, column: int) -> list:
    """The cell under `column` of a tab-separated row."""
    index = min(line[: max(column - 1, 0)].count("\t"), len(cells) - 1)
    if index < 0:
        return []
    paragraphs = cells[index].paragraphs
    runs = [run for p in paragraphs for run in paragraph_runs(p) if run.text]
    return runs or [paragraphs[0].add_run("")]


def fixed_copy(path: str, edits, limit: int = 50_000_000) -> tuple[bytes, int]:
    """The .docx at `path` with the edits made inside its runs, and how many were.
    An edit that spans runs (a word Word split in two) is left alone: rewriting
    several runs would lose their formatting."""
    document, anchors, lines = _opened(path, limit)
    made = 0
    for edit in sorted(edits, key=lambda e: (e.span.line, e.span.column), reverse=True):
        line = edit.span.line
        if not 0 < line < len(anchors) or anchors[line] is None:
            continue
        anchor, start, end = anchors[line], edit.span.column - 1, edit.span.end_column - 1
        if isinstance(anchor, list):  # a table row: the cell, and the offset inside it
            index = lines[line][:start].count("\t")
            if index >= len(anchor):
                continue
            before = lines[line][:start].rsplit("\t", 1)[-1]
            start, end = len(before), len(before) + end - start
            paragraphs = anchor[index].paragraphs
        else:
            paragraphs = [anchor]
        made += _edit_runs(paragraphs, start, end, edit.replacement)
    return _saved(document), made


def _lead(paragraphs) -> int | None:
    """Characters the reader dropped before the text (an indent of 　　), or None when it
    changed more than that (line breaks inside, tabs): offsets would not line up."""
    raw = "".join(paragraph_text(p) for p in paragraphs)
    if "\n" in raw or "\t" in raw or "\r" in raw:
        return None
    return len(raw) - len(raw.lstrip())


def _edit_runs(paragraphs, start: int, end: int, replacement: str) -> int:
    """Make the edit inside one run of a one-paragraph anchor; 1 if made."""
    lead = _lead(paragraphs)
    if lead is None or len(paragraphs) > 1:
        return 0
    start, end, offset = start + lead, end + lead, 0
    for run in paragraph_runs(paragraphs[0]):
        first, last = offset, offset + len(run.text)
        if first <= start and end <= last and keeps_numbers(run.text[start - first:end - first], replacement):
            run.text = run.text[: start - first] + replacement + run.text[end - first:]
            return 1
        offset = last
    return 0
