"""HTML pages: one report with its findings in place (`--format html`), and
the supervisors' summary (`gklint summary --format html`).

Self-contained (inline CSS, inline SVG charts, a few lines of inline script),
and every piece of report text is escaped by Jinja2's autoescape: a report
containing <script> renders as text.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from importlib import resources

from markupsafe import Markup, escape

from .. import __version__
from ..document import Paragraph, Section, Table, TextRun


def _environment():
    import jinja2

    return jinja2.Environment(
        loader=jinja2.PackageLoader("gklint", "templates"),
        autoescape=True, undefined=jinja2.StrictUndefined, trim_blocks=False,
    )


def _css() -> str:
    return resources.files("gklint").joinpath("templates/base.css").read_text(encoding="utf-8")


# ---------------------------------------------------------------- summary

def render_summary(summary, snippets: bool = True) -> str:
    from ..summary import label

    reports = summary.ordered()
    by_rule = summary.by_rule()
    heat_rules, heat_rows = summary.heat()
    totals = {s: sum(r.count(s) for r in reports) for s in ("error", "warning", "info")}
    rule_ids = {row["rule"] for row in by_rule}
    rules = [summary.rules[r] for r in sorted(rule_ids) if r in summary.rules]
    template = _environment().get_template("summary.html.j2")
    return template.render(
        css=Markup(_css()), version=__version__, reports=reports, by_rule=by_rule, totals=totals,
        total=sum(totals.values()), unreadable=summary.errors, heat_rules=heat_rules, heat_rows=heat_rows,
        max_rule=max([row["findings"] for row in by_rule] or [1]),
        max_report=max([r.count("error") + r.count("warning") for r in reports] or [1]) or 1,
        max_cell=max([n for _, counts in heat_rows for n in counts] or [1]) or 1,
        trends=summary.trends(), rules=rules, snippets=snippets, label=label,
    ) + "\n"


# ---------------------------------------------------------------- one report

@dataclass
class _Block:
    first: int
    last: int
    kind: str
    node: object
    notes: list = field(default_factory=list)
    html: Markup = Markup("")


def render(results, rules, **_) -> str:
    """`gklint report.txt --format html`: the first report, rendered."""
    result = next((r for r in results if getattr(r, "document", None) is not None), None)
    if result is None:
        return "<!DOCTYPE html><html><body><p>没有可显示的报告。</p></body></html>\n"
    return render_report(result.document, result.findings)


def render_report(doc, findings) -> str:
    for index, finding in enumerate(findings):
        finding.index = index
    blocks = _blocks(doc)
    general = []
    for finding in findings:
        block = _owner(blocks, finding.span.line, finding.span.column)
        (block.notes if block else general).append(finding)
    for block in blocks:
        block.html = _block_html(block)
    counts = {s: sum(1 for f in findings if f.severity.name == s) for s in ("error", "warning", "info")}
    title = doc.title.text.text if doc.title else (f"{doc.agency or ''}{doc.year or ''}年度报告" if doc.agency else doc.path)
    meta = f"{doc.agency or '机关未识别'} · {doc.year or '年度未识别'} · 格式 {doc.era.name}"
    return _environment().get_template("report.html.j2").render(
        css=Markup(_css()), title=title, meta=meta, counts=counts, path=doc.path, version=__version__,
        blocks=[b for b in blocks if b.html], general=general) + "\n"


def _blocks(doc) -> list[_Block]:
    blocks: list[_Block] = []
    if doc.title:
        blocks.append(_Block(doc.title.span.line, doc.title.span.end_line, "title", doc.title))

    def visit(node, depth):
        if isinstance(node, Section):
            blocks.append(_Block(node.span.line, node.span.line, f"h{min(depth + 1, 6)}", node))
            for child in node.children:
                visit(child, depth + 1)
        elif isinstance(node, Paragraph):
            blocks.append(_Block(node.span.line, node.span.end_line, "p", node))
        elif isinstance(node, Table):
            blocks.append(_Block(node.span.line, node.span.end_line, "table", node))

    for node in doc.preamble:
        visit(node, 1)
    for section in doc.sections:
        visit(section, 1)
    if doc.signature:
        blocks.append(_Block(doc.signature.span.line, doc.signature.span.end_line, "signature", doc.signature))
    for node in doc.appendix:
        visit(node, 1)
    return blocks


def _run_of(block: _Block) -> TextRun | None:
    """The text a block shows: a paragraph's or title's text, a heading's title."""
    if block.kind in ("title", "p"):
        return block.node.text
    if block.kind.startswith("h"):
        return block.node.title
    return None


def _owner(blocks: list[_Block], line: int, column: int) -> _Block | None:
    """The block holding the finding's position: a text that contains it,
    else the narrowest block on its line."""
    candidates = [b for b in blocks if b.first <= line <= b.last]
    for block in candidates:
        run = _run_of(block)
        if run is not None and _index(run, line, column) is not None:
            return block
    if candidates:
        return min(candidates, key=lambda b: b.last - b.first)
    before = [b for b in blocks if b.first <= line]
    return before[-1] if before else (blocks[0] if blocks else None)


def _block_html(block: _Block) -> Markup:
    node = block.node
    if block.kind == "title":
        return Markup("<h2>{}</h2>").format(_marked(node.text, block.notes))
    if block.kind.startswith("h"):
        return Markup("<{0}>{1}{2}</{0}>").format(block.kind, node.marker, _marked(node.title, block.notes))
    if block.kind == "p":
        return Markup('<div class="para">{}</div>').format(_marked(node.text, block.notes))
    if block.kind == "signature":
        return Markup('<div class="para" style="text-align:right">{}<br>{}</div>').format(
            node.agency or "", node.date_text)
    return _table_html(node, block.notes)


def _index(run: TextRun, line: int, column: int) -> int | None:
    offset = 0
    for piece in run.pieces:
        if piece.line == line and piece.column <= column <= piece.column + len(piece.text):
            return offset + column - piece.column
        offset += len(piece.text)
    return None


def _marked(run: TextRun, notes) -> Markup:
    """The run's text, each finding's span wrapped in <mark> (escaped)."""
    text = run.text
    marks = []
    for f in notes:
        start = _index(run, f.span.line, f.span.column)
        end = _index(run, f.span.end_line, f.span.end_column)
        if start is not None:
            marks.append((start, max(end if end is not None else start + 1, start + 1), f))
    chosen: list = []
    for mark in sorted(marks, key=lambda m: m[1] - m[0]):  # short, precise spans win overlaps
        if all(mark[1] <= other[0] or mark[0] >= other[1] for other in chosen):
            chosen.append(mark)
    out, position = Markup(""), 0
    for start, end, f in sorted(chosen, key=lambda m: m[0]):
        out += escape(text[position:start])
        out += Markup('<mark class="f-{}" title="{}"><a href="#f{}">{}</a></mark>').format(
            f.severity.name, f"{f.rule} {f.message}", f.index, text[start:end])
        position = end
    return out + escape(text[position:])


def _table_html(table: Table, notes) -> Markup:
    rows = []
    for row in table.rows:
        cells = []
        for cell in row.cells:
            hit = next((f for f in notes if f.span.line == cell.span.line
                        and cell.span.column <= f.span.column < max(cell.span.end_column, cell.span.column + 1)), None)
            if hit:
                cells.append(Markup('<td class="sev-{}"><a href="#f{}" title="{}">{}</a></td>').format(
                    hit.severity.name, hit.index, f"{hit.rule} {hit.message}", cell.text))
            else:
                cells.append(Markup("<td>{}</td>").format(cell.text))
        tag = "th" if row.role != "data" else "td"
        row_html = Markup("").join(cells)
        if tag == "th":
            row_html = Markup(str(row_html).replace("<td", "<th").replace("</td>", "</th>"))
        rows.append(Markup("<tr>{}</tr>").format(row_html))
    caption = Markup("<caption>{}</caption>").format(table.caption) if table.caption else Markup("")
    return Markup("<table>{}{}</table>").format(caption, Markup("").join(rows))
