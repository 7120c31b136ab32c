"""Numbers in the narrative: against the tables, against their own parts,
percentages of a breakdown, growth rates.

Qualifiers make a number a bound, not a value: 余/多/以上/超过/逾 a lower
bound (with "三百多" meaning below 400), 近/约/左右 an approximation.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterator

from .. import regexes
from ..document import TextRun
from ..parse.text import amount, format_number, short_label, squeeze
from ..scope import Context
from . import Hit, Param, primitive

# The look-behind starts a number only where its digits start, and spaces
# before it belong to the qualifier (近、约…) alone: a pattern `{num}\s*件`
# over a long run of digits or spaces is then tried once, not per character.
NUM = r"(?:(?P<pre>近|约|超过|逾|超)\s*)?(?<![\d.,，])(?P<n>\d+(?:[,，]\d{3})*(?:\.\d+)?)(?:\s*(?P<wan>万))?(?:\s*(?P<post>余|多|以上|左右))?"


@dataclass
class Stated:
    """A number as the text states it: a value or a range."""

    low: float
    high: float
    exact: bool

    @classmethod
    def from_parts(cls, pre: str | None, number: str, wan: str | None, post: str | None) -> "Stated | None":
        value = amount(number)
        if value is None:
            return None
        scale = 10000 if wan else 1
        base = value * scale
        if post in ("余", "多", "以上") or pre in ("超过", "逾", "超"):
            digits = number.replace(",", "").replace("，", "").split(".")[0]
            zeros = len(digits) - len(digits.rstrip("0")) if digits.strip("0") else 0
            step = (10 ** zeros) * scale if (zeros or wan) else 1
            return cls(base, max(base + step, base * 1.1), False)
        if pre in ("近", "约") or post == "左右":
            return cls(base * 0.9, base * 1.1, False)
        return cls(base, base, True)

    def admits(self, value: float) -> bool:
        if self.exact:
            return abs(value - self.low) < 1e-6
        return self.low - 1e-6 <= value <= self.high


@primitive(
    values=('label', 'name', 'stated', 'text', 'value'),
    table=Param("str", doc="table kind the figures are in"),
    items=Param("items", doc="[{name, pattern (with {num}), row: 'A + B' (optional), columns: [index…]}]"),
    scope=Param("str", required=False, default="body"),
)
def narrative_matches_table(ctx: Context, table: str, items: list[dict], scope: str = "body") -> Iterator[Hit]:
    """A figure the text states for a table quantity must agree with the table
    cell (or the sum of the cells) it names. A blank cell is not compared: the
    blank-cell rules report it, and the text may be the only true figure."""
    found = ctx.readable_table(table)
    if found is None:
        return
    for item in items:
        value, label = _table_value(ctx, found, item)
        if label is None or value is None:
            continue
        for run in (ctx.joined(scope),):
            for match in item["pattern"].finditer(run.text):
                stated = Stated.from_parts(match.group("pre"), match.group("n"), match.group("wan"), match.group("post"))
                if stated is None or stated.admits(value):
                    continue
                span = run.span(match.start("n"), match.end("n"))
                yield Hit(span, {"name": item["name"], "text": squeeze(match.group()), "stated": squeeze(match.group("n")),
                                 "label": label, "value": format_number(value)},
                          key=f"{item['name']}:{squeeze(match.group())}")


def _table_value(ctx: Context, table, item: dict) -> tuple[float | None, str | None]:
    """(value, label): label None when the table lacks the row; value None when a cell is blank."""
    columns = item.get("columns") or [0]
    refs = item.get("rows") or []
    rows = [ctx.row(table, ref) for ref in refs] if refs else table.data_rows[:1]
    if not rows or any(r is None for r in rows):
        return None, None
    total, labels = 0.0, []
    blank = False
    for row in rows:
        labels.append(short_label(row.label) if refs else "表格")
        for column in columns:
            if column >= len(row.values):
                return None, None
            cell = row.values[column]
            if cell.kind == "number":
                total += cell.value
            elif cell.kind == "blank":
                blank = True
            else:
                return None, None
    label = " + ".join(labels)
    if item.get("label"):
        label = item["label"]
    return (None if blank else total), label


_TOTAL_BEFORE = regexes.compile(
    r"(近|约|超过|逾|超)?\s*(\d+(?:[,，]\d{3})*(?:\.\d+)?)\s*(万)?\s*(余|多|以上|左右)?\s*"
    r"(件|条|个|项|次|人次|人|篇|家|场|期|户)[^。；;]{0,6}$"
)
# "较上年增加42件，其中…": the figure before 其中 is a change from last year,
# not a total the parts could add up to; such a breakdown is not judged.
_CHANGE_BEFORE = regexes.compile(r"(?:(?<!新)(?:增加|增长|减少|下降|上升|提高|降低)|(?:比|较)[^，,。；;]{0,12}(?:多|少))了?\s*$")
_MARKERS = regexes.compile(r"其中|包括|分别为|分别是")
_DIGIT = regexes.compile(r"\d")
_PART = regexes.compile(
    r"(近|约|超过|逾|超)?\s*(\d+(?:[,，]\d{3})*(?:\.\d+)?)\s*(万)?\s*(余|多|以上|左右)?\s*(件|条|个|项|次|人次|人|篇|家|场|期|户)"
)


@primitive(
    values=('total', 'unit', 'parts', 'sum', 'marker', 'problem', 'part', 'stated', 'actual'),
    problem=Param("choice", choices=("exceeds", "short", "percent"),
                  doc="exceeds: parts above the total; short: listed parts below it; "
                      "percent: a part's stated share (占N%) not its share of the total"),
    scope=Param("str", required=False, default="body"),
)
def parts_sum(ctx: Context, problem: str, scope: str = "body") -> Iterator[Hit]:
    """`N件，其中a件、b件…`: the parts may not exceed the total (a text may give
    several breakdowns in a row: each that reaches the total starts anew);
    after 包括/分别为 they must reach it; `a件，占P%` must be a/N. Parts in
    brackets (`b件（含甲40件、乙56件）`) are parts of b, not of N. The text is
    scanned once for all three problems (GK505, GK506, GK507 share it)."""
    joined = ctx.joined(scope)
    for hit in ctx.memo(("parts", scope), lambda: list(_parts_in(joined))):
        if hit.values["problem"] == problem:
            yield hit


_SHARE = regexes.compile(r"\s*[，,]?\s*(?:占|约占)(?:比|全部|总数|总量)?(?:的)?\s*(\d+(?:\.\d+)?)\s*[%％]")


def _parts_in(run: TextRun) -> Iterator[Hit]:
    text = run.text
    for marker in _MARKERS.finditer(text):
        before = text[max(0, marker.start() - 40): marker.start()].rstrip("，,：: ")
        if not _DIGIT.search(before):  # no total to break down: the common case, kept cheap
            continue
        before = before.rstrip("。")  # 共64条。其中，… and 共10件。分别为… break the same total down
        total_match = _TOTAL_BEFORE.search(before)
        if not total_match or total_match.group(1) or total_match.group(3) or total_match.group(4):
            continue
        if _CHANGE_BEFORE.search(before, 0, total_match.start()):
            continue
        total, unit = amount(total_match.group(2)), total_match.group(5)
        end = _sentence_end(text, marker.end(), _BREAKDOWN_REACH)
        nested = _bracketed(text, marker.end(), end)
        parts = [m for m in _PART.finditer(text, marker.end(), end) if m.group(5) == unit and not nested(m.start())]
        if not parts or any(m.group(1) or m.group(3) or m.group(4) for m in parts):
            continue
        values = [amount(m.group(2)) for m in parts]
        if total is None or None in values:
            continue
        yield from _share_hits(run, marker.end(), parts, values, total, unit, marker.group())
        exhaustive = marker.group() != "其中"
        problem = _breakdown_problem(values, total, exhaustive)
        if problem:
            first, last = parts[0], parts[-1]
            listed = " + ".join(format_number(v) for v in values)
            yield Hit(run.span(first.start(2), last.end()),
                      {"total": format_number(total), "unit": unit, "parts": listed, "sum": format_number(sum(values)),
                       "marker": marker.group(), "problem": problem},
                      key=f"{format_number(total)}{unit}:{listed}")


def _bracketed(text: str, start: int, end: int):
    """A test: is this position inside brackets opened after `start`?"""
    inside, depth = [], 0
    for i in range(start, end):
        ch = text[i]
        if ch in "（(":
            depth += 1
        elif ch in "）)" and depth:
            depth -= 1
        inside.append(depth > 0)
    return lambda i: start <= i < end and inside[i - start]


def _share_hits(run: TextRun, start: int, parts, values, total: float, unit: str, marker: str) -> Iterator[Hit]:
    """`其中网络申请90件，占54%`: the stated share must be the part over the
    total, to the precision written (rounded or cut off)."""
    if not total:
        return
    text = run.text
    previous_end = start
    for match, value in zip(parts, values):
        share = _SHARE.match(text, match.end())
        named = re.split(r"[，,、；;：:。）)]", text[previous_end: match.start()])[-1].strip()[-12:]
        previous_end = share.end() if share else match.end()
        if not share:
            continue
        stated = amount(share.group(1))
        decimals = len(share.group(1).split(".")[1]) if "." in share.group(1) else 0
        actual = value / total * 100
        if stated is None or abs(actual - stated) <= 10 ** -decimals + 1e-9:
            continue
        yield Hit(run.span(share.start(1), share.end()),
                  {"total": format_number(total), "unit": unit, "part": named + squeeze(match.group()),
                   "stated": share.group(1), "actual": f"{actual:.{max(decimals, 1)}f}", "marker": marker,
                   "problem": "percent", "parts": "", "sum": ""},
                  key=f"{format_number(total)}{unit}:{squeeze(match.group())}:{share.group(1)}")


_BREAKDOWN_REACH = 300  # characters after 其中 that a breakdown may run: keeps the scan linear


def _sentence_end(text: str, start: int, reach: int) -> int:
    stop = min(len(text), start + reach)
    end = text.find("。", start, stop)
    return stop if end < 0 else end


def _breakdown_problem(values: list[float], total: float, exhaustive: bool) -> str | None:
    running, complete = 0.0, False
    for value in values:
        running += value
        if abs(running - total) < 1e-6:
            running, complete = 0.0, True
        elif running > total + 1e-6:
            return "exceeds"
    if exhaustive and not complete:
        return "short"
    return None


# 占35%, 占比35%, and the base named before the share: 占已答复件数的5.1%, 占总数的20%
_PERCENT = regexes.compile(r"占(?:比|[^，,。；;、%％\d]{1,10}?的)?\s*(?:<u>)?\s*(\d+(?:\.\d+)?)\s*(?:</u>)?\s*[%％]")


@primitive(
    values=('parts', 'sum'),
    scope=Param("str", required=False, default="document"),
    min_items=Param("int", required=False, default=3),
    tolerance=Param("float", required=False, default=1.0),
)
def percent_sum(ctx: Context, scope: str = "document", min_items: int = 3, tolerance: float = 1.0) -> Iterator[Hit]:
    """A run of 占N% shares (one breakdown, no sentence break between them)
    must add up to 100, give or take rounding."""
    for run in (ctx.joined(scope), ctx.joined("cells")):
        for group in _percent_groups(run.text):
            if len(group) < min_items:
                continue
            shares = [amount(m.group(1)) for m in group]
            if None in shares:
                continue
            total = sum(shares)
            if abs(total - 100) > tolerance:
                listed = " + ".join(m.group(1) for m in group)
                yield Hit(run.span(group[0].start(), group[-1].end()),
                          {"parts": listed, "sum": format_number(round(total, 4))}, key=listed)


def _percent_groups(text: str) -> list[list[re.Match]]:
    groups: list[list[re.Match]] = []
    previous = None
    for match in _PERCENT.finditer(text):
        gap = text[previous.end(): match.start()] if previous else ""
        if previous is None or "。" in gap or len(gap) > 40:
            groups.append([])
        groups[-1].append(match)
        previous = match
    return groups


_GROWTH = regexes.compile(
    r"(?P<cur>\d(?<![\d.,，]\d)\d*(?:[,，]\d{3})*(?:\.\d+)?)\s*(?P<unit>[条件项次个篇人家])[^。；;]{0,12}?(?:比|较)"
    r"(?:上年|去年|上一年度?|(?P<y>(?:19|20)\d{2})\s*年度?)?\s*(?:同期)?\s*(?:的)?\s*"
    r"(?P<prev>\d+(?:[,，]\d{3})*(?:\.\d+)?)\s*(?P=unit)?\s*(?:相比)?\s*"
    r"(?P<dir>增长|增加|上升|提高|提升|下降|减少|降低)了?\s*(?P<pct>\d+(?:\.\d+)?)\s*[%％]"
)


@primitive(values=('current', 'previous', 'stated', 'actual', 'direction'), scope=Param("str", required=False, default="body"))
def growth_rate(ctx: Context, scope: str = "body") -> Iterator[Hit]:
    """`A条，比上年B条增长P%`: P must be (A−B)/B, to the precision stated."""
    for run in (ctx.joined(scope),):
        for match in _GROWTH.finditer(run.text):
            current, previous, stated = (amount(match.group(g)) for g in ("cur", "prev", "pct"))
            if current is None or previous is None or stated is None or previous == 0:
                continue
            decimals = len(match.group("pct").split(".")[1]) if "." in match.group("pct") else 0
            actual = (current - previous) / previous * 100
            if match.group("dir") in ("下降", "减少", "降低"):
                actual = -actual
            if abs(actual - stated) > max(0.5 * 10 ** -decimals, 0.005) + 1e-9:
                yield Hit(run.span(match.start("pct"), match.end()),
                          {"current": format_number(current), "previous": format_number(previous), "stated": match.group("pct"),
                           "actual": f"{actual:.{max(decimals, 1)}f}", "direction": match.group("dir")},
                          key=squeeze(match.group()))
