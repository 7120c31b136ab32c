"""PDF: text lines and ruled tables per page, running heads dropped, rows cut by a page
break joined, scanned pages by OCR (gklint.inputs.ocr)."""

from __future__ import annotations

import re

from .. import regexes
from .. import limits
from ..document import UNSURE_OCR
from ..source import InputError
from . import ocr
from .common import FIGURE, clean, tab_row

def read(data: bytes, name: str) -> tuple[list[str], list[str]]:
    import io
    import logging

    import pdfplumber

    logging.getLogger("pdfminer").setLevel(logging.ERROR)  # its font warnings are not the clerk's business
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
        for page in pages:
            _level_lines(page)
        repeated = _running_lines(pages)
        pictures = sum(_is_scan(page, pictures=True) for page in pages) * 2 >= len(pages)
    except (limits.TimeLimit, MemoryError):
        raise
    except Exception as err:
        raise _pdf_failure(name, err, f"不是有效的 PDF（页眉页脚无法读取：{type(err).__name__}）") from None
    previous_row = None  # the last row of a table that ended the page before
    head: list[list[str]] = []  # that table's header rows, which Word may repeat atop each page
    scanned: list[int] = []
    with pdf:
        for number, page in enumerate(pages, 1):
            try:
                if _is_scan(page, pictures):
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
                rows = [[clean(cell) for cell in row] for row in payload]
                if position == 0 and previous_row is not None:  # the table goes on from the page before
                    rows = rows[_repeated(head, rows):]
                    if rows and _overflow(previous_row, rows[0]):
                        # a row cut by the page break: its label's end is the first row of this page
                        previous_row[:] = [a + b for a, b in zip(previous_row, rows[0])]
                        lines[-1] = tab_row(previous_row)
                        rows = rows[1:]
                else:
                    head = _header_rows(rows)
                for row_number, row in enumerate(rows, 1):
                    lines.append(tab_row(row))
                    locations.append(f"第{number}页表格第{row_number}行")
                    last_row = row
            previous_row = last_row if items and items[-1][0] == "table" else None
    if scanned and not ocr.available():
        pages_named = "、".join(map(str, scanned[:10])) + ("等" if len(scanned) > 10 else "")
        raise InputError(f"{name}: 第{pages_named}页是扫描图像，没有文字层，无法检查：在 gklint 源码目录中 "
                         "pip install '.[ocr]' 后可识别，或改用 Word 原稿或带文字的 PDF (scanned PDF)")
    return lines, locations


def _is_scan(page, pictures: bool) -> bool:
    """A page that is a picture of paper: an image and no text layer; or, in a
    document of such pictures (`pictures`), an image over most of the page with
    a few characters on it, a site's or a scanner's stamp (下载时间 2024-01-20)
    that is not the page's text. A text PDF's cover on a background image keeps
    its text layer."""
    if not page.images:
        return False
    return not page.chars or (pictures and _pictured(page))


def _pictured(page) -> bool:
    """Most of the page is one image, and few characters are on it."""
    area = (page.width * page.height) or 1
    covering = max(((i["x1"] - i["x0"]) * (i["bottom"] - i["top"]) for i in page.images), default=0)
    return len(page.chars) < 60 and covering >= 0.5 * area


def _ocr_page(data: bytes, index: int) -> list:
    """The page's lines by OCR, or none when the extra is not installed (the caller says so)."""
    if not ocr.available():
        return []
    import pypdfium2

    return ocr.page_lines(pypdfium2.PdfDocument(data), index)


def _header_rows(rows: list[list[str]]) -> list[list[str]]:
    """A table's first rows before any figure: what 重复标题行 draws atop each page."""
    head = []
    for row in rows[:4]:
        if any(FIGURE.match(cell) for cell in row):
            break
        head.append(row)
    return head


def _repeated(head: list[list[str]], rows: list[list[str]]) -> int:
    """How many of a continued table's first rows repeat its header rows."""
    count = 0
    while count < len(head) and count < len(rows) and rows[count] == head[count] and any(head[count]):
        count += 1
    return count


_NUMBERED = regexes.compile(r"^[（(]?[一二三四五六七八九十\d]+[)）、.．]")  # （二）, 2. : a row of its own


def _overflow(above: list[str], row: list[str]) -> bool:
    """The first row of a table on a new page is the rest of the last row of the page
    before when the two have the same columns, it has no figure, and its text sits
    only in columns where that row has text (a label, not a row of its own)."""
    if len(above) != len(row) or not any(row):
        return False
    for upper, cell in zip(above, row):
        if cell and (FIGURE.match(cell) or _NUMBERED.match(cell) or not upper or FIGURE.match(upper)):
            return False
    return any(FIGURE.match(cell) for cell in above)


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


def _level_lines(page) -> None:
    """Put each character on the line of the one before it when it follows it on
    the same line: glyphs of two fonts in one line (a CJK font's 测试市 and a Latin
    font's 2025) have tops several points apart, and pdfplumber, which groups
    lines by top within 3 pt, would cut the title into two lines. Only a
    character of the same size right after the previous one, with its middle
    within a third of the size, is moved (the page's cached objects, in place,
    once per page before anything reads its lines)."""
    previous = None
    for char in page.chars:
        if previous is not None and _same_line(previous, char):
            char["top"], char["bottom"] = previous["top"], previous["bottom"]
        previous = char


def _same_line(previous: dict, char: dict) -> bool:
    size = char["size"]
    if not size or abs(previous["size"] - size) > 0.5 or not char.get("upright", True):
        return False
    gap = char["x0"] - previous["x1"]
    shift = abs((char["top"] + char["bottom"]) - (previous["top"] + previous["bottom"])) / 2
    return -1 <= gap < size and 0 < shift < size / 3


def _pdf_page(page, repeated: set[str]) -> list[tuple[str, object, int]]:
    tables = page.find_tables()
    boxes = [t.bbox for t in tables]

    def outside(obj) -> bool:
        x = (obj["x0"] + obj["x1"]) / 2
        y = (obj["top"] + obj["bottom"]) / 2
        return not any(b[0] <= x <= b[2] and b[1] <= y <= b[3] for b in boxes)

    text_page = page.filter(outside) if boxes else page
    items: list[tuple[float, str, object, int]] = []
    for index, text, top in _unruled_lines(text_page.extract_text_lines()):
        if text and re.sub(r"\d+", "#", text) not in repeated:
            items.append((top, "text", text, index))
    for table in tables:
        rows = _grid_rows(table)
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


def _grid_rows(table) -> list[list[str]]:
    """The table's rows as the Word and web readers give them: pdfplumber marks a
    grid position no cell starts at with None. Covered by the cell to its left
    (a span across columns), a figure or a blank drawn over two grid columns is
    one cell, so the position is dropped; a heading's or label's span, and a
    cell covered from above, leave a blank for the parser to fill. A row with no
    text that is partly covered is a sliver of a tall cell cut by a ruling line
    (a browser splitting a rowspan over a page), not a blank row of the table."""
    starts = sorted({cell[0] for cell in table.cells})
    out = []
    for texts, row in zip(table.extract(), table.rows):
        if None in texts and not any(text and text.strip() for text in texts):
            continue
        kept = []
        for index, text in enumerate(texts):
            if text is not None:
                kept.append(text)
                continue
            left = next((j for j in range(index - 1, -1, -1) if row.cells[j] is not None), None)
            spans_here = left is not None and row.cells[left][2] > starts[index] + 1
            if spans_here and (not texts[left].strip() or FIGURE.match(clean(texts[left]))):
                continue
            kept.append("")
        out.append(kept)
    return out


_ROW_START = regexes.compile(rf"{_NUMBERED.pattern}|^(?:其中|[—-])")  # a row of its own, never a label's rest
_SHORT_CELL = regexes.compile(r"^(?:[\d.,，%％]+|[—-]+|[\u4e00-\u9fff]{1,2})$")  # a figure, a dash, a unit (条, 人次)


def _unruled_lines(lines: list[dict]):
    """(line number, text, top) of the text lines, with a label that wrapped in a
    table drawn without ruling lines put back on its row: the row's line has the
    label, then cells far to its right (a unit, a figure); the label's rest is
    the next line, alone, starting where the label starts and ending before
    the next column. Anything that could be a row of its own (numbered, 其中)
    stays a line, as does a wrap where the figures sit lower than the label's
    first line (the parser reads that layout)."""
    out: list[list] = []
    row = None  # (segments, line) of the last line read as a table row
    for index, line in enumerate(lines, 1):
        text = line["text"].strip()
        segments = _segments(line.get("chars") or [])
        rest = _label_rest(row, segments, line) if row else None
        if rest is not None:  # a label may wrap more than once
            cells, above = row
            cells = [(cells[0][0] + rest, cells[0][1], cells[0][2]), *cells[1:]]
            out[-1][1] = " ".join(cell for cell, _, _ in cells)
            row = (cells, {**above, "bottom": line["bottom"]})
            continue
        out.append([index, text, line["top"]])
        row = (segments, line) if len(segments) >= 2 and all(_SHORT_CELL.match(t) for t, _, _ in segments[1:]) else None
    return [tuple(item) for item in out]


def _segments(chars: list[dict]) -> list[tuple[str, float, float]]:
    """(text, x0, x1) of the runs of a line split where the gap is over 0.6 of a character
    (a table column; letters of justified Chinese text sit closer)."""
    runs: list[list[dict]] = []
    for char in chars:
        if char["text"].isspace():
            continue
        if runs and char["x0"] - runs[-1][-1]["x1"] <= 0.6 * (char["size"] or 10):
            runs[-1].append(char)
        else:
            runs.append([char])
    return [("".join(c["text"] for c in run), run[0]["x0"], run[-1]["x1"]) for run in runs]


def _label_rest(row, segments, line) -> str | None:
    """This line's text, if it is the rest of the row's label."""
    cells, above = row
    if len(segments) != 1 or not above.get("chars"):
        return None
    text, x0, x1 = segments[0]
    size = above["chars"][0]["size"] or 10
    label_end = cells[0][2]
    if (abs(x0 - cells[0][1]) > 2 or x1 > cells[1][1] - size or cells[1][1] - label_end > 3 * size
            or _ROW_START.match(text) or line["top"] - above["bottom"] > size):
        return None
    return text
