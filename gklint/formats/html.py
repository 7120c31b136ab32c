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
    """The supervisor's page: overview, score sheet, rules, heat map and each
    report's findings. The tables are drawn by the page's script from one
    embedded JSON block, a page of rows at a time, so that ten thousand
    agencies open and sort without freezing the browser."""
    import json

    by_rule = summary.by_rule()
    totals = {s: sum(r.count(s) for r in summary.reports) for s in ("error", "warning", "info")}
    rules = [summary.rules[r] for r in sorted({row["rule"] for row in by_rule}) if r in summary.rules]
    data = _summary_data(summary, snippets, by_rule)
    # JSON inside <script>: escape "<" so no report text can close the element
    payload = json.dumps(data, ensure_ascii=False, separators=(",", ":")).replace("<", "\\u003c")
    board = summary.board
    template = _environment().get_template("summary.html.j2")
    return template.render(
        css=Markup(_css()), version=__version__, reports=summary.reports, by_rule=by_rule, totals=totals,
        total=sum(totals.values()), unreadable=summary.errors, rules=rules, board=board,
        max_rule=max([row["findings"] for row in by_rule] or [1]), payload=Markup(payload), trends=summary.trends(),
    ) + "\n"


def _summary_data(summary, snippets: bool, by_rule: list[dict]) -> dict:
    from ..sheet import KIND_NAMES, PUBLISHED_FROM, passages_text
    from ..summary import label

    reports = summary.ordered()
    index = {id(r): k for k, r in enumerate(reports)}
    out_reports = [{
        "label": label(r), "path": r.path, "era": r.era or "", "e": r.count("error"), "w": r.count("warning"),
        "i": r.count("info"),
        "items": [[i.rule, i.severity, i.line, i.column, i.message, i.snippet if snippets else ""] for i in r.items],
    } for r in reports]
    agencies = []
    for row in summary.board.rows if summary.board is not None else []:
        agencies.append({
            "name": row.name, "kind": KIND_NAMES.get(row.kind, row.kind), "parent": row.parent,
            "roster": row.on_roster, "filed": row.filed, "report": index.get(id(row.report)),
            "year": row.report.year if row.report else None,
            "published": row.published.isoformat() if row.published else "",
            "from": PUBLISHED_FROM.get(row.published_from, ""),
            "deadline": row.deadline.isoformat() if row.deadline else "",
            "late": row.days_late if row.late else 0,
            "copied": round(row.copied_share * 100) if row.copies else 0,
            "copies": [[c.other, round(c.share * 100), round(c.other_share * 100), passages_text(c.passages),
                        passages_text(c.other_passages)] for c in row.copies[:5]],
            "score": row.score, "previous": row.previous_score,
            "delta": None if row.previous_score is None or row.score is None else row.score - row.previous_score,
            "unfixed": len(row.unfixed) if row.previous is not None else None,
            "losses": [[x.reason, x.points, x.detail] for x in row.losses],
            "e": row.report.count("error") if row.report else 0, "w": row.report.count("warning") if row.report else 0,
        })
    used = [row["rule"] for row in by_rule]
    return {
        "reports": out_reports, "agencies": agencies,
        "rules": {rid: [summary.rules[rid].name, summary.rules[rid].severity, summary.rules[rid].description]
                  for rid in used if rid in summary.rules},
        "heatRules": used,
        "notOnRoster": [[r.path, r.agency or ""] for r in (summary.board.unmatched if summary.board else [])],
        "fullMarks": summary.board.scoring.full_marks if summary.board else None,
        "unprinted": len(summary.board.unprinted()) if summary.board else 0,
    }


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
        blocks=[b for b in blocks if b.html], general=general, findings=findings) + "\n"


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
    """The table as a table: merged cells shown merged (an empty header cell
    after a filled one continues it; an empty label cell under a filled one
    continues it down), label cells wide enough to read, and each row's
    findings in a last column beside that row, so no note covers a cell."""
    rows = table.rows
    width = max((len(r.cells) for r in rows), default=0)
    grid = [[c.text.strip() for c in r.cells] + [""] * (width - len(r.cells)) for r in rows]
    spans = _merged_spans(grid, [r.role != "data" for r in rows], _label_columns(table, width))
    notes_by_line: dict[int, list] = {}
    for f in notes:
        notes_by_line.setdefault(f.span.line, []).append(f)
    placed: set[int] = set()
    out = []
    for r, row in enumerate(rows):
        cells = []
        hits = notes_by_line.get(row.span.line, [])
        for c in range(width):
            span = spans.get((r, c))
            if span is None:
                continue  # covered by a merged cell
            cell = row.cells[c] if c < len(row.cells) else None
            cells.append(_cell_html(row, cell, span, c, hits))
        row_notes = [f for f in hits if f.index not in placed]
        placed.update(f.index for f in row_notes)
        cells.append(Markup('<td class="row-notes">{}</td>').format(
            Markup("").join(_note_html(f) for f in row_notes)))
        out.append(Markup("<tr>{}</tr>").format(Markup("").join(cells)))
    caption = Markup("<caption>{}</caption>").format(table.caption) if table.caption else Markup("")
    rest = [f for f in notes if f.index not in placed]  # about the table, not one of its rows
    return Markup('<div class="table-wrap"><table class="report-table">{}{}</table></div>{}').format(
        caption, Markup("").join(out), Markup("").join(_note_html(f) for f in rest))


def _cell_html(row, cell, span, column: int, hits) -> Markup:
    rowspan, colspan = span
    attrs = Markup("")
    if rowspan > 1:
        attrs += Markup(' rowspan="{}"').format(rowspan)
    if colspan > 1:
        attrs += Markup(' colspan="{}"').format(colspan)
    tag = "th" if row.role != "data" else "td"
    if cell is None:
        return Markup("<{0}{1}></{0}>").format(tag, attrs)
    kind = {"number": "n", "text": "label"}.get(cell.kind, cell.kind)
    hit = next((f for f in hits if cell.span.column <= f.span.column < max(cell.span.end_column,
                                                                          cell.span.column + 1)), None)
    if hit:
        return Markup('<{0}{1} class="{2} sev-{3}"><a href="#f{4}" title="{5}">{6}</a></{0}>').format(
            tag, attrs, kind, hit.severity.name, hit.index, f"{hit.rule} {hit.message}", cell.text)
    return Markup('<{0}{1} class="{2}">{3}</{0}>').format(tag, attrs, kind, cell.text)


def _note_html(f) -> Markup:
    return Markup('<div class="note {0}" id="f{1}"><strong>{2}</strong> [{0}] 第{3}行：{4}</div>').format(
        f.severity.name, f.index, f.rule, f.span.line, f.message)


def _label_columns(table: Table, width: int) -> set[int]:
    """Columns that hold labels in the data rows (text, not figures)."""
    text = [0] * width
    for row in table.data_rows:
        for c, cell in enumerate(row.cells[:width]):
            if cell.kind == "text":
                text[c] += 1
    return {c for c in range(width) if text[c]}


def _merged_spans(grid, is_header, label_columns) -> dict:
    """(row, column) -> (rowspan, colspan) for every cell shown; covered cells are absent.
    A header cell spans the empty header cells to its right, then the empty
    header rows below; a label spans the empty label columns to its right, or
    the child rows below it (rows empty up to its column)."""
    spans: dict = {}
    covered: set = set()
    for r, cells in enumerate(grid):
        for c, text in enumerate(cells):
            if (r, c) in covered:
                continue
            colspan = 1
            if is_header[r] and text:
                while c + colspan < len(cells) and not cells[c + colspan] and (r, c + colspan) not in covered:
                    colspan += 1
            elif text and c in label_columns:  # a label merged across the label columns (一、本年新收…)
                while (c + colspan < len(cells) and not cells[c + colspan] and c + colspan in label_columns
                       and (r, c + colspan) not in covered):
                    colspan += 1
            rowspan = 1
            if is_header[r] and text:  # a header over empty header cells below it (自然人, 总计)
                while (r + rowspan < len(grid) and is_header[r + rowspan]
                       and not any(grid[r + rowspan][k] for k in range(c, c + colspan))
                       and not any((r + rowspan, k) in covered for k in range(c, c + colspan))):
                    rowspan += 1
            elif text and c in label_columns and colspan == 1:
                while (r + rowspan < len(grid) and not is_header[r + rowspan]  # a child row: empty up to c
                       and not any(grid[r + rowspan][k] for k in range(c + 1))
                       and any(grid[r + rowspan][k] for k in range(c + 1, len(cells)))):
                    rowspan += 1
            for dr in range(rowspan):
                for dc in range(colspan):
                    if dr or dc:
                        covered.add((r + dr, c + dc))
            spans[(r, c)] = (rowspan, colspan)
    return spans


def index_page(pages) -> str:
    """The index of `--format html -o DIR`: (page file name, result) for each report."""
    def count(result, severity: str) -> int:
        return sum(1 for f in result.findings if f.severity.name == severity)

    return _environment().get_template("index.html.j2").render(
        css=Markup(_css()), pages=pages, count=count, version=__version__) + "\n"
