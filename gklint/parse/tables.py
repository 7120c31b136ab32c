"""Tables: tab-separated, pipe (markdown) and space-aligned (PDF text) layouts.

Rows keep their cells as written (blank is not zero); `Row.values` are the
data cells aligned to the table's data columns. Merged label cells are filled
from the rows above, so a row of 2021 table 三 knows its group
("（三）不予公开") even where only the first row of the group names it.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from .. import regexes
from ..document import Cell, Row, Span, Table
from ..source import fold
from .sections import match_heading
from .text import MAX_DIGITS, UNITS, cell_kind, label_key, squeeze

PAGE_NUMBER = regexes.compile(r"^\s*(?:[-—–]\s*\d{1,3}\s*[-—–]|第\s*\d+\s*页(?:\s*/?\s*共\s*\d+\s*页)?)\s*$")
_NUM_TOKEN = r"(?:[-+]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?|——|—|--?-?)"
_ALIGNED_ROW = regexes.compile(rf"^(?:(?P<label>.*?\S)\s+)?(?P<nums>{_NUM_TOKEN}(?:\s+{_NUM_TOKEN})*)\s*$")
_DATE_ONLY = regexes.compile(r"^(?:19|20)\d{2}\s*年\s*\d{1,2}\s*月(?:\s*\d{1,2}\s*日)?$")
_UNIT_WORDS = "|".join(sorted(UNITS, key=len, reverse=True))
# A 统计表 row whose 统计数 is blank: "1. 政府公报公开政府信息数 条"
_UNIT_ROW = regexes.compile(rf"^(?P<label>.*?\S)\s+(?P<unit>{_UNIT_WORDS})(?P<nums>)\s*$")
_NUMBERS_ONLY = regexes.compile(rf"^\s*(?P<label>)(?P<nums>{_NUM_TOKEN}(?:\s+{_NUM_TOKEN})*)\s*$")
_ENUMERATED = regexes.compile(r"^\s*(?:[一二三四五六七八九十]+、|[（(]\s*[一二三四五六七八九十\d]+\s*[)）]|\d+\s*[、.．](?!\d))")
_TOP_HEADING = regexes.compile(r"^\s*#*\s*[一二三四五六七八九十]+、\s*\S{2,}")
_PIPE_RULE = regexes.compile(r"^\s*\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$")


@dataclass
class Block:
    start: int  # 0-based index of the first line
    end: int  # 0-based index after the last line
    table: Table


def is_page_number(line: str) -> bool:
    return bool(PAGE_NUMBER.match(line))


# The widest row of any national-format table is a few hundred characters; a
# longer line is prose or noise, and splitting it into thousands of cells
# would cost seconds for nothing.
MAX_ROW_CHARS = 2_000


def is_tab_row(line: str) -> bool:
    if len(line) > MAX_ROW_CHARS:
        return False
    stripped = line.lstrip(" \t\u3000")
    if not stripped and line.count("\t") >= 2:
        return True  # a table row left entirely blank (Word, web pages)
    if "\t" not in stripped:
        return False
    cells = [c for c in line.split("\t") if c.strip()]
    return len(cells) >= 2 or "。" not in line


def is_pipe_row(line: str) -> bool:
    if len(line) > MAX_ROW_CHARS:
        return False
    stripped = line.strip()
    return stripped.startswith("|") and stripped.count("|") >= 2


def find_tables(lines: list[str]) -> list[Block]:
    """Every table in the report, in order, with the lines it occupies."""
    blocks: list[Block] = []
    i, n = 0, len(lines)
    while i < n:
        line = lines[i]
        if not line.strip() or len(line) > MAX_ROW_CHARS or ("。" in line and "\t" not in line and "|" not in line):
            i += 1  # blank, or prose: no table row of any layout has a full stop outside its cells
            continue
        block = _tab_block(lines, i) or _pipe_block(lines, i)
        if block is None:
            block, scanned = _aligned_block(lines, i)
            if block is None:
                # a rejected run holds no table from any later start either
                i = max(i + 1, scanned)
                continue
        blocks.append(block)
        i = block.end
    return blocks


# ---------------------------------------------------------------- tab / pipe

def _run(lines: list[str], start: int, is_row) -> tuple[list[int], int]:
    """Indexes of row lines from `start`, allowing blank and page-number lines
    between rows (page breaks inside a table); returns (rows, end)."""
    rows, i, n = [], start, len(lines)
    while i < n:
        if is_row(lines[i]):
            rows.append(i)
            i += 1
            continue
        j = i
        while j < n and (not lines[j].strip() or is_page_number(lines[j])):
            j += 1
        if j > i and j < n and is_row(lines[j]):
            i = j
            continue
        break
    return rows, (rows[-1] + 1 if rows else start)


def _tab_block(lines: list[str], start: int) -> Block | None:
    if not is_tab_row(lines[start]):
        return None
    indexes, end = _run(lines, start, is_tab_row)
    while indexes and _part_heading(lines[indexes[0]]):
        indexes = indexes[1:]
    while indexes and _part_heading(lines[indexes[-1]]):
        indexes = indexes[:-1]
    if not indexes:
        return None
    rows = [_split_row(lines[i], i + 1, "\t") for i in indexes]
    return Block(indexes[0], indexes[-1] + 1, _finish(rows, "tsv"))


def _part_heading(line: str) -> bool:
    """A row that is only a report part's heading (二、主动公开政府信息情况 typed
    into the table's first row, or a PDF's heading caught in its ruling
    lines): the heading of the part, never a row of the table. A numbered
    label of the table itself (一、本年新收…) is not one."""
    cells = [cell.strip() for cell in line.split("\t") if cell.strip()]
    if len(cells) != 1:
        return False
    heading = match_heading(cells[0], 0)
    return heading is not None and heading.family == "cn" and heading.body is None


def _pipe_block(lines: list[str], start: int) -> Block | None:
    if not is_pipe_row(lines[start]):
        return None
    indexes, end = _run(lines, start, is_pipe_row)
    rows = [_split_row(lines[i], i + 1, "|") for i in indexes if not _PIPE_RULE.match(lines[i])]
    if not rows:
        return None
    return Block(start, end, _finish(rows, "pipe"))


def _split_row(line: str, number: int, sep: str) -> Row:
    parts, column = [], 1
    pieces = line.split(sep)
    if sep == "|":
        if pieces and not pieces[0].strip():
            column += len(pieces[0]) + 1
            pieces = pieces[1:]
        if pieces and not pieces[-1].strip():
            pieces = pieces[:-1]
    for piece in pieces:
        if not piece or piece.isspace():  # the common cells of a ruled table, built without the general path
            parts.append(Cell("", "blank", None, Span(number, column, number, column)))
        elif piece.isdigit() and piece.isascii() and len(piece) <= MAX_DIGITS:
            parts.append(Cell(piece, "number", int(piece), Span(number, column, number, column + len(piece))))
        else:
            parts.append(_cell(piece, number, column))
        column += len(piece) + 1
    span = Span(number, 1, number, len(line) + 1)
    return Row(cells=parts, span=span)


def _cell(raw: str, line: int, column: int) -> Cell:
    text = raw.strip()
    start = column + (len(raw) - len(raw.lstrip()) if text else 0)
    return Cell(text, *cell_kind(text), Span(line, start, line, start + len(text)))


# ---------------------------------------------------------------- aligned

def _aligned_match(line: str):
    if "。" in line or "；" in line or is_page_number(line) or "\t" in line:
        return None
    match = _NUMBERS_ONLY.match(line) or _label_then_numbers(line) or _UNIT_ROW.match(line)
    if not match:
        return None
    label = match.group("label") or ""
    if label and (label.endswith(("第", "共", "共计", "约", "达", "为")) or re.search(r"\d$", label)):
        return None
    return match


_DIGIT_START = regexes.compile(r"[-+]?\d")
_NUM_WHOLE = regexes.compile(_NUM_TOKEN)
_TOKEN = regexes.compile(r"\S+")


class _AlignedMatch:
    """What _ALIGNED_ROW.match(line) would give, found in one pass from the
    right: the label, then the longest run of number tokens to the end. The
    regex's lazy label made a long line of numbers that ends in text take
    quadratic time."""

    re = _ALIGNED_ROW

    def __init__(self, line: str, label_end: int, nums_start: int, nums_end: int):
        self._spans = {"label": (0, label_end), "nums": (nums_start, nums_end)}
        self._line = line

    def group(self, name: str) -> str:
        start, end = self._spans[name]
        return self._line[start:end]

    def start(self, name: str) -> int:
        return self._spans[name][0]


def _label_then_numbers(line: str) -> _AlignedMatch | None:
    tokens = list(_TOKEN.finditer(line))
    first = len(tokens)
    while first > 0 and _NUM_WHOLE.fullmatch(tokens[first - 1].group()):
        first -= 1
    if first in (0, len(tokens)):
        return None  # no numbers at the end, or no label (_NUMBERS_ONLY's case)
    return _AlignedMatch(line, tokens[first - 1].end(), tokens[first].start(), tokens[-1].end())


def _numbers_in(match) -> int:
    return sum(1 for tok in match.group("nums").split() if _DIGIT_START.match(tok))


def _unit_row(match) -> bool:
    """A 统计表 row: the label ends with its unit (条、件…), or the value is a dash."""
    if match.re is _UNIT_ROW:
        return True
    label = (match.group("label") or "").rsplit(None, 1)
    return (len(label) == 2 and label[1] in UNITS) or match.group("nums").strip() in ("——", "—", "--", "---")


def _is_fragment(lines: list[str], i: int) -> bool:
    line = lines[i].strip()
    if not line or len(line) > 40 or "。" in line or "；" in line or line.startswith(("#", "|")) or "\t" in line:
        return False
    if _TOP_HEADING.match(line):
        return _next_is_numbers_only(lines, i)
    return not _DATE_ONLY.match(line)  # a date line is a signature, never a table header


def _next_is_numbers_only(lines: list[str], i: int) -> bool:
    for j in range(i + 1, min(len(lines), i + 4)):
        if lines[j].strip():
            match = _aligned_match(lines[j])
            return bool(match and not match.group("label"))
    return False


def _aligned_block(lines: list[str], start: int) -> tuple[Block | None, int]:
    """A run of number rows and short fragments (wrapped labels, broken
    headers); accepted as a table when it holds enough numbers. Also returns
    where the scanned run ended."""
    if not (_aligned_match(lines[start]) or _is_fragment(lines, start)):
        return None, start + 1
    items: list[tuple[int, object]] = []  # (index, match or None for fragment)
    i, n = start, len(lines)
    while i < n:
        line = lines[i]
        if not line.strip() or is_page_number(line):
            i += 1
            continue
        match = _aligned_match(line) if len(line) <= MAX_ROW_CHARS else None
        if match and not (_TOP_HEADING.match(line) and not _numbers_in(match) and not _unit_row(match)):
            items.append((i, match))
        elif _is_fragment(lines, i):
            items.append((i, None))
        else:
            break
        i += 1
    counts = [(k, _numbers_in(m)) for k, m in items if m is not None]
    strong = sum(1 for _, c in counts if c >= 2)
    widest = max((c for _, c in counts), default=0)
    unit_rows = sum(1 for _, m in items if m is not None and _unit_row(m))
    if not (strong >= 2 or (strong >= 1 and len(counts) >= 2) or widest >= 5 or unit_rows >= 3):
        return None, i
    last_row = counts[-1][0]
    items = [(k, m) for k, m in items if k <= last_row]
    rows = _aligned_rows(lines, items)
    return Block(items[0][0], last_row + 1, _finish(rows, "aligned")), i


def _aligned_rows(lines: list[str], items) -> list[Row]:
    rows: list[Row] = []
    heads: list[str] = []
    last: Row | None = None
    last_wrapped = False
    for index, match in items:
        line, number = lines[index], index + 1
        if match is None:
            text = squeeze(line)
            if _ENUMERATED.match(text) or heads:
                heads.append(text)
            elif last is not None and last.path and (last_wrapped or len(text) <= 3):
                last.path[-1] += text
            else:
                rows.append(_header_row(line, number))
                last = None
            continue
        row = _aligned_row(line, number, match, heads)
        last_wrapped = bool(heads) or not match.group("label")
        heads = []
        rows.append(row)
        last = row
    return rows


def _header_row(line: str, number: int) -> Row:
    cells = [_cell(m.group(), number, m.start() + 1) for m in re.finditer(r"\S+", line)]
    return Row(cells=cells, span=Span(number, 1, number, len(line) + 1), role="header")


def _aligned_row(line: str, number: int, match, heads: list[str]) -> Row:
    if match.re is _UNIT_ROW:  # label, unit, and a blank 统计数
        label = match.group("label")
        cells = [_cell(label, number, match.start("label") + 1),
                 _cell(match.group("unit"), number, match.start("unit") + 1),
                 _cell("", number, len(line.rstrip()) + 1)]
        row = Row(cells=cells, span=Span(number, 1, number, len(line) + 1))
        joined = "".join(heads) + squeeze(label)
        row.path = [joined] if joined else []
        return row
    cells: list[Cell] = []
    label = match.group("label") or ""
    if label:
        tokens = label.rsplit(None, 1)
        if len(tokens) == 2 and tokens[1] in UNITS:
            label = tokens[0]
        cells.append(_cell(label, number, match.start("label") + 1))
        if len(tokens) == 2 and tokens[1] in UNITS:
            cells.append(_cell(tokens[1], number, match.start("label") + 1 + line[match.start("label"):].index(tokens[1], len(label))))
    for tok in re.finditer(r"\S+", match.group("nums")):
        cells.append(_cell(tok.group(), number, match.start("nums") + tok.start() + 1))
    row = Row(cells=cells, span=Span(number, 1, number, len(line) + 1))
    joined = "".join(heads) + squeeze(label)
    row.path = [joined] if joined else []
    return row


# ---------------------------------------------------------------- common

def _finish(rows: list[Row], layout: str) -> Table:
    """Assign roles, label paths, units and aligned values; classify the table."""
    for row in rows:
        if row.role == "data":
            _split_label(row, keep_path=layout == "aligned")
    kind = classify(Table(rows=rows, span=Span(1, 1, 1, 1), layout=layout))
    if kind in ("t2", "t3") and layout != "aligned":
        # In the official tables a label followed by blank cells is a data row
        # left empty (the defect to report), not a caption. (PDF text has no
        # blank cells to see: there such lines are broken headers.)
        for row in rows:
            if row.role != "data" and _template_data_row(row):
                row.role = "data"
                _split_label(row, keep_path=False, force_data=True)
    has_unit_column = any(
        r.role == "header" and any(label_key(c.text) == "单位" for c in r.cells) for r in rows
    )
    _fill_merged_labels(rows)
    for segment, header in _segments(rows):
        _align(segment, 1 if has_unit_column else _known_width(kind, header))
    span = rows[0].span.cover(rows[-1].span) if rows else Span(1, 1, 1, 1)
    table = Table(rows=rows, span=span, layout=layout, kind=kind)
    if table.kind == "stats":
        _numbering_paths(table)
    table.doubts = doubts(table)
    return table


_WIDE = {"t3": 7, "t4": 15}  # values per data row once aligned
_T3_ORDER = (("本年新收", "本年接收", "新收"), ("上年结转",), ("总计",), ("结转下年度",))


def doubts(table: Table) -> list[str]:
    """Why the reading of an official table is unsure: columns that do not
    line up, numbers with no label, rows out of the format's order. A table
    with doubts is reported once as not assessable instead of being judged."""
    if table.kind not in ("t3", "t4", "stats"):
        return []
    data = [r for r in table.data_rows if any(c.kind == "number" for c in r.values)]
    found = []
    width = _WIDE.get(table.kind)
    if width and data:
        off = [r for r in data if len(r.values) != width]
        if len(off) * 5 > len(data):
            found.append(f"{len(off)} 行的数字不是 {width} 列，列可能错位")
    unlabeled = [r for r in data if not any(label_key(p) for p in r.path)]
    if len(unlabeled) > 2:
        found.append(f"{len(unlabeled)} 行数字没有行标签")
    if table.kind == "t3":
        positions = [next((k for k, r in enumerate(table.data_rows)
                           if any(a in label_key(r.label) for a in alts)), None) for alts in _T3_ORDER]
        known = [p for p in positions if p is not None]
        if known != sorted(known):
            found.append("行的顺序与统一格式不同")
    return found


_TEMPLATE_HEADERS = ("信息内容", "申请人情况", "自然人", "法人或其他组织", "商业企业", "商业机构", "科研机构",
                     "社会公益组织", "法律服务机构", "勾稽关系", "本年制发件数", "本年处理决定数量", "本年收费金额",
                     "本年新制作数量", "本年新公开数量", "对外公开总数量", "上一年项目数量", "采购项目数量")


def _template_data_row(row: Row) -> bool:
    texts = [label_key(c.text) for c in row.cells if c.kind == "text"]
    if not texts or texts[0].startswith("第二十条"):
        return False
    return not any(word in text for text in texts for word in _TEMPLATE_HEADERS) and texts[0] != "总计"


def _split_label(row: Row, keep_path: bool, force_data: bool = False) -> None:
    cells = row.cells
    last_text = max((k for k, c in enumerate(cells) if c.kind == "text"), default=-1)
    label_cells, rest = cells[: last_text + 1], cells[last_text + 1:]
    non_empty = [c for c in label_cells if c.kind != "blank"]
    if len(non_empty) >= 2 and squeeze(non_empty[-1].text) in UNITS:
        row.unit = non_empty[-1].text
        label_cells = label_cells[: label_cells.index(non_empty[-1])]
        non_empty = non_empty[:-1]
    numbers = [c for c in rest if c.kind == "number"]
    text_cells = [c for c in label_cells if c.kind == "text"]
    if force_data:
        pass
    elif not numbers and len(text_cells) >= 2 and row.unit is None and not any(c.kind == "dash" for c in rest):
        row.role = "header"
        return
    elif not numbers and len(text_cells) == 1 and all(c.kind == "blank" for c in rest) and rest:
        if label_cells and label_cells[0].kind == "text" and row.unit is None:
            row.role = "caption"
            return
    if rest and rest[0].kind == "dash" and row.unit is None and text_cells:
        row.unit = rest[0].text
        rest = rest[1:]
    row.values = list(rest)
    if not keep_path:
        row.path = [squeeze(c.text) for c in label_cells]


def _fill_merged_labels(rows: list[Row]) -> None:
    previous: list[str] = []
    for row in rows:
        if row.role != "data":
            previous = []
            continue
        parts = row.path
        first = next((k for k, p in enumerate(parts) if p), None)
        if first is None:
            row.path = []
            continue
        filled = [previous[k] if not p and k < first and k < len(previous) else p for k, p in enumerate(parts)]
        row.path = [p for p in filled if p]
        previous = filled


def _segments(rows: list[Row]) -> list[tuple[list[Row], Row | None]]:
    """Runs of data rows, each with the header row above it (if any)."""
    segments: list[tuple[list[Row], Row | None]] = [([], None)]
    for row in rows:
        if row.role == "data":
            segments[-1][0].append(row)
        else:
            if segments[-1][0]:
                segments.append(([], None))
            if row.role == "header":
                segments[-1] = (segments[-1][0], row)
    return [s for s in segments if s[0]]


_WIDTHS = {"t3": 7, "t4": 15}


def _known_width(kind: str, header: Row | None) -> int | None:
    """Data columns of the official tables: 7 in 表三, 15 in 表四, and in 表二
    the columns named by the header row after 信息内容."""
    if kind in _WIDTHS:
        return _WIDTHS[kind]
    if kind == "t2" and header is not None:
        names = [c for c in header.cells if c.kind == "text"]
        return max(1, len(names) - 1)
    return None


def _align(rows: list[Row], width: int | None) -> None:
    """Trim each row's value cells to the segment's data width: merged-label
    gaps on the left go first, then trailing empty cells."""
    if width is None:
        counts = [sum(1 for c in r.values if c.kind == "number") for r in rows]
        width = max(counts, default=0) or max((len(r.values) for r in rows), default=0)
    for row in rows:
        values = row.values
        while len(values) > width and values[0].kind == "blank":
            values = values[1:]
        while len(values) > width and values[-1].kind == "blank":
            values = values[:-1]
        if width == 1 and not values:  # one value column: a missing cell is a blank one
            end = row.span.end_column
            values = [Cell(text="", kind="blank", value=None, span=Span(row.line, end, row.line, end))]
        row.values = values[-width:] if width else []


_KIND_MARKERS = (
    ("webmeta", ("索引号", "发布机构", "生成日期", "发文日期", "主题分类", "公开方式")),
    ("stats", ("统计指标", "统计数", "主动公开政府信息数", "申请办结数", "申请答复数", "从事政府信息公开工作人员数",
               "收到申请数", "行政复议数量", "行政诉讼数量", "举报投诉数量", "回应公众关注热点")),
    ("t3", ("申请人情况", "本年新收政府信息公开申请数量", "上年结转", "结转下年度继续办理", "本年度办理结果", "予以公开")),
    ("t2", ("第二十条", "信息内容", "本年制发件数", "行政规范性文件", "行政事业性收费")),
    ("t4", ("行政复议", "行政诉讼", "结果维持", "复议后起诉", "未经复议直接起诉")),
)


def classify(table: Table) -> str:
    """Which official table this is, by the labels it holds (never by position)."""
    text = fold("".join(squeeze(c.text) for r in table.rows for c in r.cells if c.kind == "text"))
    text = text.replace(" ", "")
    scores = Counter({kind: sum(1 for m in markers if m in text) for kind, markers in _KIND_MARKERS})
    kind, score = scores.most_common(1)[0]
    if kind == "webmeta" and score < 2:
        return "other"
    if kind == "t4" and not any(len(r.values) >= 5 for r in table.data_rows):
        return "other" if score < 3 else kind
    return kind if score >= 2 else "other"


_LEVELS = (
    (regexes.compile(r"^[一二三四五六七八九十]+[、.]"), 1),
    (regexes.compile(r"^\(\s*[一二三四五六七八九十]+\s*\)"), 2),
    (regexes.compile(r"^\d+\s*[、.](?!\d)"), 3),
    (regexes.compile(r"^其中"), 4),
)


def _numbering_level(label: str) -> int | None:
    folded = fold(label)
    for pattern, level in _LEVELS:
        if pattern.match(folded):
            return level
    return None


def _numbering_paths(table: Table) -> None:
    """统计表 rows carry their hierarchy in the numbering: 一、 > （一） > 1. > 其中.
    Unnumbered rows continue the level of the row before them."""
    stack: list[tuple[int, str]] = []
    for row in table.data_rows:
        own = row.path[-1] if row.path else ""
        level = _numbering_level(own)
        if level is None:
            level = stack[-1][0] if stack else 1
        while stack and stack[-1][0] >= level:
            stack.pop()
        row.path = [label for _, label in stack] + [own]
        stack.append((level, own))
