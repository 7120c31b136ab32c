"""Dates and years: the signature date against the period and the deadline,
comparison years, plans dated with the report year."""

from __future__ import annotations

from datetime import date
from typing import Iterator

from .. import regexes
from ..parse.text import squeeze
from ..scope import Context
from . import Hit, Param, primitive
from .anchors import end_span


def _report_year(ctx: Context) -> int | None:
    """The report year, unless it was itself guessed from the signature."""
    doc = ctx.doc
    if doc.year_source in ("signature", "none"):
        return None
    return doc.year


_SOURCES = {"signature": "落款日期", "page": "页面发布日期", "dateline": "标题下的日期",
            "option": "指定的发布日期（--published）"}


@primitive(
    values=('date', 'year', 'deadline', 'kind', 'source'),
    check=Param("choice", choices=("after_period", "deadline")),
    deadlines=Param("mapping", required=False, default=None,
                    doc="agency kind (government, department, township, subdistrict, zone; * for any) -> MM-DD "
                        "in the year after the report year; a kind not listed is not checked"),
)
def signature_date(ctx: Context, check: str, deadlines=None) -> Iterator[Hit]:
    """after_period: the report is dated after 12月31日 of the report year.
    deadline: it was published no later than the legal deadline for its agency
    kind. The date is the 落款's, else the web page's own, else --published;
    the hit says which (`source`)."""
    published = ctx.doc.published
    year = _report_year(ctx)
    if not published or not year:
        return
    signed, span = published.date, published.span or end_span(ctx)
    values = {"date": published.text or signed.isoformat(), "year": year, "source": _SOURCES[published.source]}
    if check == "after_period":
        if signed <= date(year, 12, 31):
            yield Hit(span, values, key="after_period")
        return
    kind = ctx.agency_kind
    deadlines = deadlines or {}
    key = "township" if kind.township else kind.kind
    limit = deadlines.get(key, deadlines.get("*"))
    if limit is None:
        return  # 乡镇, 街道, 管委会 and bodies of unknown kind have no deadline in 第四十九条
    month, day = (int(x) for x in limit.split("-"))
    deadline = date(year + 1, month, day)
    if signed > deadline:
        yield Hit(span, {**values, "deadline": f"{deadline.year}年{month}月{day}日",
                         "kind": "政府" if kind.kind == "government" else "部门"}, key="deadline")


_NOT_WHOLE_YEAR = r"(?!\s*(?:初|底|末|上半年|下半年|前|第|[一二三四]季度|\d+\s*月|[一二三四五六七八九十]+月))"
_COMPARISON = regexes.compile(
    rf"(?:比|较)\s*(?P<y>(?:19|20)\d{{2}})\s*年度?{_NOT_WHOLE_YEAR}"
    rf"|(?:与|同)\s*(?P<y2>(?:19|20)\d{{2}})\s*年度?(?:同期)?相比"
)


@primitive(values=('compared', 'expected', 'text', 'year'), scope=Param("str", required=False, default="body"))
def comparison_year(ctx: Context, scope: str = "body") -> Iterator[Hit]:
    """A comparison (比/较/与 YYYY年) with the report year itself or a later
    year: the year before the report year is meant."""
    year = _report_year(ctx)
    if not year:
        return
    for run in (ctx.joined(scope),):
        for match in _COMPARISON.finditer(run.text):
            group = "y" if match.group("y") else "y2"
            compared = int(match.group(group))
            if compared >= year:
                yield Hit(run.span(match.start(group), match.end()),
                          {"compared": compared, "year": year, "expected": year - 1, "text": squeeze(match.group())},
                          key=squeeze(match.group()))


_PLAN_HEADING = regexes.compile(r"(工作思路|工作打算|工作计划|工作安排|重点工作|下一步|改进措施)")
_PLAN_LEAD = regexes.compile(r"(?:下一步|明年|来年|新的一年|今后)[，,:：]?\s*(?:在|于)?\s*(?P<y>(?:19|20)\d{2})\s*年")
_YEAR = regexes.compile(r"(?P<y>(?:19|20)\d{2})\s*年")


@primitive(values=('stated', 'year'), scope=Param("str", required=False, default="document"))
def plan_year(ctx: Context, scope: str = "document") -> Iterator[Hit]:
    """Plans for the coming year dated with the report year or earlier
    (a heading like 2017年工作思路 in a 2017 report, 下一步2017年将…)."""
    year = _report_year(ctx)
    if not year:
        return
    for section in ctx.doc.all_sections():
        title = section.title
        if _PLAN_HEADING.search(title.text):
            for match in _YEAR.finditer(title.text):
                if int(match.group("y")) <= year and "落实" not in title.text:
                    yield Hit(title.span(match.start(), match.end()), {"stated": int(match.group("y")), "year": year},
                              key=squeeze(title.text))
    for run in (ctx.joined("body"),):
        for match in _PLAN_LEAD.finditer(run.text):
            if int(match.group("y")) <= year:
                yield Hit(run.span(match.start("y"), match.end()), {"stated": int(match.group("y")), "year": year},
                          key=squeeze(match.group()))
