"""Table checks: identities (勾稽关系), blank cells, labels altered from the template."""

from __future__ import annotations

import difflib
from functools import lru_cache
from typing import Iterator

from .. import regexes
from ..document import Row, Table
from ..expr import Expr, Ref
from ..parse.text import _LEADING_ENUM, format_number, label_key, short_label, squeeze
from ..scope import Context
from ..source import fold
from . import Hit, Param, primitive


@lru_cache(maxsize=4096)
def _column_index(names: tuple[str, ...], ref: Ref) -> int | None:
    """Which of the named columns the reference names (the same few per rule pack: cached)."""
    wanted = [fold(a) for a in ref.path[-1]]
    for index, name in enumerate(names):
        if any(fold(alt) in wanted for alt in name.split("|")):
            return index
    return None


def _display(name: str) -> str:
    return name.split("|")[0]


@primitive(
    values=('column', 'expr', 'left', 'lhs', 'rhs', 'right', 'row'),
    table=Param("str", doc="table kind: stats, t2, t3, t4"),
    expr=Param("expr", doc="the identity, e.g. 一 + 二 == 总计 + 四"),
    per=Param("choice", choices=("column", "row"), default="column"),
    columns=Param("list", required=False, default=None, doc="names of the value columns, in order"),
    tolerance=Param("float", required=False, default=0.0),
)
def table_identity(ctx: Context, table: str, expr: Expr, per: str, columns=None, tolerance: float = 0.0) -> Iterator[Hit]:
    """Arithmetic over labelled rows (per column) or named columns (per row).
    A missing row or a blank cell leaves the identity unjudged (other rules
    report those)."""
    found = ctx.readable_table(table)
    if found is None:
        return
    width = max((len(r.values) for r in found.data_rows), default=0)
    names = columns or [f"第{k + 1}列" for k in range(width)]
    if per == "column":
        yield from _per_column(ctx, found, expr, names, tolerance)
    else:
        yield from _per_row(found, expr, names, tolerance)


def _value(row: Row | None, index: int):
    if row is None or index >= len(row.values):
        return None, None
    cell = row.values[index]
    return (cell.value if cell.kind == "number" else None), cell


def _per_column(ctx, table: Table, expr: Expr, names: list[str], tolerance: float) -> Iterator[Hit]:
    rows = {ref: ctx.row(table, ref) for ref in expr.refs()}
    labels = {ref: short_label(row.label) if row else str(ref) for ref, row in rows.items()}
    anchor = expr.anchor()
    flat_rows = [rows[ref] for ref in expr.flat[0]] if expr.flat else None
    for index, name in enumerate(names):
        if flat_rows is not None:  # the common, passing case, without a resolver
            numbers = [_value(row, index)[0] for row in flat_rows]
            if None in numbers or expr.holds(numbers, tolerance):
                continue

        def resolve(ref: Ref, index=index):
            return _value(rows[ref], index)[0], labels[ref]

        result = expr.check(resolve, tolerance)
        if result is None or result[0]:
            continue
        sides = result[1]
        cell = _value(rows[anchor], index)[1]
        span = cell.span if cell is not None else table.span
        column = _display(name) if len(names) > 1 else ""
        yield Hit(span, {"column": column, "left": sides[0][1], "right": sides[-1][1],
                         "lhs": sides[0][0], "rhs": sides[-1][0], "expr": expr.text},
                  key=f"{expr.text}@{name}")


def _per_row(table: Table, expr: Expr, names: list[str], tolerance: float) -> Iterator[Hit]:
    indexes = {ref: _column_index(tuple(names), ref) for ref in expr.refs()}
    anchor = indexes.get(expr.anchor())
    flat_indexes = [indexes[ref] for ref in expr.flat[0]] if expr.flat else None
    for row in table.data_rows:
        if not row.values:
            continue
        if flat_indexes is not None:  # the common, passing case, without a resolver
            numbers = [None if index is None else _value(row, index)[0] for index in flat_indexes]
            if None in numbers or expr.holds(numbers, tolerance):
                continue

        def resolve(ref: Ref, row=row):
            index = indexes[ref]
            if index is None:
                return None, str(ref)
            return _value(row, index)[0], _display(names[index])

        result = expr.check(resolve, tolerance)
        if result is None or result[0]:
            continue
        sides = result[1]
        cell = _value(row, anchor)[1] if anchor is not None else None
        span = cell.span if cell is not None else row.span
        label = short_label(row.label) or "数据行"
        yield Hit(span, {"row": label, "left": sides[0][1], "right": sides[-1][1],
                         "lhs": sides[0][0], "rhs": sides[-1][0], "expr": expr.text},
                  key=f"{expr.text}@{label_key(row.label)}")


@primitive(values=('count', 'row', 'rows', 'where', 'table'),
           tables=Param("list", doc="table kinds whose data cells must hold numbers"),
           group_over=Param("int", required=False, default=3,
                            doc="a table with more rows with blanks than this gets one hit, at its first blank"))
def blank_cells(ctx: Context, tables: list[str], group_over: int = 3) -> Iterator[Hit]:
    """Data cells left blank where the format wants a number (0 is a number).
    Rows whose unit is a dash (group headings of a 统计表) carry no value. A
    table left mostly blank is one defect, so one hit (`where`: “A”等 N 行)."""
    for table in ctx.tables():
        if table.kind not in tables or table.doubts:
            continue
        width = max((len(r.values) for r in table.data_rows), default=0)
        found = []  # (row, first blank span, count)
        for row in table.data_rows:
            if row.unit and row.unit.strip() in ("——", "—", "-", "--", "---", "/"):
                continue
            blanks = [c for c in row.values if c.kind == "blank"]
            missing = width - len(row.values) if table.kind in ("t3", "t4") else 0
            if blanks or missing > 0:
                found.append((row, blanks[0].span if blanks else row.span, len(blanks) + max(missing, 0)))
        if len(found) > group_over:
            row, span, _ = found[0]
            label = short_label(row.label) or "数据行"
            yield Hit(span, {"row": label, "rows": len(found), "count": sum(n for _, _, n in found),
                             "where": f"“{label}”等 {len(found)} 行", "table": table.kind},
                      key=f"{table.kind}:{len(found)}")
            continue
        for row, span, count in found:
            label = short_label(row.label) or "数据行"
            yield Hit(span, {"row": label, "rows": 1, "count": count, "where": f"“{label}”", "table": table.kind},
                      key=label_key(row.label) or str(row.line))


@primitive(
    values=('label', 'official'),
    table=Param("str"),
    labels=Param("list", doc="the official row labels of the format"),
    headers=Param("list", required=False, default=None, doc="the official column headers"),
    threshold=Param("float", required=False, default=0.6),
)
def template_labels(ctx: Context, table: str, labels: list[str], headers=None, threshold: float = 0.6) -> Iterator[Hit]:
    """Row labels (and column headers) altered from the official template: a
    label close to an official one but not equal to it."""
    official = tuple((label_key(x), x) for x in labels)
    official_headers = tuple((label_key(x), x) for x in headers or ())
    for found in ctx.tables(table):
        if found.layout == "aligned":  # PDF text wraps labels and headers mid-word
            continue
        reported: set[str] = set()
        for row in found.data_rows:
            for part in row.path:
                key = label_key(part)
                hit = None if key in reported else _altered(part, official, threshold)
                if hit:
                    reported.add(key)
                    yield Hit(row.span, {"label": squeeze(part), "official": hit}, key=key,
                              edits=_label_edit(row.cells, part, hit))
        for row in found.header_rows:
            for cell in row.cells:
                hit = _altered(cell.text, official_headers, 0.5, whole=True) if cell.kind == "text" else None
                if hit:
                    yield Hit(cell.span, {"label": squeeze(cell.text), "official": hit},
                              key="header:" + label_key(cell.text))


def _label_edit(cells, part: str, official: str) -> tuple:
    """Rewrite the cell holding the altered label with the official wording,
    keeping the cell's own numbering (（三）, 1.) as it is."""
    from ..fix import Edit

    cell = next((c for c in cells if c.kind == "text" and c.text.strip() == part.strip()), None)
    if cell is None or cell.span.line != cell.span.end_line:
        return ()
    own = cell.text.strip()
    numbering = own[: len(own) - len(_LEADING_ENUM.sub("", own))]
    wording = _LEADING_ENUM.sub("", official.strip())
    lead = len(cell.text) - len(cell.text.lstrip())
    start = cell.span.column + lead
    return (Edit(cell.span._replace(column=start, end_column=start + len(own)), numbering + wording),)


def _altered(text: str, official: list[tuple[str, str]], threshold: float, whole: bool = False) -> str | None:
    return _altered_key(label_key(text), tuple(official), threshold, whole)


@lru_cache(maxsize=4096)
def _altered_key(key: str, official: tuple, threshold: float, whole: bool) -> str | None:
    if len(key) < 2:
        return None
    for official_key, _ in official:
        if key == official_key or (not whole and (official_key in key or key in official_key)):
            return None
    best, best_score = None, (threshold, -1)
    for official_key, original in official:
        if abs(len(official_key) - len(key)) > max(len(key), len(official_key)) // 2:
            continue
        ratio = difflib.SequenceMatcher(None, key, official_key).ratio()
        score = (ratio, _common_prefix(key, official_key))
        if ratio >= threshold and score > best_score:
            best, best_score = original, score
    return best


def _common_prefix(a: str, b: str) -> int:
    n = 0
    while n < min(len(a), len(b)) and a[n] == b[n]:
        n += 1
    return n


@primitive(values=('line', 'text'), kind=Param("str", doc="table kind that must not appear, e.g. webmeta"))
def table_absent(ctx: Context, kind: str) -> Iterator[Hit]:
    """A table of this kind is present in the body (e.g. web-page metadata
    pasted in). One above the title or the first paragraph is the page's own
    head (索引号, 发布机构 of the report itself), not something pasted in."""
    doc = ctx.doc
    first_text = min([n.span.line for n in doc.paragraphs()] + [doc.title.span.line if doc.title else 10 ** 9])
    for table in ctx.tables(kind):
        if table.span.line < first_text:
            continue
        first = table.rows[0]
        text = " ".join(c.text for c in first.cells if c.text)[:40]
        yield Hit(table.span, {"text": text, "line": table.span.line}, key=label_key(text))


@primitive(
    values=('row', 'value'),
    table=Param("str"),
    row=Param("ref", doc="the row whose value matters"),
    column=Param("int", required=False, default=0),
    pattern=Param("regex", doc="what the text must say when the value is above zero"),
    scope=Param("str", required=False, default="document"),
)
def value_requires_text(ctx: Context, table: str, row: Ref, column: int, pattern, scope: str = "document") -> Iterator[Hit]:
    """A table figure above zero must be explained in the text (e.g. applications
    dropped for unpaid fees need the fee statement)."""
    found = ctx.readable_table(table)
    if found is None:
        return
    target = ctx.row(found, row)
    value, cell = _value(target, column)
    if not value or value <= 0:
        return
    if not pattern.search(ctx.joined(scope).text):
        yield Hit(cell.span, {"row": short_label(target.label), "value": format_number(value)},
                  key=label_key(target.label))


@primitive(values=('row', 'value'), tables=Param("list", doc="table kinds with group rows (统计表)"))
def value_in_group_row(ctx: Context, tables: list[str]) -> Iterator[Hit]:
    """A number in a group heading row of a 统计表 (unit ——), where the format has none."""
    for table in ctx.tables():
        if table.kind not in tables:
            continue
        for row in table.data_rows:
            if row.unit and row.unit.strip() in ("——", "—", "-", "--", "---") and any(
                    c.kind == "number" for c in row.values):
                cell = next(c for c in row.values if c.kind == "number")
                yield Hit(cell.span, {"row": short_label(row.label), "value": cell.text}, key=label_key(row.label))


_TABLE_NAMES = {"t2": "表二", "t3": "表三", "t4": "表四", "stats": "统计表"}


@primitive(values=('table', 'reasons'), tables=Param("list", doc="table kinds to vouch for"))
def table_doubts(ctx: Context, tables: list[str]) -> Iterator[Hit]:
    """One note per official table gklint could not read with confidence
    (the identity, blank-cell and narrative checks skip it)."""
    for table in ctx.tables():
        if table.kind in tables and table.doubts:
            yield Hit(table.span._replace(end_line=table.span.line, end_column=table.span.column + 1),
                      {"table": _TABLE_NAMES.get(table.kind, table.kind), "reasons": "；".join(table.doubts)},
                      key=f"{table.kind}@{table.span.line}")


@primitive(
    values=('row', 'value'),
    table=Param("str"),
    row=Param("ref", doc="the row that must be zero (or blank)"),
    column=Param("int", required=False, default=0),
)
def value_must_be_zero(ctx: Context, table: str, row: Ref, column: int = 0) -> Iterator[Hit]:
    """A figure this agency cannot have (a 乡镇 or 街道 issuing 规章)."""
    found = ctx.readable_table(table)
    if found is None:
        return
    target = ctx.row(found, row)
    value, cell = _value(target, column)
    if value:
        yield Hit(cell.span, {"row": short_label(target.label), "value": format_number(value)},
                  key=label_key(target.label))


_FIGURE = regexes.compile(r"\d+")


@primitive(
    values=('item',),
    items=Param("items", doc="[{name, table: kind, aliases: [section title aliases]}]"),
    problem=Param("choice", required=False, default="missing", choices=("missing", "unreadable"),
                  doc="missing: the part has no table and almost no figures; unreadable: figures but no table read"),
)
def required_tables(ctx: Context, items: list[dict], problem: str = "missing") -> Iterator[Hit]:
    """Each official table is in the report. A part that holds many figures,
    or a table gklint could not match to the format, is `unreadable` (the table
    may be an image, or aligned text without ruling lines: not assessable); one
    with neither lacks it. The part is a top-level section the aliases name:
    一、总体情况's （二）依申请公开 is not part 三."""
    for item in items:
        if ctx.tables(item["table"]):
            continue
        parts = [s for s in ctx.sections([label_key(a) for a in item["aliases"]]) if s.level == 1]
        if not parts:
            continue  # the missing part is GK120's finding
        section = parts[0]
        text = "\n".join(ctx.doc.lines[section.span.line - 1: section.span.end_line])
        has_table = any(isinstance(node, Table) for node in section.walk())
        if (has_table or len(_FIGURE.findall(text)) >= 6) != (problem == "unreadable"):
            continue
        yield Hit(section.title.span()._replace(column=section.span.column), {"item": item["name"]},
                  key=item["table"])
