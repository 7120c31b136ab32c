"""Scanned PDFs: read by OCR with gklint[ocr], a clear message without it,
and figures OCR was unsure of are not judged."""

import pytest
import roundtrip
from conftest import SEEDS
from test_summary import chromium
from test_readers import PDF, RULES

from gklint import engine
from gklint.inputs import ocr
from gklint.parse import parse
from gklint.inputs import read_any
from gklint.source import InputError, read


def scan(tmp_path, pages: int):
    """The real PDF as a scanner would give it: each page an image, no text layer."""
    import pypdfium2

    document = pypdfium2.PdfDocument(PDF)
    images = [document[i].render(scale=2).to_pil().convert("RGB") for i in range(pages)]
    target = tmp_path / "扫描件.pdf"
    images[0].save(target, save_all=True, append_images=images[1:], resolution=144)
    return target


@pytest.mark.skipif(not PDF.exists(), reason="shared corpus not beside the checkout")
def test_without_ocr_a_scan_says_which_pages_and_what_to_install(tmp_path, monkeypatch):
    target = scan(tmp_path, 2)
    monkeypatch.setattr(ocr, "available", lambda: False)
    with pytest.raises(InputError, match=r"第1、2页是扫描图像.*pip install '\.\[ocr\]'"):
        read_any(target)


@pytest.mark.skipif(not PDF.exists() or not ocr.available(), reason="gklint[ocr] or the shared corpus missing")
def test_a_scan_is_read_by_ocr_and_findings_say_so(tmp_path):
    doc = parse(read_any(scan(tmp_path, 2)))
    assert doc.title is not None and "2024年政府信息公开工作年度报告" in doc.title.text.text
    assert doc.agency == "淮安市人民政府" and doc.year == 2024
    assert [s.marker + s.title.text for s in doc.sections][:1] == ["一、总体情况"]
    found = engine.lint(doc, RULES)
    assert found and all("OCR" in (f.location or "") for f in found)


def test_ocr_boxes_become_lines_and_tab_separated_cells():
    boxes = [([[100, 10], [300, 10], [300, 30], [100, 30]], "（一）予以公开", 0.99),
             ([[400, 12], [420, 12], [420, 30], [400, 30]], "3", 0.62),
             ([[500, 11], [520, 11], [520, 31], [500, 31]], "1", 0.97),
             ([[100, 50], [500, 50], [500, 70], [100, 70]], "本年度共收到申请12件。", 0.98)]
    lines = ocr.lines_from_boxes(boxes)
    assert [line.text for line in lines] == ["（一）予以公开\t3\t1", "本年度共收到申请12件。"]
    assert [line.doubtful for line in lines] == [True, False]  # the 3 was read at 0.62


def ocr_source(name: str):
    source = read(SEEDS[name])
    source.locations = [f"第1页（OCR）第{n}行" for n in range(1, len(source.lines) + 1)]
    return source


def unsure(source, starts: str) -> int:
    line = next(i for i, text in enumerate(source.lines) if text.startswith(starts))
    source.locations[line] = source.locations[line].replace("（OCR）", "（OCR，低置信度）")
    return line + 1


def test_a_table_with_figures_ocr_was_unsure_of_is_not_assessable():
    source = ocr_source("001")
    assert "GK407" in {f.rule for f in engine.lint(parse(source), RULES)}
    unsure(source, "1. 专职人员数")
    found = engine.lint(parse(source), RULES)
    assert "GK407" not in {f.rule for f in found}
    note = next(f for f in found if f.rule == "GK360")
    assert "由 OCR 识别，置信度低" in note.message and not any(f.rule == "GK129" for f in found)


def test_a_narrative_figure_ocr_was_unsure_of_is_not_compared():
    source = ocr_source("002")
    assert "125981" in " ".join(f.message for f in engine.lint(parse(source), RULES) if f.rule == "GK510")
    line = next(i for i, t in enumerate(source.lines) if "125981" in t) + 1
    source.locations[line - 1] = source.locations[line - 1].replace("（OCR）", "（OCR，低置信度）")
    found = engine.lint(parse(source), RULES)
    assert "125981" not in " ".join(f.message for f in found if f.rule == "GK510")
    note = next(f for f in found if f.rule == "GK129")
    assert note.severity.name == "info" and "1 行数字识别置信度低" in note.message and note.span.line == line


def test_the_not_assessable_note_survives_when_its_own_line_is_unsure():
    """GK360 is format-based and placed at the table; that line being unsure must not drop the note."""
    source = ocr_source("001")
    unsure(source, "1. 专职人员数")
    (note,) = [f for f in engine.lint(parse(source), RULES) if f.rule == "GK360"]
    where = note.span.line
    source.locations[where - 1] = source.locations[where - 1].replace("（OCR）", "（OCR，低置信度）")
    notes = [f for f in engine.lint(parse(source), RULES) if f.rule == "GK360"]
    assert len(notes) == 1 and notes[0].span.line == where and "置信度低" in notes[0].message


def _printed(tmp_path, pages_html: list[str]):
    """Pages of HTML printed by Chromium, one A4 page each."""
    page = tmp_path / "p.html"
    page.write_text("<html><head><meta charset='utf-8'><style>@page{size:A4;margin:0}body{margin:0}"
                    ".page{position:relative;width:210mm;height:296mm;overflow:hidden;page-break-after:always}"
                    ".page img{position:absolute;left:0;top:0;width:210mm;height:296mm}"
                    ".stamp{position:absolute;left:10mm;top:4mm;font-size:9px}</style></head><body>"
                    + "".join(f"<div class='page'>{html}</div>" for html in pages_html) + "</body></html>", encoding="utf-8")
    return roundtrip.to_printed_pdf(page, chromium())


def _page_image(index: int) -> str:
    import base64
    import io

    import pypdfium2

    buffer = io.BytesIO()
    pypdfium2.PdfDocument(PDF)[index].render(scale=1).to_pil().convert("RGB").save(buffer, "JPEG")
    return "data:image/jpeg;base64," + base64.b64encode(buffer.getvalue()).decode()


def _needs_browser_and_corpus():
    return pytest.mark.skipif(chromium() is None or not PDF.exists(), reason="Chromium or the shared corpus missing")


@_needs_browser_and_corpus()
def test_a_scan_stamped_with_a_line_of_text_is_still_a_scan(tmp_path, monkeypatch):
    """A site stamps 下载时间 on each scanned page: those few characters are not the page's text."""
    target = _printed(tmp_path, [f"<img src='{_page_image(i)}'><div class='stamp'>某市人民政府网 下载时间 2025-01-20</div>"
                                 for i in range(2)])
    monkeypatch.setattr(ocr, "available", lambda: False)
    with pytest.raises(InputError, match=r"第1、2页是扫描图像"):
        read_any(target)


@_needs_browser_and_corpus()
def test_a_text_pdf_with_a_picture_cover_keeps_its_text(tmp_path, monkeypatch):
    body = "<p style='padding:20mm'>一、总体情况</p><p style='padding:0 20mm'>" + "全年主动公开政府信息120条。" * 20 + "</p>"
    target = _printed(tmp_path, [f"<img src='{_page_image(0)}'><div class='stamp' style='font-size:24px;top:100mm'>"
                                 "某县财政局2023年政府信息公开工作年度报告</div>", body, body])
    monkeypatch.setattr(ocr, "available", lambda: False)
    doc = parse(read_any(target))
    assert doc.title is not None and doc.title.text.text == "某县财政局2023年政府信息公开工作年度报告"
