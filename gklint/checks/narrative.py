"""What the narrative says about itself: numbering inside paragraphs, dates
that cannot exist, a structure the preamble announces, claims the tables deny."""

from __future__ import annotations

import calendar
import re
from typing import Iterator, NamedTuple

from .. import regexes
from ..document import Paragraph
from ..expr import Ref
from ..parse.text import cn_number, format_number, short_label, squeeze
from ..scope import Context
from . import Hit, Param, primitive

_CN = "一二三四五六七八九十"
# 一是…二是…; 其一…; inline （一）…（二）… after a sentence break, not at the
# start of a heading. The patterns begin with what they find, so the regex
# engine can skip to it; what must come before is checked by _after_break.
_INLINE = {
    "shi": regexes.compile(rf"(?P<n>[{_CN}]{{1,3}})是(?![否的])"),
    "paren": regexes.compile(rf"[（(](?P<n>[{_CN}]{{1,3}})[）)]"),
}
_BREAKS = {"shi": "。；;，,：:！？", "paren": "。；;：:，,"}
_MARKER_TEXT = {"shi": "{}是", "paren": "（{}）"}


@primitive(values=('marker', 'expected'), families=Param("list", required=False, default=("shi", "paren"),
                                                          doc="shi: 一是/二是…; paren: （一）（二）… inside a paragraph"))
def inline_numbering(ctx: Context, families=("shi", "paren")) -> Iterator[Hit]:
    """Enumerations inside the text count 一, 二, 三…: 一是…二是…四是 skips one,
    一是…二是…二是 repeats one. 一是 may run on over the paragraphs of one
    section (each 二是 opens a paragraph); a new 一是 starts a new list."""
    for paragraphs in _paragraph_groups(ctx.doc):
        for family in families:
            yield from _check_family(paragraphs, family)


def _paragraph_groups(doc) -> Iterator[list[Paragraph]]:
    """The paragraphs of the preamble and of each section, apart."""
    yield [n for n in doc.preamble if isinstance(n, Paragraph)]
    for section in doc.all_sections():
        yield [n for n in section.children if isinstance(n, Paragraph)]


def _check_family(paragraphs: list[Paragraph], family: str) -> Iterator[Hit]:
    pattern, expected = _INLINE[family], 0
    for paragraph in paragraphs:
        if family == "paren":
            expected = 0  # （一）… inside a paragraph is a list of that paragraph only
        run = paragraph.text
        for match in pattern.finditer(run.text):
            if not _after_break(run.text, match.start(), family):
                continue
            number = cn_number(match.group("n"))
            if number is None or number > 20:
                continue
            if number == 1:
                expected = 2
                continue
            if expected and number != expected:
                marker = _MARKER_TEXT[family]
                yield Hit(run.span(match.start("n"), match.end()),
                          {"marker": marker.format(match.group("n")), "expected": marker.format(_cn(expected))},
                          key=f"{family}:{squeeze(run.text[:20])}:{match.group('n')}")
                expected = 0  # one finding per list
                continue
            if expected:
                expected = number + 1


def _after_break(text: str, start: int, family: str) -> bool:
    """一是 opens the text or follows a break or a space; （一） follows a break,
    spaces between allowed."""
    before = start - 1
    if family == "shi":
        return before < 0 or text[before] in _BREAKS["shi"] or text[before].isspace()
    while before >= 0 and text[before].isspace():
        before -= 1
    return before >= 0 and text[before] in _BREAKS["paren"]


def _cn(number: int) -> str:
    if number <= 10:
        return _CN[number - 1]
    return "十" + (_CN[number - 11] if number > 10 else "")


# A month (and day), found from its digits so the regex engine can skip to
# them; a year written just before it (2023年) is looked up backwards.
_MONTH = regexes.compile(r"(?P<m>\d{1,2})\s*月\s*(?:(?P<d>\d{1,2})\s*日)?")
_YEAR_BEFORE = regexes.compile(r"(?P<y>(?:19|20)\d{2})\s*年\s*$")
_YEAR_REACH = 40  # characters before a month searched for its year
_PERIOD = regexes.compile(
    r"(?P<y1>(?:19|20)\d{2})\s*年\s*(?P<m1>\d{1,2})\s*月\s*(?P<d1>\d{1,2})\s*日\s*(?:起)?\s*(?:至|到|—|～|~)\s*"
    r"(?:(?P<y2>(?:19|20)\d{2})\s*年\s*)?(?P<m2>\d{1,2})\s*月\s*(?P<d2>\d{1,2})\s*日"
)


class _Date(NamedTuple):
    start: int  # at the year when one is written, else at the month
    end: int
    month_end: int
    year: int | None
    month: int
    day: str | None


def _dates(text: str) -> Iterator[_Date]:
    """Every `[YYYY年]M月[D日]` whose month is not the tail of a longer number."""
    previous_end = 0
    for match in _MONTH.finditer(text):
        start = match.start()
        if start and text[start - 1].isdigit():
            continue  # 123月: not a month
        year = _YEAR_BEFORE.search(text, max(previous_end, start - _YEAR_REACH), start)
        if year:
            start = year.start()
        previous_end = match.end()
        yield _Date(start, match.end(), match.end("m"), int(year.group("y")) if year else None,
                    int(match.group("m")), match.group("d"))


@primitive(values=('date', 'problem'), scope=Param("str", required=False, default="document"))
def impossible_dates(ctx: Context, scope: str = "document") -> Iterator[Hit]:
    """Dates no calendar has (13月, 2月30日, 4月31日) and periods that end
    before they start (自2023年3月1日至2023年2月1日)."""
    joined = ctx.joined(scope)
    text = joined.folded
    for found in _dates(text):
        month, day, year = found.month, found.day, found.year
        if month == 0 or month > 12:
            problem = f"没有{month}月"
        elif day is not None and not 1 <= int(day) <= _days(year, month):
            problem = f"{month}月没有{int(day)}日" if int(day) else "没有0日"
        else:
            continue
        if _is_range_or_count(text, found):
            continue
        written = text[found.start:found.end]
        yield Hit(joined.span(found.start, found.end), {"date": squeeze(written), "problem": problem},
                  key=squeeze(written))
    for match in _PERIOD.finditer(text):
        start = (int(match.group("y1")), int(match.group("m1")), int(match.group("d1")))
        end = (int(match.group("y2") or match.group("y1")), int(match.group("m2")), int(match.group("d2")))
        if end < start and match.group("y2"):  # 12月25日至1月5日 without a year runs into the next one
            yield Hit(joined.span(match.start(), match.end()),
                      {"date": squeeze(match.group()), "problem": "结束日期早于开始日期"}, key=squeeze(match.group()))


def _days(year: int | None, month: int) -> int:
    if month == 2 and year is None:
        return 29  # no year: 2月29日 may be right
    return calendar.monthrange(year or 2001, month)[1]


def _is_range_or_count(text: str, found: _Date) -> bool:
    """`12个月`, `1-13月`, `第13月` are not dates."""
    before = text[max(0, found.start - 1): found.start]
    after = text[found.month_end: found.month_end + 2]
    return before in ("-", "第", "个", "~", "至") or after.startswith("个")


_ANNOUNCED = regexes.compile(rf"(?:共分为|共分|分为|分成|共有|共|包括|由)\s*(?P<n>[{_CN}\d]{{1,3}})\s*(?:个)?部分")


@primitive(values=('announced', 'found'), scope=Param("str", required=False, default="preamble"))
def announced_parts(ctx: Context, scope: str = "preamble") -> Iterator[Hit]:
    """The preamble's `本报告共分六个部分` must match the report's top-level parts."""
    joined = ctx.joined(scope)
    match = _ANNOUNCED.search(joined.text)
    if not match:
        return
    announced = int(match.group("n")) if match.group("n").isdigit() else cn_number(match.group("n"))
    top = [s for s in ctx.doc.sections if s.family in ("cn", "part")]
    if announced is None or not top or announced == len(top):
        return
    yield Hit(joined.span(match.start(), match.end()), {"announced": announced, "found": len(top)},
              key=f"{announced}/{len(top)}")


@primitive(
    values=('claim', 'label', 'value'),
    table=Param("str", doc="table kind"),
    row=Param("ref", doc="the row whose nonzero value denies the claim"),
    column=Param("int", required=False, default=-1, doc="value column (-1: the last)"),
    pattern=Param("regex", doc="the claim in the text"),
    unless=Param("regex", required=False, default=None,
                 doc="a qualification: the claim stands when this is in its sentence (除…外, 其余)"),
    scope=Param("str", required=False, default="document"),
)
def claim_contradicts_table(ctx: Context, table: str, row: Ref, pattern: re.Pattern, column: int = -1,
                            unless=None, scope: str = "document") -> Iterator[Hit]:
    """A claim in the text (所有申请均已办结) that a nonzero table cell denies
    (结转下年度继续办理 12), unless its sentence qualifies it. A blank or
    unreadable cell is not judged."""
    found = ctx.readable_table(table)
    if found is None:
        return
    target = ctx.row(found, row)
    if target is None or not target.values:
        return
    cell = target.values[column] if -len(target.values) <= column < len(target.values) else None
    if cell is None or cell.kind != "number" or not cell.value:
        return
    joined = ctx.joined(scope)
    for match in pattern.finditer(joined.text):
        if unless is not None and unless.search(_sentence(joined.text, match.start(), match.end())):
            continue
        yield Hit(joined.span(match.start(), match.end()),
                  {"claim": squeeze(match.group()), "label": short_label(target.label),
                   "value": format_number(cell.value)}, key=squeeze(match.group()))


def _sentence(text: str, start: int, end: int) -> str:
    """The sentence around text[start:end] (to the full stops on either side)."""
    left = max(text.rfind(stop, 0, start) for stop in "。；;\n") + 1
    right = min((i for i in (text.find(stop, end) for stop in "。；;\n") if i >= 0), default=len(text))
    return text[left:right]
