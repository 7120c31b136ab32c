"""One report, one set of findings, whatever file it comes in: every text
fixture rendered as Word, a web page (site chrome, rowspan/colspan) and PDF
(LibreOffice from the Word file) gives the text's findings: rule, severity, count."""

from collections import Counter

import pytest
import roundtrip
from conftest import FIXTURES
from test_readers import RULES
from test_summary import chromium

from gklint import engine
from gklint.inputs import office
from gklint.parse import parse
from gklint.inputs import read_any
from gklint.inputs.pdf import _overflow

TEXTS = sorted(FIXTURES.glob("*.txt"))


def findings(path) -> Counter:
    return Counter((f.rule, f.severity.name) for f in engine.lint(parse(read_any(path)), RULES))


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    folder = tmp_path_factory.mktemp("roundtrip")
    out = {}
    for text in TEXTS:
        content = text.read_text(encoding="utf-8")
        docx = roundtrip.to_docx(content, folder / f"{text.stem}.docx")
        out[text.stem] = {"docx": docx, "html": roundtrip.to_html(content, folder / f"{text.stem}.html")}
    soffice = office.soffice()
    if soffice:
        for text in TEXTS:
            out[text.stem]["pdf"] = roundtrip.to_pdf(out[text.stem]["docx"], soffice)
    browser = chromium()
    if browser:
        for text in TEXTS:
            out[text.stem]["printed"] = roundtrip.to_printed_pdf(out[text.stem]["html"], browser)
    return out


@pytest.mark.parametrize("kind", ["docx", "html", "pdf", "printed"])
@pytest.mark.parametrize("text", TEXTS, ids=[t.stem[:12] for t in TEXTS])
def test_every_format_gives_the_texts_findings(rendered, text, kind):
    if kind not in rendered[text.stem]:
        pytest.skip(f"{'Chromium' if kind == 'printed' else 'LibreOffice'} not installed (.ci/run installs it)")
    want, got = findings(text), findings(rendered[text.stem][kind])
    assert got == want, f"extra {dict(got - want)}, missing {dict(want - got)}"


# Tables drawn without ruling lines come out of a PDF as aligned text. The 统计表 and
# tables 二 and 四 are read from it; table 三's narrow columns wrap their labels
# letter by letter, so it is named not assessable (GK128) and its checks stay silent.
UNRULED_SAME = {"000_d4a4c63b053b2ba0", "001_325d4b06f5d7184b", "004_639ca9d31b5b13cc", "huaian-gov-2024"}


@pytest.mark.parametrize("text", TEXTS, ids=[t.stem[:12] for t in TEXTS])
def test_a_pdf_whose_tables_have_no_ruling_lines_gains_no_finding(tmp_path, text):
    soffice = office.soffice()
    if not soffice:
        pytest.skip("LibreOffice not installed (.ci/run installs it)")
    word = roundtrip.to_docx(text.read_text(encoding="utf-8"), tmp_path / f"{text.stem}.docx", ruled=False)
    want, got = findings(text), findings(roundtrip.to_pdf(word, soffice))
    extra = got - want - Counter({("GK128", "info"): 1})
    assert not extra, f"extra {dict(extra)}"
    if text.stem in UNRULED_SAME:
        assert got == want, f"missing {dict(want - got)}"


@pytest.mark.parametrize("text", TEXTS, ids=[t.stem[:12] for t in TEXTS])
def test_a_table_over_many_pages_with_its_header_repeated_reads_as_one(tmp_path, text):
    """Rows cut by page breaks, and the header rows Word repeats atop each page, are
    not rows of the table: the PDF gives the text's findings."""
    soffice = office.soffice()
    if not soffice:
        pytest.skip("LibreOffice not installed (.ci/run installs it)")
    word = roundtrip.to_docx(text.read_text(encoding="utf-8"), tmp_path / f"{text.stem}.docx", long_tables=True)
    want, got = findings(text), findings(roundtrip.to_pdf(word, soffice))
    assert got == want, f"extra {dict(got - want)}, missing {dict(want - got)}"


def test_a_row_cut_by_a_page_break_is_joined_not_a_blank_row():
    above = ["", "（二）部分公开（区分处理的，只计这一情", "0", "1", "0", "1"]
    assert _overflow(above, ["", "形，不计其他情形）", "", "", "", ""])
    assert not _overflow(above, ["", "（三）不予公开", "", "", "", ""])  # a row of its own, blank: a defect
    assert not _overflow(above, ["", "形，不计其他情形）", "0", "", "", ""])  # it has a figure
    assert not _overflow(["", "（一）予以公开", "", "", "", ""], ["", "形）", "", "", "", ""])  # nothing to continue


def test_a_title_named_in_a_wrapped_first_sentence_is_the_title(tmp_path):
    report = tmp_path / "r.txt"
    report.write_text("根据《中华人民共和国政府信息公开条例》和上级相关要求，现向社会公布\n"
                      "某县水利局2023年度政府信息公开工作年度报告。\n本报告所列数据的统计期限自2023年1月1日起至2023年12月31日止。\n",
                      encoding="utf-8")
    title = parse(read_any(report)).title
    assert title is not None and title.text.text == "某县水利局2023年度政府信息公开工作年度报告"


def test_a_title_wrapped_in_large_type_is_one_title(tmp_path):
    """A printed page: navigation, then a centred title too long for one line."""
    report = tmp_path / "r.txt"
    report.write_text("首页 政务公开 互动交流\n某县农业农村局\n2023年度政府信息公开工作年度报\n告\n\n一、总体情况\n"
                      "全年主动公开信息120条。\n", encoding="utf-8")
    title = parse(read_any(report)).title
    assert title.text.text == "某县农业农村局2023年度政府信息公开工作年度报告"
    assert (title.agency, title.year) == ("某县农业农村局", 2023)


def test_a_breadcrumb_is_not_the_title(tmp_path):
    page = tmp_path / "p.html"
    page.write_text('<html><head><title>某县人民政府</title></head><body><div class="crumb">当前位置：首页 &gt; '
                    '政务公开 &gt; 政府信息公开年报</div><div class="TRS_Editor"><p>2023年，我局认真贯彻落实'
                    '《中华人民共和国政府信息公开条例》，全年主动公开政府信息120条。</p></div></body></html>',
                    encoding="utf-8")
    assert parse(read_any(page)).title is None


def _spanning_docx(path):
    """Table 二 as real reports draw it: 本年废止件数 and its figures over two grid
    columns, 行政规范性文件's 本年废止件数 left blank (and, as in a table edited
    by hand, its 本年制发件数 drawn over the columns one to the left)."""
    import docx

    document = docx.Document()
    document.add_paragraph("某县财政局2023年政府信息公开工作年度报告")
    table = document.add_table(rows=3, cols=5)
    table.style = "Table Grid"
    for c, text in enumerate(["信息内容", "本年制发件数", "本年废止件数", "", "现行有效件数"]):
        table.cell(0, c).text = text
    table.cell(0, 2).merge(table.cell(0, 3))
    for c, text in enumerate(["规章", "0", "0", "", "3"]):
        table.cell(1, c).text = text
    table.cell(1, 2).merge(table.cell(1, 3)).text = "0"
    for c, text in enumerate(["行政规范性文件", "2", "", "", "15"]):
        table.cell(2, c).text = text
    table.cell(2, 1).merge(table.cell(2, 2)).text = "2"
    document.save(path)
    return path


def _tab_rows(path):
    return [line.split("\t") for line in read_any(path).lines if "\t" in line]


def test_a_figure_spanning_two_word_columns_is_one_value(tmp_path):
    rows = _tab_rows(_spanning_docx(tmp_path / "r.docx"))
    assert rows[1] == ["规章", "0", "0", "3"] and rows[2] == ["行政规范性文件", "2", "", "15"]  # one value, one blank
    assert rows[0] == ["信息内容", "本年制发件数", "本年废止件数", "", "现行有效件数"]  # a heading keeps its grid


def test_a_figure_spanning_two_columns_in_a_pdf_reads_as_in_word(tmp_path):
    """pdfplumber leaves None where a spanned cell covers the grid: not a phantom blank (GK340)."""
    soffice = office.soffice()
    if not soffice:
        pytest.skip("LibreOffice not installed (.ci/run installs it)")
    word = _spanning_docx(tmp_path / "r.docx")
    assert _tab_rows(roundtrip.to_pdf(word, soffice)) == _tab_rows(word)


def test_a_label_cell_cut_by_a_page_break_leaves_no_blank_row(tmp_path):
    """A browser printing a rowspan over a page break draws a sliver of the label cell
    as a row of its own; it is not a blank row of the table (GK340)."""
    browser = chromium()
    if not browser:
        pytest.skip("Chromium not installed (.ci/run installs it)")
    items = "".join(f"<tr>{'<td rowspan=40>三、本年度办理结果</td>' if k == 0 else ''}<td>{k + 1}.事项{k + 1}</td>"
                    f"<td>{k}</td><td>{k}</td></tr>" for k in range(40))
    page = tmp_path / "t.html"
    page.write_text(f"<!DOCTYPE html><html><head><meta charset='utf-8'></head><body>{'<p>某县政府信息公开工作情况说明。</p>' * 20}"
                    f"<table border='1'><tr><td>类别</td><td>事项</td><td>自然人</td><td>总计</td></tr>{items}"
                    "<tr><td colspan=2>四、结转下年度继续办理</td><td>0</td><td>0</td></tr></table></body></html>", encoding="utf-8")
    rows = _tab_rows(roundtrip.to_printed_pdf(page, browser))
    assert len(rows) == 42 and all(any(cell.strip() for cell in row) for row in rows)
    assert rows[-1] == ["四、结转下年度继续办理", "", "0", "0"]
