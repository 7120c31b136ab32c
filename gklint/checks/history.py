"""Checks across years: this report against the same agency's report for the
year before (`--previous`, or paired automatically in a folder of reports).
Without a previous report they find nothing."""

from __future__ import annotations

from typing import Iterator

from ..expr import Ref
from ..parse.text import format_number, short_label
from ..scope import Context
from . import Hit, Param, primitive
from .anchors import top_span as _top_span


def _cell(doc_ctx: Context, table: str, ref: Ref, column: int):
    found = doc_ctx.readable_table(table)
    row = doc_ctx.row(found, ref) if found else None
    if row is None or column >= len(row.values):
        return None, None
    cell = row.values[column]
    return (cell.value if cell.kind == "number" else None), cell


@primitive(
    values=('column', 'last', 'previous_year', 'this'),
    table=Param("str"),
    this_row=Param("ref", doc="this year's row (e.g. 上年结转)"),
    last_row=Param("ref", doc="last year's row (e.g. 结转下年度)"),
    columns=Param("list", doc="names of the value columns, in order"),
)
def carry_over(ctx: Context, table: str, this_row: Ref, last_row: Ref, columns: list[str]) -> Iterator[Hit]:
    """This year's carried-over figures equal last year's carried-forward ones, column by column."""
    if ctx.previous is None:
        return
    before = ctx.previous
    for index, name in enumerate(columns):
        now, cell = _cell(ctx, table, this_row, index)
        then, _ = _cell(before, table, last_row, index)
        if now is None or then is None or abs(now - then) < 1e-9:
            continue
        yield Hit(cell.span, {"column": name.split("|")[0], "this": format_number(now), "last": format_number(then),
                              "previous_year": before.doc.year or "上一年度"}, key=f"carry@{name}")


@primitive(
    values=('expected', 'issued', 'last_stock', 'repealed', 'row', 'stock'),
    table=Param("str"),
    rows=Param("list", doc="rows whose stock is followed (规章, 行政规范性文件)"),
)
def stock_follows(ctx: Context, table: str, rows: list[str]) -> Iterator[Hit]:
    """现行有效件数 this year = last year's + 本年制发 − 本年废止 (columns 0, 1, 2)."""
    if ctx.previous is None:
        return
    for label in rows:
        ref = Ref(((label,),))
        issued, _ = _cell(ctx, table, ref, 0)
        repealed, _ = _cell(ctx, table, ref, 1)
        stock, cell = _cell(ctx, table, ref, 2)
        last_stock, _ = _cell(ctx.previous, table, ref, 2)
        if None in (issued, repealed, stock, last_stock):
            continue
        expected = last_stock + issued - repealed
        if abs(expected - stock) > 1e-9:
            yield Hit(cell.span, {"row": label, "stock": format_number(stock), "expected": format_number(expected),
                                  "last_stock": format_number(last_stock), "issued": format_number(issued),
                                  "repealed": format_number(repealed)}, key=f"stock@{label}")


@primitive(
    values=('previous', 'previous_year', 'share'),
    threshold=Param("float", required=False, default=0.5, doc="share of repeated text that is flagged"),
    k=Param("int", required=False, default=12, doc="length of the compared character runs"),
)
def repeated_narrative(ctx: Context, threshold: float = 0.5, k: int = 12) -> Iterator[Hit]:
    """内容雷同: the share of this year's narrative found word for word in last
    year's report (runs of k characters, numbers ignored)."""
    if ctx.previous is None:
        return
    now = _normalised(p.text.text for p in ctx.doc.paragraphs())
    then = _normalised(p.text.text for p in ctx.previous.doc.paragraphs())
    if len(now) < 4 * k or len(then) < 4 * k:
        return
    seen = {then[i:i + k] for i in range(len(then) - k + 1)}
    covered = [False] * len(now)
    for i in range(len(now) - k + 1):
        if now[i:i + k] in seen:
            for j in range(i, i + k):
                covered[j] = True
    share = sum(covered) / len(now)
    if share >= threshold:
        yield Hit(_top_span(ctx), {"share": f"{share * 100:.0f}", "previous_year": ctx.previous.doc.year or "上一年度",
                                   "previous": short_label(ctx.previous.doc.path)}, key="repeated")


def _normalised(texts) -> str:
    """Narrative without spaces, digits and punctuation: figures change every
    year, the sentences around them should too."""
    import re

    return re.sub(r"[\s\d\W_]+", "", "".join(texts))
