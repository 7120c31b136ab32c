"""Render a text report as the files it is really kept in, for round-trip tests:
a Word file (paragraphs, and tables whose label cells are merged down and
headers merged across, as in the official template), a web page (site chrome
around the article, the title as a heading, rowspan/colspan), a PDF (LibreOffice from the
Word file), and the page printed to PDF by a browser."""

from __future__ import annotations

import html
import re
import subprocess
from pathlib import Path


def blocks(text: str):
    """("p", line) and ("table", rows) in order; a run of tab lines is one table."""
    rows: list[list[str]] = []
    for line in text.splitlines():
        if "\t" in line:
            rows.append(line.rstrip("\n").split("\t"))
            continue
        if rows:
            yield "table", rows
            rows = []
        if line.strip():
            yield "p", line.strip()
    if rows:
        yield "table", rows


def grid(rows: list[list[str]]) -> list[list[str]]:
    width = max(len(r) for r in rows)
    return [[c.strip() for c in r] + [""] * (width - len(r)) for r in rows]


def merges(cells: list[list[str]]):
    """(row, col, rowspan, colspan) for cells to merge: a label cell over the blank label
    cells below it whose rows carry figures (三、本年度办理结果 over its items), and a
    heading cell over the blank cells to its right in a row with no figures."""
    out, covered = [], set()
    figures = [any(c.replace(".", "").isdigit() for c in row) for row in cells]
    for r, row in enumerate(cells):
        for c, text in enumerate(row):
            if not text or (r, c) in covered or text.replace(".", "").isdigit():
                continue
            down = 1
            while (figures[r] and r + down < len(cells) and figures[r + down] and c == 0
                   and not cells[r + down][c] and cells[r + down][c + 1: c + 2] != [""]):
                down += 1
            across = 1
            if not figures[r]:
                while c + across < len(row) and not row[c + across]:
                    across += 1
            if down > 1 or across > 1:
                out.append((r, c, down, across))
                covered |= {(r + i, c + j) for i in range(down) for j in range(across)}
    return out


def to_docx(text: str, path: Path, ruled: bool = True, long_tables: bool = False) -> Path:
    """ruled=False draws the tables without ruling lines, as some agencies lay them out;
    long_tables sets the cells in large type, so tables run over several pages, with
    their header rows repeated atop each (Word's 重复标题行)."""
    import docx

    document = docx.Document()
    for kind, value in blocks(text):
        if kind == "p":
            paragraph = document.add_paragraph()
            for sentence in re.findall(r"[^。]*。|[^。]+$", value):
                paragraph.add_run(sentence)  # Word splits a paragraph into runs as it is edited
            continue
        cells = grid(value)
        table = document.add_table(rows=len(cells), cols=len(cells[0]))
        if ruled:
            table.style = "Table Grid"
        for r, row in enumerate(cells):
            for c, cell_text in enumerate(row):
                table.cell(r, c).text = cell_text
        for r, c, down, across in merges(cells):
            table.cell(r, c).merge(table.cell(r + down - 1, c + across - 1))
            table.cell(r, c).text = cells[r][c]
        if long_tables:
            _lengthen(table)
    document.save(path)
    return path


def _lengthen(table) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Pt

    for row in table.rows:
        if any(cell.text.strip().replace(".", "").isdigit() for cell in row.cells):
            break
        mark = OxmlElement("w:tblHeader")
        mark.set(qn("w:val"), "true")
        row._tr.get_or_add_trPr().append(mark)
    for cell in (c for row in table.rows for c in row.cells):
        for run in (r for p in cell.paragraphs for r in p.runs):
            run.font.size = Pt(16)


def to_html(text: str, path: Path) -> Path:
    body = []
    for kind, value in blocks(text):
        if kind == "p":
            # a title in large type: it wraps, and its digits, in a Latin font, sit lower in a PDF
            tag = "h1" if not body and len(value) <= 60 and "报告" in value else "p"
            body.append(f"<{tag}>{html.escape(value)}</{tag}>")
            continue
        cells = grid(value)
        spans = {(r, c): (d, a) for r, c, d, a in merges(cells)}
        covered = {(r + i, c + j) for (r, c), (d, a) in spans.items() for i in range(d) for j in range(a)} - set(spans)
        rows = []
        for r, row in enumerate(cells):
            tds = []
            for c, cell_text in enumerate(row):
                if (r, c) in covered:
                    continue
                down, across = spans.get((r, c), (1, 1))
                attrs = (f' rowspan="{down}"' if down > 1 else "") + (f' colspan="{across}"' if across > 1 else "")
                tds.append(f"<td{attrs}>{html.escape(cell_text)}</td>")
            rows.append("<tr>" + "".join(tds) + "</tr>")
        body.append('<table border="1">' + "".join(rows) + "</table>")
    page = f"""<!DOCTYPE html><html><head><meta charset="utf-8"><title>某市人民政府门户网站</title>
<style>body{{font-family:sans-serif}}</style></head><body>
<div class="header"><a href="/">首页</a> <a href="/zwgk/">政务公开</a> <a href="/hdjl/">互动交流</a></div>
<div class="crumb">当前位置：首页 &gt; 政务公开 &gt; 政府信息公开年报</div>
<div class="TRS_Editor">{"".join(body)}</div>
<div class="footer">主办单位：某市人民政府办公室　网站标识码：1234000001　ICP备案号：京ICP备00000000号</div>
</body></html>"""
    path.write_text(page, encoding="utf-8")
    return path


def to_pdf(docx_path: Path, soffice: str) -> Path:
    profile = (docx_path.parent / "lo-profile").as_uri()
    subprocess.run([soffice, f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf",
                    "--outdir", str(docx_path.parent), str(docx_path)], check=True, capture_output=True, timeout=300)
    return docx_path.with_suffix(".pdf")


def to_printed_pdf(html_path: Path, browser: str) -> Path:
    """The web page as a reader saves it: printed to PDF by a browser, site chrome and all."""
    pdf = html_path.with_name(html_path.stem + "-printed.pdf")
    profile = html_path.parent / "chromium-profile"
    subprocess.run([browser, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-sync",
                    "--disable-background-networking", "--disable-component-update", f"--user-data-dir={profile}",
                    "--no-pdf-header-footer", f"--print-to-pdf={pdf}", html_path.as_uri()],
                   check=True, capture_output=True, timeout=120)
    return pdf
