"""HTML pages: one report with its findings in place (`--format html`), and
the supervisors' summary (`gklint summary --format html`).

Self-contained (inline CSS, inline SVG charts, a few lines of inline script),
and every piece of report text is escaped by Jinja2's autoescape: a report
containing <script> renders as text.
"""

from __future__ import annotations

import bisect
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
    owners = _Owners(blocks)
    for finding in findings:
        block = owners.find(finding.span.line, finding.span.column)
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


class _Owners:
    """Finds the block holding a finding's position: a text that contains
    it, else the narrowest block on its line, else the last block before.
    Blocks are indexed by line once, so a report with thousands of findings
    costs a lookup each, not a scan of every block."""

    def __init__(self, blocks: list[_Block]):
        self.blocks = blocks
        self.firsts = [b.first for b in blocks]
        self.by_line: dict[int, list[_Block]] = {}
        for block in blocks:
            for line in range(block.first, block.last + 1):
                self.by_line.setdefault(line, []).append(block)
        self.locators = {id(b): _Locator(_run_of(b)) for b in blocks if _run_of(b) is not None}

    def find(self, line: int, column: int) -> _Block | None:
        candidates = self.by_line.get(line, [])
        for block in candidates:
            locator = self.locators.get(id(block))
            if locator is not None and locator.index(line, column) is not None:
                return block
        if candidates:
            return min(candidates, key=lambda b: b.last - b.first)
        before = bisect.bisect_right(self.firsts, line)
        return self.blocks[before - 1] if before else (self.blocks[0] if self.blocks else None)


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


class _Locator:
    """Offsets into a run's text by source (line, column), from its pieces."""

    def __init__(self, run: TextRun):
        self.by_line: dict[int, list[tuple[int, int, int]]] = {}
        offset = 0
        for piece in run.pieces:
            self.by_line.setdefault(piece.line, []).append((piece.column, len(piece.text), offset))
            offset += len(piece.text)

    def index(self, line: int, column: int) -> int | None:
        for first, length, offset in self.by_line.get(line, ()):
            if first <= column <= first + length:
                return offset + column - first
        return None


def _marked(run: TextRun, notes) -> Markup:
    """The run's text, each finding's span wrapped in <mark> (escaped).
    Short, precise spans win overlaps; linear-logarithmic in the findings."""
    text = run.text
    locator = _Locator(run)
    marks = []
    for f in notes:
        start = locator.index(f.span.line, f.span.column)
        end = locator.index(f.span.end_line, f.span.end_column)
        if start is not None:
            marks.append((start, max(end if end is not None else start + 1, start + 1), f))
    starts: list[int] = []  # chosen marks, sorted by start; they never overlap
    chosen: list = []
    for mark in sorted(marks, key=lambda m: m[1] - m[0]):
        at = bisect.bisect_left(starts, mark[0])
        if at > 0 and chosen[at - 1][1] > mark[0]:
            continue
        if at < len(chosen) and chosen[at][0] < mark[1]:
            continue
        starts.insert(at, mark[0])
        chosen.insert(at, mark)
    parts, position = [], 0
    for start, end, f in chosen:
        parts.append(escape(text[position:start]))
        parts.append(Markup('<mark class="f-{}" title="{}"><a href="#f{}">{}</a></mark>').format(
            f.severity.name, f"{f.rule} {f.message}", f.index, text[start:end]))
        position = end
    parts.append(escape(text[position:]))
    return Markup("").join(parts)


def _table_html(table: Table, notes) -> Markup:
    rows = []
    notes_by_line: dict[int, list] = {}
    for f in notes:
        notes_by_line.setdefault(f.span.line, []).append(f)
    for row in table.rows:
        cells = []
        for cell in row.cells:
            hit = next((f for f in notes_by_line.get(cell.span.line, ())
                        if cell.span.column <= f.span.column < max(cell.span.end_column, cell.span.column + 1)), None)
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


def index_page(pages) -> str:
    """The index of `--format html -o DIR`: (page file name, result) for each report."""
    def count(result, severity: str) -> int:
        return sum(1 for f in result.findings if f.severity.name == severity)

    return _environment().get_template("index.html.j2").render(
        css=Markup(_css()), pages=pages, count=count, version=__version__) + "\n"
