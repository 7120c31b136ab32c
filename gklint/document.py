"""The document tree: what a rule can address, and where each node came from.

Lines and columns are 1-based; columns count Unicode code points and an end
column is exclusive (the column just after the last character), as in SARIF.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from datetime import date
from typing import Iterator, NamedTuple, Union

ERAS = ("2007", "2019", "2021")  # pre-2019 统计表 practice, 2019 trial format, 2021 format
# 人民政府 (省/市/县/区/乡/镇), 部门 (incl. an 办公厅/室 reporting for itself),
# 派出机关 (街道办事处), 管委会/开发区; "unknown" is never a rule's scope.
AGENCY_KINDS = ("government", "department", "subdistrict", "zone")
AGENCY_SCOPES = (*AGENCY_KINDS, "township")  # what a rule's `agency:` may name
AGENCY_KIND_NAMES = {"township": "乡镇人民政府", "government": "人民政府", "department": "政府部门", "subdistrict": "街道办事处（派出机关）",
                     "zone": "管委会/开发区", "unknown": "未能判断"}


class Span(NamedTuple):
    line: int
    column: int
    end_line: int
    end_column: int

    def cover(self, other: "Span") -> "Span":
        start = min((self.line, self.column), (other.line, other.column))
        end = max((self.end_line, self.end_column), (other.end_line, other.end_column))
        return Span(start[0], start[1], end[0], end[1])

    def to_dict(self) -> dict:
        return self._asdict()


class Piece(NamedTuple):
    """A run of source characters: `text` starts at (line, column)."""

    line: int
    column: int
    text: str


class TextRun:
    """Text joined from pieces of source lines, each character mapped back.

    A paragraph broken over lines (or over a page break) reads as one string,
    while `span(i, j)` still gives the source position of text[i:j].
    """

    __slots__ = ("text", "pieces", "_starts")

    def __init__(self, pieces: list[Piece]):
        if len(pieces) == 1:  # a table cell, a one-line heading: the common case, kept cheap
            self.pieces, self.text, self._starts = pieces, pieces[0].text, [0]
            return
        self.pieces = [p for p in pieces if p.text] or pieces[:1]
        self.text = "".join(p.text for p in self.pieces)
        starts, offset = [], 0
        for piece in self.pieces:
            starts.append(offset)
            offset += len(piece.text)
        self._starts = starts

    def locate(self, index: int) -> tuple[int, int]:
        """Source (line, column) of character `index` (len(text) = just after the end)."""
        if not self.pieces:
            return (1, 1)
        index = max(0, min(index, len(self.text)))
        k = max(0, bisect.bisect_right(self._starts, index) - 1)
        if index == len(self.text):
            last = self.pieces[-1]
            return (last.line, last.column + len(last.text))
        piece = self.pieces[k]
        return (piece.line, piece.column + index - self._starts[k])

    def span(self, start: int = 0, end: int | None = None) -> Span:
        end = len(self.text) if end is None else end
        line, column = self.locate(start)
        if end <= start:
            return Span(line, column, line, column)
        end_line, end_column = self.locate(end - 1)
        return Span(line, column, end_line, end_column + 1)

    def __str__(self) -> str:
        return self.text

    def __repr__(self) -> str:
        return f"TextRun({self.text!r})"



UNSURE_OCR = "低置信度"  # in a line's place (Document.locations): OCR was unsure of its figures

@dataclass(slots=True)
class Cell:
    """One table cell. kind: number | blank | dash | text. Blank is not zero."""

    text: str
    kind: str
    value: float | int | None
    span: Span


@dataclass
class Row:
    """One table row.

    `path` is the row's label parts from the outermost group to the row's own
    label (merged label cells are filled from the rows above; in a 统计表 the
    parents come from the numbering 一、 > （一） > 1.). `values` are the data
    cells aligned to the table's data columns; `unit` is the 单位 cell if any.
    """

    cells: list[Cell]
    span: Span
    path: list[str] = field(default_factory=list)
    unit: str | None = None
    values: list[Cell] = field(default_factory=list)
    role: str = "data"  # data | header | caption

    @property
    def label(self) -> str:
        return self.path[-1] if self.path else ""

    @property
    def line(self) -> int:
        return self.span.line


@dataclass
class Table:
    """A table. kind: stats (pre-2019 统计表), t2, t3, t4 (2019/2021 tables),
    webmeta (a pasted web-page metadata block) or other."""

    rows: list[Row]
    span: Span
    layout: str  # tsv | pipe | aligned
    kind: str = "other"
    caption: str = ""
    doubts: list[str] = field(default_factory=list)  # why its reading is unsure; checks then skip it

    @property
    def header_rows(self) -> list[Row]:
        return [r for r in self.rows if r.role == "header"]

    @property
    def data_rows(self) -> list[Row]:
        return [r for r in self.rows if r.role == "data"]


@dataclass
class Paragraph:
    text: TextRun
    span: Span


@dataclass
class Section:
    """A numbered section: 一、 / （一） / 1. / （1）, nested by numbering family."""

    marker: str  # the numbering as written, e.g. "一、", "（二）", "3."
    family: str  # cn | paren_cn | arabic | paren_arabic | part
    ordinal: int
    title: TextRun
    span: Span
    level: int = 1
    children: list["Node"] = field(default_factory=list)

    def walk(self) -> Iterator["Node"]:
        """Every paragraph, table and section inside this one, in order."""
        for node in self.children:
            yield node
            if isinstance(node, Section):
                yield from node.walk()


@dataclass
class Title:
    text: TextRun
    span: Span
    agency: str | None = None
    year: int | None = None
    inline: bool = False  # named in the preamble's first sentence, not a line of its own


@dataclass
class Signature:
    """The closing 落款: issuing body and date (either may be missing)."""

    span: Span
    agency: str | None = None
    date: date | None = None
    date_text: str = ""


@dataclass
class AgencyKind:
    """What kind of body the report is from, and why gklint thinks so."""

    kind: str  # one of AGENCY_KINDS or "unknown"
    township: bool = False  # a 乡镇 government: no deadline in 第四十九条
    evidence: str = ""
    forced: bool = False


@dataclass
class Published:
    """The date the report was published and where gklint read it."""

    date: date
    source: str  # signature | page | dateline | option
    text: str = ""
    span: Span | None = None


@dataclass
class Era:
    """The report's format era: "2007" (pre-2019 统计表), "2019" or "2021"."""

    name: str
    confidence: float
    evidence: list[str] = field(default_factory=list)
    forced: bool = False


Node = Union[Paragraph, Table, Section]


@dataclass
class Document:
    path: str
    lines: list[str]
    era: Era
    year: int | None
    year_source: str
    agency: str | None
    title: Title | None = None
    preamble: list[Node] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)
    signature: Signature | None = None
    appendix: list[Node] = field(default_factory=list)
    encoding: str = "utf-8"
    locations: list[str] | None = None  # original place of each line (docx, html, pdf)
    agency_kind: AgencyKind = field(default_factory=lambda: AgencyKind("unknown"))
    published: Published | None = None
    _walked: list | None = field(default=None, repr=False, compare=False)

    def location(self, line: int) -> str | None:
        if self.locations and 1 <= line <= len(self.locations):
            return self.locations[line - 1]
        return None

    @property
    def top_nodes(self) -> list[Node]:
        return [*self.preamble, *self.sections, *self.appendix]

    def walk(self) -> Iterator[Node]:
        """Every paragraph, table and section, in document order."""
        return iter(self._nodes())

    def _nodes(self) -> list[Node]:
        """walk()'s list, built once: the tree is complete when parse() returns
        it, and some sixty rules each ask for its tables, paragraphs or sections."""
        if self._walked is None:
            nodes, stack = [], list(reversed(self.top_nodes))
            while stack:
                node = stack.pop()
                nodes.append(node)
                if isinstance(node, Section):
                    stack.extend(reversed(node.children))
            self._walked = nodes
        return self._walked

    def tables(self, kind: str | None = None) -> list[Table]:
        return [n for n in self._nodes() if isinstance(n, Table) and (kind is None or n.kind == kind)]

    def paragraphs(self) -> list[Paragraph]:
        return [n for n in self._nodes() if isinstance(n, Paragraph)]

    def all_sections(self) -> list[Section]:
        return [n for n in self._nodes() if isinstance(n, Section)]
