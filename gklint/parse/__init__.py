"""parse(source) -> Document: the only entry point of the reader."""

from __future__ import annotations


from .. import regexes
from ..document import UNSURE_OCR, Document, Era, Paragraph, Piece, Published, Section, TextRun
from ..source import Source
from .era import detect_era, detect_year
from .agency import classify
from .meta import agency_from_text, find_dateline, find_page_date, find_signature, find_title, site_navigation
from .sections import Heading, match_heading, nest
from .tables import Block, find_tables, is_page_number

# A line ending like this ends its paragraph; otherwise the paragraph runs on
# over line and page breaks ("…（宁政\n\n\n办发〔2017〕80号)").
_SENTENCE_END = regexes.compile(r"[。！？!?]$")
_CLOSERS = "”\"’'）)】」』*》"
_BOLD = regexes.compile(r"\*\*")
_COMMENT_LINE = regexes.compile(r"^\s*<!--.*-->\s*$")


def is_comment_line(line: str) -> bool:
    """An HTML comment alone on a line (markdown directives): not content."""
    return "<!--" in line and bool(_COMMENT_LINE.match(line))


def parse(source: Source, era: str | None = None) -> Document:
    lines = source.lines
    comments = {i for i, line in enumerate(lines) if is_comment_line(line)}
    if comments:  # parse as if they were blank; positions stay those of the source
        lines = ["" if i in comments else line for i, line in enumerate(lines)]
    blocks = find_tables(lines)
    in_table = {i for b in blocks for i in range(b.start, b.end)}
    first_heading = next(
        (i for i, line in enumerate(lines) if i not in in_table and match_heading(line, i + 1)), len(lines)
    )
    title = find_title(lines, first_heading, in_table)
    taken = set(in_table)
    if title and not title.inline:
        taken |= {p.line - 1 for p in title.text.pieces}
    taken |= site_navigation(lines, title.span.line - 1 if title and not title.inline else first_heading)
    found = find_signature(lines, taken, first_heading if first_heading < len(lines) else 0)
    signature, signature_lines = found if found else (None, set())
    taken |= signature_lines
    split = max(signature_lines) + 1 if signature_lines else len(lines)
    body = _Builder(lines, blocks, taken).build(0, split)
    appendix = _Builder(lines, blocks, taken).build(split, len(lines))
    preamble, sections = _split_preamble(body)
    year, year_source = detect_year(
        source.text, title.year if title else None, signature.date.year if signature and signature.date else None
    )
    found_era = Era(era, 1.0, ["--era"], forced=True) if era else detect_era(source.text, year)
    named = (title.agency if title and title.agency else None) or agency_from_text(source.text[:2000])
    agency = named or (signature.agency if signature else None)
    document = Document(
        path=source.path, lines=source.lines, era=found_era, year=year, year_source=year_source, agency=agency,
        title=title, preamble=preamble, sections=sections, signature=signature,
        appendix=appendix, encoding=source.encoding, locations=source.locations,
        agency_kind=classify(named, signature.agency if signature else None),
        published=_published(lines, signature, in_table - _web_metadata(blocks), first_heading, taken),
    )
    _doubt_ocr_tables(document)
    return document


def _doubt_ocr_tables(document: Document) -> None:
    """A table with a line whose figures OCR read with low confidence cannot be judged."""
    if not document.locations:
        return
    for table in document.tables():
        unsure = [row for row in table.rows if UNSURE_OCR in (document.location(row.span.line) or "")]
        if unsure:
            table.doubts.append(f"{len(unsure)} 行的数字由 OCR 识别，置信度低")


def _web_metadata(blocks: list[Block]) -> set[int]:
    """Lines of a web page's metadata block (索引号 | 发文日期 2018-02-28 …): where its date is."""
    return {i for b in blocks if b.table.kind == "webmeta" for i in range(b.start, b.end)}


def _published(lines: list[str], signature, in_table: set[int], first_heading: int, taken: set[int]) -> Published | None:
    """The 落款 date, else the page's own date (web reports carry no 落款),
    else a date printed under the title."""
    if signature and signature.date:
        return Published(signature.date, "signature", signature.date_text, signature.span)
    page = find_page_date(lines, in_table)
    if page:
        return Published(page[0], "page", page[1], page[2])
    dateline = find_dateline(lines, first_heading, taken)
    return Published(dateline[0], "dateline", dateline[1], dateline[2]) if dateline else None


def _split_preamble(nodes: list) -> tuple[list, list[Section]]:
    """Nodes before the first heading are the preamble; _assemble puts every
    later node inside a section."""
    return [n for n in nodes if not isinstance(n, Section)], [n for n in nodes if isinstance(n, Section)]


class _Builder:
    """Turns a range of lines into paragraphs, tables and nested sections."""

    def __init__(self, lines: list[str], blocks: list[Block], taken: set[int]):
        self.lines = lines
        self.blocks = {b.start: b for b in blocks}
        self.taken = taken
        self._headings: dict[int, Heading | None] = {}

    def heading(self, i: int) -> Heading | None:
        if i not in self._headings:
            self._headings[i] = match_heading(self.lines[i], i + 1)
        return self._headings[i]

    def build(self, start: int, end: int) -> list:
        flat: list = []  # Paragraph | Table | (Heading, Section)
        pending: list[Piece] = []
        i = start
        while i < end:
            line = self.lines[i]
            if i in self.blocks:
                self._flush(pending, flat)
                block = self.blocks[i]
                self._add_table(block.table, flat)
                i = block.end
                continue
            if i in self.taken or is_page_number(line):
                i += 1
                continue
            if not line.strip():
                if pending and self._paragraph_ends(pending, i, end):
                    self._flush(pending, flat)
                i += 1
                continue
            heading = self.heading(i)
            if heading:
                self._flush(pending, flat)
                flat.append((heading, Section(heading.marker, heading.family, heading.ordinal,
                                              heading.title, heading.span)))
                if heading.body:
                    pending.extend(heading.body.pieces)
            else:
                pending.extend(_line_pieces(line, i + 1))
            if pending and _SENTENCE_END.search(self.lines[i].rstrip().rstrip(_CLOSERS)):
                self._flush(pending, flat)
            i += 1
        self._flush(pending, flat)
        return _assemble(flat)

    def _paragraph_ends(self, pending: list[Piece], blank: int, end: int) -> bool:
        """At a blank line: a paragraph broken by a page break runs on."""
        last_line = self.lines[pending[-1].line - 1].rstrip()
        if len(last_line.strip()) < 20:
            return True
        j = blank
        while j < end and (not self.lines[j].strip() or is_page_number(self.lines[j])):
            j += 1
        if j >= end or j in self.blocks or j in self.taken or self.heading(j):
            return True
        return False

    @staticmethod
    def _flush(pending: list[Piece], flat: list) -> None:
        if pending:
            run = TextRun(list(pending))
            if run.text.strip():
                flat.append(Paragraph(run, run.span()))
            pending.clear()

    @staticmethod
    def _add_table(table, flat: list) -> None:
        if flat and isinstance(flat[-1], Paragraph):
            caption = flat[-1].text.text.strip()
            if len(caption) <= 60 and "表" in caption and "。" not in caption:
                table.caption = caption
                flat.pop()
        flat.append(table)


def _line_pieces(line: str, number: int) -> list[Piece]:
    """A line's text without its **bold** marks, each piece at its column."""
    pieces, column = [], 1
    for part in _BOLD.split(line):
        if part:
            pieces.append(Piece(number, column, part))
        column += len(part) + 2
    if pieces:
        first = pieces[0]
        stripped = first.text.lstrip()
        pieces[0] = Piece(number, first.column + len(first.text) - len(stripped), stripped)
        last = pieces[-1]
        pieces[-1] = Piece(number, last.column, last.text.rstrip())
    return [p for p in pieces if p.text]


def _assemble(flat: list) -> list:
    """Sections get the nodes that follow their heading, then nest by family."""
    out: list = []
    pairs: list[tuple[Heading, Section]] = []
    for item in flat:
        if isinstance(item, tuple):
            pairs.append(item)
        elif pairs:
            pairs[-1][1].children.append(item)
        else:
            out.append(item)
    roots = nest(pairs)
    for root in roots:
        _close_span(root)
    return out + roots


def _close_span(section: Section) -> None:
    for child in section.children:
        if isinstance(child, Section):
            _close_span(child)
        section.span = section.span.cover(child.span)
