"""Saved web pages (.html): the article found, site chrome left out, tables on their grid."""

from __future__ import annotations

import re

from .. import regexes
from ..source import InputError
from .common import FIGURE, clean, tab_row

_BLOCKS = {"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "section", "article", "blockquote", "pre",
           "center", "dd", "dt"}
_SKIP = {"script", "style", "noscript", "nav", "header", "footer", "aside", "form", "button", "select",
         "iframe", "head", "title"}
_BODY_HINT = regexes.compile(r"content|article|zoom|trs_editor|detail|main|text|wenzhang|zw|body", re.I)
_CJK = regexes.compile(r"[\u4e00-\u9fff]")


def read(data: bytes, name: str) -> tuple[list[str], list[str]]:
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
    _walk_html(body, lines, locations, _line_holders(body))
    head = "".join(lines[:12])
    if not _REPORT_TITLE.search(head):
        title = _page_title(soup, body)
        if title:
            lines[:0] = [title[0], ""]
            locations[:0] = [title[1], title[1]]
    return lines, locations


_REPORT_TITLE = regexes.compile(r"年度报告|工作报告|年报")
# 当前位置：首页 > 政务公开 > 年报: the site's path to the page, not its title
_BREADCRUMB = regexes.compile(r"^(?:您?当前(?:的)?位置|您现在的位置|当前所在位置|位置)\s*[：:]|[>＞»›].*[>＞»›]")
_SITE_SUFFIX = regexes.compile(r"\s*[_|\-–—]\s*[^_|\-–—]{2,30}$")


def _page_title(soup, body) -> tuple[str, str] | None:
    """The report's title when the article body leaves it out: the nearest
    heading before the body that names a report, else the page <title>."""
    for heading in body.find_all_previous(["h1", "h2", "h3", "div", "p"], limit=60):
        text = clean(heading.get_text())
        if 6 <= len(text) <= 80 and _REPORT_TITLE.search(text) and "。" not in text and not _BREADCRUMB.search(text):
            return text, _where(heading)
    if soup.title and soup.title.string:
        text = _SITE_SUFFIX.sub("", clean(soup.title.string))
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
    for node in _bottom_up(root):
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


def _bottom_up(root):
    """Every element under `root` (itself last), each after all of its
    children, without recursion: a page nested a hundred thousand deep is
    walked in its size."""
    from bs4 import Tag

    stack = [(root, False)]
    while stack:
        node, children_done = stack.pop()
        if children_done:
            yield node
            continue
        stack.append((node, True))
        stack.extend((child, False) for child in node.contents if isinstance(child, Tag))


def _where(element) -> str:
    line = getattr(element, "sourceline", None)
    column = getattr(element, "sourcepos", None)
    return f"源文件第{line}行第{(column or 0) + 1}列" if line else "源文件"


_HOLDS_LINES = _BLOCKS | {"table"}
_MAX_HTML_DEPTH = 60  # blocks nested deeper are read as one run of text (no recursion limit to hit)


def _line_holders(root) -> set[int]:
    """The elements (by id) with a block or a table somewhere inside, found
    in one bottom-up pass."""
    from bs4 import Tag

    holders: set[int] = set()
    for node in _bottom_up(root):
        if any(isinstance(child, Tag) and (child.name in _HOLDS_LINES or id(child) in holders)
               for child in node.contents):
            holders.add(id(node))
    return holders


def _walk_html(element, lines: list[str], locations: list[str], holders: set[int], depth: int = 0) -> None:
    from bs4 import NavigableString, Tag

    buffer: list[str] = []
    where = _where(element)

    def flush():
        text = clean("".join(buffer))
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
                lines.append(tab_row(row))
                locations.append(row_where)
            lines.append("")
            locations.append(_where(child))
        elif depth < _MAX_HTML_DEPTH and (child.name in _BLOCKS or id(child) in holders):
            # a block, or a wrapper around blocks (<body> under the <html>
            # chosen as the article, <font>/<span> around paragraphs): its
            # paragraphs stay lines of their own
            flush()
            _walk_html(child, lines, locations, holders, depth + 1)
        else:
            if not buffer:
                where = _where(child)
            buffer.append(child.get_text())
    flush()


def _html_rows(table) -> list[tuple[list[str], str]]:
    """Rows with rowspan/colspan laid out on a grid, as the Word reader does:
    a figure spanning columns is one cell (its other columns are layout, not
    blank data: 规章 | 13 | 13(colspan 2) | 524 has three values); a heading
    or label spanning columns leaves blanks in the columns it covers (so the
    page can show the merge); a cell spanning rows leaves a blank below."""
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
            text = clean(cell.get_text(" ").replace("\xa0", " "))
            for dr in range(span_r):
                for dc in range(span_c):
                    covered = None if not text or FIGURE.match(text) else ""  # a value's extra columns are layout
                    grid[(r + dr, column + dc)] = covered if dc else (text if dr == 0 else "")
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
