"""Reports as they are kept: Word (.docx), saved web pages (.html) and PDF.

Each reader turns the file into a plain-text rendition in the conventions the
parser already reads (one paragraph or heading per line, tables as
tab-separated rows with merged cells left blank after their first
occurrence), and records for every rendition line where it came from in the
original: 第N段 / 表N第R行 for docx, 第N行第M列 of the source for HTML, 第P页第L行
for PDF. So every rule works on every format, and findings point at a place
a user can find.

The libraries are optional extras: gklint[docx], gklint[html], gklint[pdf].
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from . import limits
from .document import UNSURE_OCR
from .source import InputError, Source, check_size, read_bytes

READERS = {".docx": "docx", ".html": "html", ".htm": "html", ".pdf": "pdf"}
_PACKAGES = {"docx": ("docx", "python-docx"), "html": ("bs4", "beautifulsoup4"), "pdf": ("pdfplumber", "pdfplumber")}


def read_any(path: str | Path, max_chars: int = limits.MAX_REPORT_CHARS) -> Source:
    """Read a report of any supported kind, at most `max_chars` characters of
    text once extracted; text files as before."""
    from .office import CONVERTIBLE, to_docx

    name = str(path)
    suffix = Path(name).suffix.lower()
    kind = "docx" if suffix in CONVERTIBLE else READERS.get(suffix)
    if kind is None:
        from .source import read

        return read(path, max_chars)
    data = read_bytes(path, max(4 * max_chars, 50_000_000))
    if not data:
        raise InputError(f"{name}: 文件为空 (empty file)")
    if suffix in CONVERTIBLE:
        _require(kind, name)
        data = to_docx(name, data)
    _require(kind, name)
    lines, locations = {"docx": _docx, "html": _html, "pdf": _pdf}[kind](data, name)
    if not any(line.strip() for line in lines):
        raise InputError(f"{name}: 没有找到正文文字 (no text)")
    check_size("\n".join(lines), name, max_chars)
    source = Source(path=name, text="\n".join(lines), encoding=kind)
    source.locations = locations
    return source


def _require(kind: str, name: str) -> None:
    module, package = _PACKAGES[kind]
    try:
        __import__(module)
    except ImportError:
        raise InputError(f"{name}: 读取 .{kind} 需要 {package}：pip install {package}"
                         f"（或在 gklint 源码目录中 pip install '.[{kind}]'）(missing {package})") from None


def _tab_row(cells: list[str]) -> str:
    """A table row as a tab line; a row of one (merged) cell keeps a tab so it stays a row."""
    return "\t".join(cells) + ("\t" if len(cells) <= 1 else "")


def _clean(text: str) -> str:
    """Cell or paragraph text on one line (a cell's line breaks are layout)."""
    return re.sub(r"\s*\n\s*", "", text.replace("\r", "\n")).replace("\t", " ").strip()


# ---------------------------------------------------------------- docx

def _docx(data: bytes, name: str) -> tuple[list[str], list[str]]:
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
    for child in document.element.body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            paragraphs += 1
            paragraph = Paragraph(child, document)
            text = _clean(paragraph.text)
            if text:
                where = f"第{paragraphs}段"
                yield DocxBlock(["", text], [where, where], [paragraph, paragraph])
        elif tag == "tbl":
            tables += 1
            block = DocxBlock([""], [f"表{tables}"], [None])
            for number, (texts, cells) in enumerate(_docx_rows(Table(child, document)), 1):
                block.lines.append(_tab_row(texts))
                block.locations.append(f"表{tables}第{number}行")
                block.anchors.append(cells)
            yield block


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
            if merged_left and _FIGURE.match(_clean(cell.text)):
                continue  # a figure drawn over two grid columns is one value, not a value and a blank
            texts.append("" if merged_up or merged_left else _clean(cell.text))
            kept.append(cell)
        above = [c._tc for c in cells]
        rows.append((texts, kept))
    return rows


# ---------------------------------------------------------------- html

_BLOCKS = {"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "section", "article", "blockquote", "pre",
           "center", "dd", "dt"}
_SKIP = {"script", "style", "noscript", "nav", "header", "footer", "aside", "form", "button", "select",
         "iframe", "head", "title"}
_BODY_HINT = re.compile(r"content|article|zoom|trs_editor|detail|main|text|wenzhang|zw|body", re.I)
_CJK = re.compile(r"[\u4e00-\u9fff]")


def _html(data: bytes, name: str) -> tuple[list[str], list[str]]:
    from bs4 import BeautifulSoup, UnicodeDammit

    dammit = UnicodeDammit(data, ["utf-8", "gb18030"], smart_quotes_to=None, is_html=True)
    markup = dammit.unicode_markup
    if markup is None:
        raise InputError(f"{name}: 无法识别网页的字符编码")
    if (dammit.original_encoding or "").lower() in ("gb2312", "gbk"):
        markup = data.decode("gb18030", errors="replace")  # GB2312 pages use GBK characters
    soup = BeautifulSoup(markup, "html.parser")
    body = _article(soup)
    if body is None:
        raise InputError(f"{name}: 网页中没有找到正文（没有含中文的正文区域）")
    lines, locations = [], []
    _walk_html(body, lines, locations)
    head = "".join(lines[:12])
    if not _REPORT_TITLE.search(head):
        title = _page_title(soup, body)
        if title:
            lines[:0] = [title[0], ""]
            locations[:0] = [title[1], title[1]]
    return lines, locations


_REPORT_TITLE = re.compile(r"年度报告|工作报告|年报")
# 当前位置：首页 > 政务公开 > 年报: the site's path to the page, not its title
_BREADCRUMB = re.compile(r"^(?:您?当前(?:的)?位置|您现在的位置|当前所在位置|位置)\s*[：:]|[>＞»›].*[>＞»›]")
_SITE_SUFFIX = re.compile(r"\s*[_|\-–—]\s*[^_|\-–—]{2,30}$")


def _page_title(soup, body) -> tuple[str, str] | None:
    """The report's title when the article body leaves it out: the nearest
    heading before the body that names a report, else the page <title>."""
    for heading in body.find_all_previous(["h1", "h2", "h3", "div", "p"], limit=60):
        text = _clean(heading.get_text())
        if 6 <= len(text) <= 80 and _REPORT_TITLE.search(text) and "。" not in text and not _BREADCRUMB.search(text):
            return text, _where(heading)
    if soup.title and soup.title.string:
        text = _SITE_SUFFIX.sub("", _clean(soup.title.string))
        if _REPORT_TITLE.search(text):
            return text, "网页标题"
    return None


def _article(soup):
    """The element holding the report: much Chinese text, few links; the
    smallest such element, preferring the usual content containers."""
    counts = _text_counts(soup)
    total = counts[id(soup)][0]
    if total < 20:
        return None
    best, best_score = None, None
    for element in soup.find_all(True):
        if element.name in _SKIP:
            continue
        chars, length, links = counts[id(element)]
        if chars < 0.5 * total:
            continue
        if links > 0.3 * chars:
            continue
        hint = " ".join([element.get("id") or "", *element.get("class", [])])
        score = (chars - 3 * links) * (1.15 if _BODY_HINT.search(hint) else 1.0) - 0.02 * length
        if best_score is None or score >= best_score:
            best, best_score = element, score
    return best


def _text_counts(root) -> dict[int, tuple[int, int, int]]:
    """For every element under `root` (by id): the Chinese characters of its
    text, the length of its text, and the Chinese characters inside its
    links, as get_text() would see them. Summed bottom-up in one pass, so a
    page nested a hundred thousand deep costs its size, not its size × depth."""
    from bs4 import CData, NavigableString, Tag

    counts: dict[int, tuple[int, int, int]] = {}
    stack = [(root, False)]
    while stack:
        node, children_done = stack.pop()
        if not children_done:
            stack.append((node, True))
            stack.extend((child, False) for child in node.contents if isinstance(child, Tag))
            continue
        chars = length = links = 0
        for child in node.contents:
            if isinstance(child, Tag):
                child_chars, child_length, child_links = counts[id(child)]
                chars, length, links = chars + child_chars, length + child_length, links + child_links
            elif type(child) in (NavigableString, CData):
                chars += len(_CJK.findall(child))
                length += len(child)
        counts[id(node)] = (chars, length, chars if node.name == "a" else links)
    return counts


def _where(element) -> str:
    line = getattr(element, "sourceline", None)
    column = getattr(element, "sourcepos", None)
    return f"源文件第{line}行第{(column or 0) + 1}列" if line else "源文件"


_MAX_HTML_DEPTH = 60  # blocks nested deeper are read as one run of text (no recursion limit to hit)


def _walk_html(element, lines: list[str], locations: list[str], depth: int = 0) -> None:
    from bs4 import NavigableString, Tag

    buffer: list[str] = []
    where = _where(element)

    def flush():
        text = _clean("".join(buffer))
        if text:
            lines.extend(["", text])
            locations.extend([where, where])
        buffer.clear()

    for child in element.children:
        if isinstance(child, NavigableString):
            if type(child).__name__ in ("Comment", "Doctype", "Declaration", "ProcessingInstruction"):
                continue
            if not buffer:
                where = _where(child.parent)
            buffer.append(str(child).replace("\xa0", " "))
            continue
        if not isinstance(child, Tag) or child.name in _SKIP:
            continue
        if child.name == "br":
            flush()
        elif child.name == "table":
            flush()
            for row, row_where in _html_rows(child):
                lines.append(_tab_row(row))
                locations.append(row_where)
            lines.append("")
            locations.append(_where(child))
        elif child.name in _BLOCKS and depth < _MAX_HTML_DEPTH:
            flush()
            _walk_html(child, lines, locations, depth + 1)
        else:
            if not buffer:
                where = _where(child)
            buffer.append(child.get_text())
    flush()


def _html_rows(table) -> list[tuple[list[str], str]]:
    """Rows with rowspan/colspan laid out on a grid. A cell spanning columns
    is one cell (its other columns are layout, not blank data: 规章 | 13 |
    13(colspan 2) | 524 has three values); a cell spanning rows leaves one
    blank cell in each row below, where a merged label sits in the seeds."""
    grid: dict[tuple[int, int], str | None] = {}
    widths: dict[int, int] = {}
    out = []
    for r, row in enumerate(_own_rows(table)):
        column = 0
        for cell in row.find_all(["td", "th"], recursive=False):
            while (r, column) in grid:
                column += 1
            span_c = _int(cell.get("colspan"))
            span_r = _int(cell.get("rowspan"))
            text = _clean(cell.get_text(" ").replace("\xa0", " "))
            for dr in range(span_r):
                for dc in range(span_c):
                    grid[(r + dr, column + dc)] = None if dc else (text if dr == 0 else "")
                widths[r + dr] = max(widths.get(r + dr, 0), column + span_c)
            column += span_c
        cells = [grid.pop((r, c), "") for c in range(widths.pop(r, 0))]
        out.append(([c for c in cells if c is not None], _where(row)))
    return out


def _own_rows(table) -> list:
    """The table's own rows, not those of tables nested in its cells: rows
    directly under it or under its thead/tbody/tfoot; for markup too broken
    for that, every row whose nearest table is this one."""
    rows = []
    for child in table.find_all(["tr", "thead", "tbody", "tfoot"], recursive=False):
        if child.name == "tr":
            rows.append(child)
        else:
            rows += child.find_all("tr", recursive=False)
    if rows:
        return rows
    return [r for r in table.find_all("tr") if r.find_parent("table") is table]


def _int(value) -> int:
    try:
        return max(1, min(int(str(value).strip()), 100))
    except (TypeError, ValueError):
        return 1


# ---------------------------------------------------------------- pdf

def _pdf(data: bytes, name: str) -> tuple[list[str], list[str]]:
    import io

    import pdfplumber

    _bound_pdf_streams()
    try:
        pdf = pdfplumber.open(io.BytesIO(data))
        pages = list(pdf.pages)
        if len(pages) > limits.MAX_PDF_PAGES:
            raise InputError(f"{name}: PDF 有 {len(pages)} 页，超过上限 {limits.MAX_PDF_PAGES} 页，未检查 (too many pages)")
    except (InputError, StreamTooLarge) as err:
        raise InputError(_too_large(name, err)) from None
    except Exception as err:  # pdfminer raises many kinds for damaged or encrypted files
        if _caused_by_bomb(err):
            raise InputError(_too_large(name, StreamTooLarge())) from None
        kind = type(err).__name__
        causes = " ".join([kind, *(type(a).__name__ for a in err.args), str(err)])
        if "Password" in causes or "Encrypt" in causes or "password" in causes.lower():
            raise InputError(f"{name}: PDF 有密码保护，无法读取") from None
        raise InputError(f"{name}: 不是有效的 PDF（已损坏：{kind}）") from None
    lines, locations = [], []
    try:
        repeated = _running_lines(pages)
    except (limits.TimeLimit, MemoryError):
        raise
    except Exception as err:
        raise _pdf_failure(name, err, f"不是有效的 PDF（页眉页脚无法读取：{type(err).__name__}）") from None
    previous_row = None  # the last row of a table that ended the page before
    scanned: list[int] = []
    with pdf:
        for number, page in enumerate(pages, 1):
            try:
                if not page.chars and page.images:  # a scan: an image and no text layer
                    scanned.append(number)
                    for k, line in enumerate(_ocr_page(data, number - 1), 1):
                        lines.append(line.text)
                        unsure = f"，{UNSURE_OCR}" if line.doubtful else ""
                        locations.append(f"第{number}页（OCR{unsure}）第{k}行")
                    continue
                items = _pdf_page(page, repeated)
            except (limits.TimeLimit, MemoryError):
                raise
            except Exception as err:
                raise _pdf_failure(name, err, f"第{number}页无法读取（{type(err).__name__}）") from None
            last_row = None  # the table row just written, if a table ended the page before
            for position, (kind, payload, line_number) in enumerate(items):
                if kind in ("text", "box"):
                    lines.append(payload)
                    where = "文本框第" if kind == "box" else "第"
                    locations.append(f"第{number}页{where}{line_number}行")
                    last_row = None
                    continue
                rows = [[_clean(cell or "") for cell in row] for row in payload]
                if position == 0 and previous_row is not None and rows and _overflow(previous_row, rows[0]):
                    # a row cut by the page break: its label's end is the first row of this page
                    previous_row[:] = [a + b for a, b in zip(previous_row, rows[0])]
                    lines[-1] = _tab_row(previous_row)
                    rows = rows[1:]
                for row_number, row in enumerate(rows, 1):
                    lines.append(_tab_row(row))
                    locations.append(f"第{number}页表格第{row_number}行")
                    last_row = row
            previous_row = last_row if items and items[-1][0] == "table" else None
    if scanned and not _ocr_available():
        pages_named = "、".join(map(str, scanned[:10])) + ("等" if len(scanned) > 10 else "")
        raise InputError(f"{name}: 第{pages_named}页是扫描图像，没有文字层，无法检查：在 gklint 源码目录中 "
                         "pip install '.[ocr]' 后可识别，或改用 Word 原稿或带文字的 PDF (scanned PDF)")
    return lines, locations


def _ocr_available() -> bool:
    from . import ocr

    return ocr.available()


def _ocr_page(data: bytes, index: int) -> list:
    """The page's lines by OCR, or none when the extra is not installed (the caller says so)."""
    from . import ocr

    if not ocr.available():
        return []
    import pypdfium2

    return ocr.page_lines(pypdfium2.PdfDocument(data), index)


_FIGURE = re.compile(r"^[\d.,，%-]+$")
_NUMBERED = re.compile(r"^[（(]?[一二三四五六七八九十\d]+[)）、.．]")  # （二）, 2. : a row of its own


def _overflow(above: list[str], row: list[str]) -> bool:
    """The first row of a table on a new page is the rest of the last row of the page
    before when the two have the same columns, it has no figure, and its text sits
    only in columns where that row has text (a label, not a row of its own)."""
    if len(above) != len(row) or not any(row):
        return False
    for upper, cell in zip(above, row):
        if cell and (_FIGURE.match(cell) or _NUMBERED.match(cell) or not upper or _FIGURE.match(upper)):
            return False
    return any(_FIGURE.match(cell) for cell in above)


class StreamTooLarge(Exception):
    """A PDF stream inflates past limits.MAX_PDF_STREAM (a deflate bomb)."""


def _pdf_failure(name: str, err: Exception, what: str) -> InputError:
    """The one-line error for a page pdfminer could not read: a bomb is named as one."""
    if _caused_by_bomb(err):
        return InputError(_too_large(name, StreamTooLarge()))
    return InputError(f"{name}: {what}")


def _caused_by_bomb(err: BaseException) -> bool:
    """pdfplumber wraps what pdfminer raised (PdfminerException(original))."""
    seen = 0
    while err is not None and seen < 10:
        if isinstance(err, StreamTooLarge) or any(isinstance(a, StreamTooLarge) for a in err.args):
            return True
        err, seen = err.__cause__ or err.__context__, seen + 1
    return False


def _too_large(name: str, err: Exception) -> str:
    if isinstance(err, StreamTooLarge):
        return f"{name}: PDF 中的数据流解压后超过 {limits.MAX_PDF_STREAM // 1_000_000} MB，可能是压缩炸弹，未检查 (deflate bomb)"
    return str(err)


class _BoundedZlib:
    """Stands in for the zlib module inside pdfminer.pdftypes: the same calls,
    but inflating stops at limits.MAX_PDF_STREAM instead of filling memory."""

    import zlib as _zlib

    error = _zlib.error

    @classmethod
    def decompress(cls, data: bytes, *args) -> bytes:
        inflater = cls._zlib.decompressobj()
        out = inflater.decompress(data, limits.MAX_PDF_STREAM + 1)
        if len(out) > limits.MAX_PDF_STREAM or inflater.unconsumed_tail:
            raise StreamTooLarge()
        out += inflater.flush()
        if not inflater.eof:
            raise cls._zlib.error("incomplete or truncated stream")  # as zlib.decompress says
        return out

    @classmethod
    def decompressobj(cls, *args):
        return _BoundedInflater(cls._zlib.decompressobj(*args))


class _BoundedInflater:
    def __init__(self, inflater):
        self._inflater, self._total = inflater, 0

    def decompress(self, data: bytes, *args) -> bytes:
        out = self._inflater.decompress(data, limits.MAX_PDF_STREAM + 1 - self._total)
        self._total += len(out)
        if self._total > limits.MAX_PDF_STREAM or self._inflater.unconsumed_tail:
            raise StreamTooLarge()
        return out

    def flush(self, *args) -> bytes:
        return self._inflater.flush(*args)


def _bound_pdf_streams() -> None:
    import pdfminer.pdftypes

    pdfminer.pdftypes.zlib = _BoundedZlib


def _running_lines(pages) -> set[str]:
    """Headers and footers: the same line at the top or bottom of most pages."""
    if len(pages) < 3:
        return set()
    counts: dict[str, int] = {}
    for page in pages:
        texts = [line["text"].strip() for line in page.extract_text_lines()]
        for text in {*texts[:2], *texts[-2:]}:
            key = re.sub(r"\d+", "#", text)
            counts[key] = counts.get(key, 0) + 1
    return {key for key, count in counts.items() if count >= 0.6 * len(pages) and len(key) < 60}


def _pdf_page(page, repeated: set[str]) -> list[tuple[str, object, int]]:
    tables = page.find_tables()
    boxes = [t.bbox for t in tables]

    def outside(obj) -> bool:
        x = (obj["x0"] + obj["x1"]) / 2
        y = (obj["top"] + obj["bottom"]) / 2
        return not any(b[0] <= x <= b[2] and b[1] <= y <= b[3] for b in boxes)

    text_page = page.filter(outside) if boxes else page
    items: list[tuple[float, str, object, int]] = []
    for index, line in enumerate(text_page.extract_text_lines(), 1):
        text = line["text"].strip()
        if text and re.sub(r"\d+", "#", text) not in repeated:
            items.append((line["top"], "text", text, index))
    for table in tables:
        rows = table.extract()
        if all(sum(1 for cell in row if cell and cell.strip()) <= 1 for row in rows):
            # a framed text box, not a table: its lines are text
            for offset, row in enumerate(rows):
                text = "".join(cell or "" for cell in row).strip()
                if text:
                    items.append((table.bbox[1] + offset * 0.01, "box", text, offset + 1))
        else:
            items.append((table.bbox[1], "table", rows, 0))
    items.sort(key=lambda item: item[0])
    merged: list[tuple[str, object, int]] = []
    for _, kind, payload, number in items:
        if kind == "text" and merged and merged[-1][0] in ("text", "box") and re.fullmatch(r"[。，；、）)]+", payload):
            merged[-1] = (merged[-1][0], merged[-1][1] + payload, merged[-1][2])  # punctuation cut off by a frame
        else:
            merged.append((kind, payload, number))
    return merged
