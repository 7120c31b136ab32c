"""Scanned PDFs: read by OCR with gklint[ocr], a clear message without it,
and figures OCR was unsure of are not judged."""

import pytest
from conftest import SEEDS
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
