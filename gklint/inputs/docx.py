"""Word (.docx): paragraphs and tables in body order, on the table's grid."""

from __future__ import annotations

from dataclasses import dataclass

from .. import limits
from ..source import InputError
from .common import FIGURE, clean, tab_row


def read(data: bytes, name: str) -> tuple[list[str], list[str]]:
    lines, locations = [], []
    for block in docx_blocks(open_docx(data, name)):
        lines += block.lines
        locations += block.locations
    return lines, locations


def open_docx(data: bytes, name: str):
    """The python-docx Document, or InputError (old .doc, a zip bomb, a broken package)."""
    import io
    import zipfile

    import docx

    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise InputError(f"{name}: 这是旧版 Word（.doc）文件，请另存为 .docx 后再检查")
    _check_zip(data, name)
    try:
        return docx.Document(io.BytesIO(data))
    except (zipfile.BadZipFile, KeyError, ValueError) as err:
        raise InputError(f"{name}: 不是有效的 .docx 文件（已损坏或不是 Word 文档：{err}）") from None
    except Exception as err:  # python-docx raises its own errors for broken packages
        raise InputError(f"{name}: 无法读取 .docx（{type(err).__name__}）") from None


@dataclass
class DocxBlock:
    """What one body element of a .docx becomes in the text: its lines, their
    places, and for each line the Word object it came from (a Paragraph, or
    the row's cells in column order) so findings can be written back."""

    lines: list[str]
    locations: list[str]
    anchors: list


def docx_blocks(document):
    """The body in order: a paragraph is a blank line and its text; a table
    a blank line and a tab line per row. The reader and the comment writer
    (gklint.annotate) share this walk, so their line numbers agree."""
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    paragraphs = tables = 0
    for child in _body_elements(document.element.body):
        tag = _local(child)
        if tag == "p":
            paragraphs += 1
            paragraph = Paragraph(child, document)
            text = clean(paragraph_text(paragraph))
            if text:
                where = f"第{paragraphs}段"
                yield DocxBlock(["", text], [where, where], [paragraph, paragraph])
        elif tag == "tbl":
            tables += 1
            block = DocxBlock([""], [f"表{tables}"], [None])
            for number, (texts, cells) in enumerate(_docx_rows(Table(child, document)), 1):
                block.lines.append(tab_row(texts))
                block.locations.append(f"表{tables}第{number}行")
                block.anchors.append(cells)
            yield block


_WRAPPERS = {"sdt", "sdtContent", "customXml", "smartTag"}  # content controls and tags: their content counts
_NOT_TEXT = {"del", "moveFrom", "txbxContent", "Fallback"}  # deleted or moved-away revisions; text boxes; duplicates


def _local(element) -> str:
    """An element's tag without its namespace ('' for comments and processing instructions)."""
    return element.tag.rsplit("}", 1)[-1] if isinstance(element.tag, str) else ""


def _body_elements(body):
    """The body's paragraphs and tables in order, also those inside content
    controls (w:sdt) and custom XML, which python-docx's body walk passes over."""
    for child in body.iterchildren():
        if _local(child) in _WRAPPERS:
            yield from _body_elements(child)
        else:
            yield child


def paragraph_runs(paragraph) -> list:
    """Every run whose text the page shows, in order: also runs inside tracked
    insertions (w:ins), hyperlinks, fields, smart tags and content controls,
    which python-docx's Paragraph.runs leaves out; not deleted or moved-away
    text, nor a text box's paragraphs. The reader and the comment writer use
    the same runs, so a finding's column is a place in them."""
    from docx.text.run import Run

    runs, stack = [], list(reversed(list(paragraph._p)))
    while stack:
        element = stack.pop()
        tag = _local(element)
        if tag == "r":
            runs.append(Run(element, paragraph))
        elif tag not in _NOT_TEXT and tag != "pPr":
            stack.extend(reversed(list(element)))
    return runs


def paragraph_text(paragraph) -> str:
    return "".join(run.text for run in paragraph_runs(paragraph))


def cell_text(cell) -> str:
    return "\n".join(paragraph_text(p) for p in cell.paragraphs)


_XML_PART_LIMIT = 30_000_000  # bytes of one XML part once inflated (document.xml of a long report: ~2 MB)


def _check_zip(data: bytes, name: str) -> None:
    """Refuse a decompression bomb from the zip directory, before inflating
    anything: too many entries, too much in all, or an XML part too large to
    parse. Python's zipfile stops each entry at its declared size, so a size
    that lies gives a damaged file, not a bomb."""
    import io
    import zipfile

    try:
        entries = zipfile.ZipFile(io.BytesIO(data)).infolist()
    except (zipfile.BadZipFile, ValueError, OSError) as err:
        raise InputError(f"{name}: 不是有效的 .docx 文件（已损坏或不是 Word 文档：{err}）") from None
    if len(entries) > limits.MAX_DOCX_ENTRIES:
        raise InputError(f"{name}: .docx 内含 {len(entries)} 个部件，超过上限，未检查 (too many zip entries)")
    total = sum(entry.file_size for entry in entries)
    largest_xml = max((e.file_size for e in entries if e.filename.endswith((".xml", ".rels"))), default=0)
    if total > limits.MAX_DOCX_UNPACKED or largest_xml > _XML_PART_LIMIT:
        raise InputError(f"{name}: .docx 解压后过大（{total // 1_000_000} MB），可能是压缩炸弹，未检查 (zip bomb)")


def _docx_rows(table) -> list[tuple[list[str], list]]:
    """Rows on the table's grid: a merged heading or label has its text in
    its first grid column and blanks in the columns and rows it covers, so
    the HTML page can show the merge; a figure spanning columns is one cell
    (as in _html_rows: its other columns are layout, not blank data). Each
    row's texts come with the cells they were read from."""
    rows, above = [], []
    for row in table.rows:
        cells, texts, kept, previous = list(row.cells), [], [], None
        for index, cell in enumerate(cells):
            merged_left = previous is not None and cell._tc is previous
            merged_up = index < len(above) and cell._tc is above[index]
            previous = cell._tc
            text = cell_text(cell)
            if merged_left and (not text.strip() or FIGURE.match(clean(text))):
                continue  # a value (or a blank) drawn over two grid columns is one cell, not two
            texts.append("" if merged_up or merged_left else clean(text))
            kept.append(cell)
        above = [c._tc for c in cells]
        rows.append((texts, kept))
    return rows
