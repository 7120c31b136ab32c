"""Where a finding about something absent points: where the fix goes.

The period, contact and publication location belong in the preamble (导语), so
their absence points at its last paragraph (else the title, else the first
line); a missing date points at the end of the report.
"""

from __future__ import annotations

from ..document import Paragraph, Span
from ..parse import is_comment_line
from ..parse.tables import is_page_number
from ..scope import Context

# A finding about something absent marks only the start of the line it points
# at: the line is where the fix goes, not what is wrong.
MARK = 20


def _mark(line: int, column: int, length: int) -> Span:
    return Span(line, column, line, column + max(1, min(length, MARK)))


def line_span(ctx: Context, number: int) -> Span:
    """The start of line `number`'s text."""
    line = ctx.doc.lines[number - 1] if 1 <= number <= len(ctx.doc.lines) else ""
    return _mark(number, len(line) - len(line.lstrip()) + 1, len(line.strip()))


def top_span(ctx: Context) -> Span:
    """The title, else the first line with text."""
    doc = ctx.doc
    if doc.title:
        return doc.title.span
    for number, line in enumerate(doc.lines, 1):
        if line.strip() and not is_comment_line(line):
            start = len(line) - len(line.lstrip()) + 1
            return _mark(number, start, len(line.strip()))
    return Span(1, 1, 1, 1)


def lead_span(ctx: Context) -> Span:
    """The preamble's last paragraph (its first line), else the title or first line."""
    paragraphs = [n for n in ctx.doc.preamble if isinstance(n, Paragraph)]
    if not paragraphs:
        return top_span(ctx)
    piece = paragraphs[-1].text.pieces[0]
    return _mark(piece.line, piece.column, len(piece.text))


def end_span(ctx: Context) -> Span:
    """The last line with text (not a page number)."""
    lines = ctx.doc.lines
    for number in range(len(lines), 0, -1):
        line = lines[number - 1]
        if line.strip() and not is_page_number(line) and not is_comment_line(line):
            return _mark(number, len(line) - len(line.lstrip()) + 1, len(line.strip()))
    return Span(1, 1, 1, 1)
