"""`--format docx`: the clerk's Word file comes back with the findings as
comments (批注) where they belong, in a copy; the original is never touched."""

import hashlib
import json
import subprocess

import docx
import pytest
import roundtrip
from conftest import SEEDS
from test_cli import gklint
from test_readers import TEMPLATE

from gklint.inputs import office

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def ranged_text(paragraph, comment_id: str) -> str:
    """The text of the runs between a comment's range start and end in one paragraph (or cell)."""
    inside, parts = False, []
    for element in paragraph.iter(f"{W}commentRangeStart", f"{W}commentRangeEnd", f"{W}t"):
        if element.tag.endswith("commentRangeStart") and element.get(f"{W}id") == comment_id:
            inside = True
        elif element.tag.endswith("commentRangeEnd") and element.get(f"{W}id") == comment_id:
            break
        elif inside and element.tag == f"{W}t":
            parts.append(element.text or "")
    return "".join(parts)


def comments_with_anchors(path):
    """(comment text, the anchored text, whether it sits in a table cell, that cell's row text)."""
    document = docx.Document(path)
    texts = {c.comment_id: c.text for c in document.comments}
    found = []
    for start in document.element.body.iter(f"{W}commentRangeStart"):
        paragraph = next(a for a in start.iterancestors(f"{W}p"))
        cell = next(start.iterancestors(f"{W}tc"), None)
        row = next(start.iterancestors(f"{W}tr"), None)
        anchored = ranged_text(paragraph, start.get(f"{W}id"))
        row_text = "".join(t.text or "" for t in row.iter(f"{W}t")) if row is not None else ""
        found.append((texts[int(start.get(f"{W}id"))], anchored, cell is not None, row_text))
    return found


def lint_to_copy(report, copy, *extra):
    return gklint("--isolated", report, "--format", "docx", "-o", copy, *extra)


def test_comments_sit_on_the_runs_and_cells_they_concern(tmp_path):
    report = tmp_path / "吴忠市2017年报.docx"
    roundtrip.to_docx(SEEDS["002"].read_text(encoding="utf-8"), report)
    findings = json.loads(gklint("--isolated", "--format", "json", report).stdout)["findings"]
    before = hashlib.sha256(report.read_bytes()).hexdigest()
    run = lint_to_copy(report, tmp_path / "检查.docx")
    assert run.returncode == 1, run.stderr.decode()
    assert hashlib.sha256(report.read_bytes()).hexdigest() == before
    comments = comments_with_anchors(tmp_path / "检查.docx")
    assert len(comments) == len(findings) > 10
    assert {c.author for c in docx.Document(tmp_path / "检查.docx").comments} == {"gklint"}
    by_rule = {}
    for text, anchored, in_cell, row in comments:
        by_rule.setdefault(text.split()[0], []).append((text, anchored, in_cell, row))
    # a narrative number: the comment is on the sentence holding it (one run), with how to fix it
    text, anchored, in_cell, _ = next(c for c in by_rule["GK510"] if "125981" in c[0])
    assert not in_cell and "如何修改" in text
    assert "125981" in anchored and anchored.endswith("。") and anchored.count("。") == 1


def test_a_blank_table_cell_gets_its_comment_in_the_cell(tmp_path):
    if not TEMPLATE.exists():
        pytest.skip("shared corpus not beside the checkout")
    run = lint_to_copy(TEMPLATE, tmp_path / "模板-检查.docx")
    assert run.returncode == 1, run.stderr.decode()
    comments = comments_with_anchors(tmp_path / "模板-检查.docx")
    blanks = [c for c in comments if c[0].startswith("GK340")]
    assert len(blanks) == 3 and all(in_cell for _, _, in_cell, _ in blanks)
    assert "规章" in blanks[0][3]  # table 二's first row, where the first blank is
    title = next(c for c in comments if c[0].startswith("GK104"))
    assert not title[2] and "政府信息公开工作年度报告" in title[1]


def test_the_original_is_never_the_output_and_only_word_files_get_comments(tmp_path):
    report = tmp_path / "年报.docx"
    roundtrip.to_docx(SEEDS["001"].read_text(encoding="utf-8"), report)
    before = report.read_bytes()
    same = lint_to_copy(report, report)
    assert same.returncode == 2 and "不会覆盖报告" in same.stderr.decode() and report.read_bytes() == before
    text = gklint("--isolated", SEEDS["001"], "--format", "docx", "-o", tmp_path / "x.docx")
    assert text.returncode == 2 and "只有 .docx" in text.stderr.decode()
    missing = gklint("--isolated", report, "--format", "docx")
    assert missing.returncode == 2 and "-o" in missing.stderr.decode()


@pytest.mark.skipif(not office.soffice() or not TEMPLATE.exists(), reason="LibreOffice not installed")
def test_libreoffice_opens_the_copy_and_keeps_the_comments(tmp_path):
    import ctypes

    import pypdfium2 as pdfium
    import pypdfium2.raw as raw

    copy = tmp_path / "检查.docx"
    assert lint_to_copy(TEMPLATE, copy).returncode == 1
    export = 'pdf:writer_pdf_Export:{"ExportNotes":{"type":"boolean","value":"true"}}'
    subprocess.run([office.soffice(), f"-env:UserInstallation={(tmp_path / 'lo').as_uri()}", "--headless",
                    "--convert-to", export, "--outdir", str(tmp_path), str(copy)],
                   check=True, capture_output=True, timeout=180)
    notes = []
    for page in pdfium.PdfDocument(tmp_path / "检查.pdf"):
        for k in range(raw.FPDFPage_GetAnnotCount(page)):
            annot = raw.FPDFPage_GetAnnot(page, k)
            size = raw.FPDFAnnot_GetStringValue(annot, b"Contents", None, 0)
            buffer = ctypes.create_string_buffer(size)
            raw.FPDFAnnot_GetStringValue(annot, b"Contents", ctypes.cast(buffer, ctypes.POINTER(ctypes.c_ushort)), size)
            notes.append(buffer.raw.decode("utf-16-le").rstrip("\x00"))
    wanted = [c.text for c in docx.Document(copy).comments]
    assert len(wanted) >= 8 and all(any(w.splitlines()[0] in n for n in notes) for w in wanted)


def _paragraph_xml(*parts) -> str:
    """A w:p from ("r", text), ("link", text), ("ins", text) and ("del", text) parts."""
    from docx.oxml.ns import nsdecls

    run = "<w:r><w:t xml:space=\"preserve\">{}</w:t></w:r>"
    wrap = {"r": "{}", "link": "<w:hyperlink w:history=\"1\">{}</w:hyperlink>",
            "ins": "<w:ins w:id=\"1\" w:author=\"科员\" w:date=\"2024-01-10T09:00:00Z\">{}</w:ins>"}
    body = []
    for kind, text in parts:
        if kind == "del":
            body.append(f"<w:del w:id=\"2\" w:author=\"科员\" w:date=\"2024-01-10T09:00:00Z\"><w:r>"
                        f"<w:delText>{text}</w:delText></w:r></w:del>")
        else:
            body.append(wrap[kind].format(run.format(text)))
    return f"<w:p {nsdecls('w')}>{''.join(body)}</w:p>"


def _report_with(path, *paragraph_xml):
    from docx.oxml import parse_xml

    document = docx.Document()
    document.add_paragraph("某县财政局2023年政府信息公开工作年度报告")
    document.add_paragraph("一、总体情况")
    for xml in paragraph_xml:
        document.element.body.append(parse_xml(xml))
    document.save(path)
    return path


def test_tracked_changes_are_read_as_accepted_and_hyperlinks_kept(tmp_path):
    """A clerk edits with 修订 on: the inserted figure counts, the deleted one does not."""
    from gklint.inputs import read_any

    report = _report_with(tmp_path / "r.docx", _paragraph_xml(
        ("r", "全年共收到政府信息公开申请"), ("del", "10"), ("ins", "12"), ("r", "件，详见"), ("link", "www.example.gov.cn"), ("r", "。")))
    assert "全年共收到政府信息公开申请12件，详见www.example.gov.cn。" in read_any(report).lines


def test_a_comment_after_a_hyperlink_sits_on_its_own_sentence(tmp_path):
    """Runs inside a hyperlink count in the paragraph's text, so the place of a
    finding after it is the run that holds it, not one further on."""
    report = _report_with(tmp_path / "r.docx", _paragraph_xml(
        ("r", "本报告可在"), ("link", "www.example.gov.cn"), ("r", "下载。"), ("r", "全年主动公开信息5064条，比2024年4101条增长23.48%。"),
        ("r", "其他各项工作正常开展，未发现问题，今后继续做好各项工作。")))
    run = lint_to_copy(report, tmp_path / "检查.docx", "--select", "GK501")
    assert run.returncode == 0, run.stderr.decode()  # a warning: below the default failing severity
    (text, anchored, _, _), = comments_with_anchors(tmp_path / "检查.docx")
    assert "GK501" in text and anchored == "全年主动公开信息5064条，比2024年4101条增长23.48%。"
