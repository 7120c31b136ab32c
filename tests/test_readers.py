"""Word, web pages and PDF give the same tree and the same findings as text."""

import json
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import FIXTURES, SEEDS, assert_spans_inside

from gklint import engine, ruleset
from gklint.parse import parse
from gklint.parse.text import label_key
from gklint.inputs import read_any
from gklint.source import InputError, decode, read

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"
TEMPLATE = CORPUS / "format-2021-template.docx"
PDF = CORPUS / "huaian-gov-2024.pdf"
HTML = FIXTURES / "003_17306181f9b38851.html"
RULES = ruleset.load_builtin()
OFFICIAL_T3 = next(r for r in RULES if r.id == "GK350").params["labels"]


def findings(doc):
    return sorted((f.rule, f.message) for f in engine.lint(doc, RULES))


def values(table):
    return [[c.value if c.kind == "number" else c.kind for c in r.values] for r in table.data_rows]


@pytest.mark.skipif(not TEMPLATE.exists(), reason="shared corpus not beside the checkout")
def test_docx_template_headings_and_tables():
    doc = parse(read_any(TEMPLATE))
    assert_spans_inside(doc)
    assert [s.marker + s.title.text for s in doc.sections] == [
        "一、总体情况", "二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况",
        "四、政府信息公开行政复议、行政诉讼情况", "五、存在的主要问题及改进情况", "六、其他需要报告的事项"]
    assert [t.kind for t in doc.tables()] == ["t2", "t3", "t4"]
    t2, t3, t4 = doc.tables()
    assert [label_key(r.label) for r in t2.data_rows] == ["规章", "行政规范性文件", "行政许可", "行政处罚", "行政强制",
                                                          "行政事业性收费"]
    # merged label cells resolved: every official label of 表三 is there, in order
    own = [label_key(r.path[-1]) for r in t3.data_rows]
    expected = [label_key(x) for x in OFFICIAL_T3 if label_key(x) not in ("不予公开", "无法提供", "不予处理", "其他处理",
                                                                          "本年度办理结果")]
    assert own == expected
    assert [label_key(p) for p in t3.data_rows[4].path] == ["本年度办理结果", "不予公开", "属于国家秘密"]
    assert all(len(r.values) == 7 for r in t3.data_rows) and len(t4.data_rows[0].values) == 15
    found = engine.lint(doc, RULES)
    assert not [f for f in found if f.rule in ("GK350", "GK123", "GK120")]  # labels and headings are official
    blanks = [f for f in found if f.rule == "GK340"]
    # an empty template: one finding per table, at its first blank cell, naming how many rows
    assert [f.message.split("有")[0] for f in blanks] == [
        f"表格“规章”等 {len(t2.data_rows)} 行", f"表格“一、本年新收政府信息公开申请数量”等 {len(t3.data_rows)} 行", "表格“数据行”"]
    assert blanks[0].location.startswith("表1第")


@pytest.mark.skipif(not PDF.exists(), reason="shared corpus not beside the checkout")
def test_pdf_matches_its_text_extraction():
    from_pdf = parse(read_any(PDF))
    from_text = parse(read(SEEDS["huaian"]))
    assert_spans_inside(from_pdf)
    assert [s.title.text for s in from_pdf.sections] == [s.title.text for s in from_text.sections]
    assert [t.kind for t in from_pdf.tables()] == [t.kind for t in from_text.tables()] == ["t2", "t3", "t4"]
    for kind in ("t2", "t3", "t4"):
        assert values(from_pdf.tables(kind)[0]) == values(from_text.tables(kind)[0]), kind
    found = engine.lint(from_pdf, RULES)
    assert findings(from_pdf) == findings(from_text)
    assert not [f for f in found if f.severity.name == "error"]
    assert {f.location for f in found} >= {"第6页第13行"}


def test_html_page_gives_the_findings_of_the_text():
    doc = parse(read_any(HTML))
    assert_spans_inside(doc)
    text = parse(read(SEEDS["003"]))
    # the page carries its own date (发布时间), so only the text lacks any date
    assert (doc.published.source, doc.published.date.isoformat()) == ("page", "2024-01-25")
    assert findings(doc) == [f for f in findings(text) if f[0] != "GK102"]
    assert [t.kind for t in doc.tables()] == ["t2", "t3", "t4"]
    for kind in ("t2", "t3", "t4"):
        assert values(doc.tables(kind)[0]) == values(text.tables(kind)[0]), kind
    # page chrome left out: navigation, breadcrumb, footer
    body = " ".join(p.text.text for p in doc.paragraphs())
    assert "首页" not in body and "宁ICP备" not in body and "当前位置" not in body
    assert doc.location(doc.sections[0].span.line).startswith("源文件第")


def test_html_declared_gb2312_charset_is_decoded():
    raw = HTML.read_bytes()
    assert "gb2312" in raw[:200].decode("ascii", "replace").lower()
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")
    assert parse(read_any(HTML)).agency == "吴忠市政务服务中心"


@pytest.mark.parametrize("name,data,needle", [
    ("old.docx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 64, "旧版 Word"),
    ("broken.docx", b"PK\x03\x04 not really a zip", "不是有效的 .docx"),
    ("broken.pdf", b"%PDF-1.7\n1 0 obj << /Type /Catalog", "不是有效的 PDF"),
    ("chrome.html", "<html><body><div class='nav'><a href='/'>首页</a></div></body></html>".encode(), "没有找到正文"),
])
def test_damaged_files_are_one_clear_error(tmp_path, name, data, needle):
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(InputError, match=needle):
        read_any(path)


def test_password_protected_pdf():
    with pytest.raises(InputError, match="密码保护"):
        read_any(FIXTURES / "encrypted.pdf")


def test_missing_extra_is_named(tmp_path):
    target = tmp_path / "r.pdf"
    target.write_bytes(b"%PDF-1.7")
    code = ("import sys; sys.modules['pdfplumber'] = None\n"
            "from gklint.cli import main\n"
            f"main([{str(target)!r}])")
    run = subprocess.run([sys.executable, "-c", code], capture_output=True)
    assert run.returncode == 2
    assert "pip install pdfplumber" in run.stderr.decode() and "Traceback" not in run.stderr.decode()


@pytest.mark.skipif(not PDF.exists(), reason="shared corpus not beside the checkout")
def test_locations_in_json_and_sarif():
    from test_cli import gklint

    document = json.loads(gklint("--format", "json", PDF).stdout)
    first = document["findings"][0]["location"]
    assert first.startswith("第1页")
    log = json.loads(gklint("--format", "sarif", PDF).stdout)
    assert log["runs"][0]["results"][0]["properties"]["location"] == first


def parse_page(tmp_path, page: str):
    path = tmp_path / "page.html"
    path.write_text(page, encoding="utf-8")
    return parse(read_any(path))


def test_html_title_outside_the_article_body(tmp_path):
    page = ("<html><head><meta charset='utf-8'><title>某某区2024年政府信息公开工作年度报告_某某区人民政府</title></head>"
            "<body><div class='nav'><a href='/'>首页</a><a href='/zwgk'>政务公开</a></div>"
            "<div id='zoom'><p>本报告根据《中华人民共和国政府信息公开条例》编制，所列数据统计期限为2024年1月1日至12月31日。</p>"
            "<p>一、总体情况</p><p>2024年，全区持续推进政务公开，主动公开政府信息一千余条，依申请公开工作规范有序。</p>"
            "</div></body></html>")
    doc = parse_page(tmp_path, page)
    assert doc.title.text.text == "某某区2024年政府信息公开工作年度报告"
    assert (doc.agency, doc.year) == ("某某区", 2024)
    assert doc.location(doc.title.span.line) == "网页标题"


def test_html_colspan_in_the_middle_of_a_row(tmp_path):
    """A cell spanning two columns is one value, not a value and a blank."""
    page = ("<html><head><meta charset='utf-8'></head><body><div id='zoom'>"
            "<p>某局2019年政府信息公开工作年度报告</p><p>二、主动公开政府信息情况</p><table>"
            "<tr><td colspan='5'>第二十条第（一）项</td></tr>"
            "<tr><td>信息内容</td><td>本年新制作数量</td><td colspan='2'>本年新公开数量</td><td>对外公开总数量</td></tr>"
            "<tr><td>规章</td><td>13</td><td colspan='2'>13</td><td>524</td></tr>"
            "<tr><td>规范性文件</td><td>60</td><td colspan='2'>&nbsp;</td><td>368</td></tr>"
            "</table><p>三、收到和处理政府信息公开申请情况</p><p>本年度未收到申请，全部依法办理完毕。</p></div></body></html>")
    doc = parse_page(tmp_path, page)
    (t2,) = doc.tables("t2")
    assert values(t2) == [[13, 13, 524], [60, "blank", 368]]
    assert doc.era.name == "2019"
    blanks = [f for f in engine.lint(doc, RULES) if f.rule == "GK340"]
    assert [f.message for f in blanks] == ["表格“规范性文件”有 1 个空白单元格：没有发生的请填0。"]


PARAGRAPHS = ("<p>某县民政局2023年政府信息公开工作年度报告</p><p>发布日期：2024-01-18</p>"
              "<p>一、总体情况</p><p>2023年，我局主动公开政府信息126条，未收到政府信息公开申请。</p>"
              "<p>二、主动公开政府信息情况</p><p>本年制发规范性文件2件。</p>")


@pytest.mark.parametrize("wrapped", [
    # paragraphs straight under <body>; the page <title> makes <html> the article
    "<html><head><meta charset='utf-8'><title>某县民政局2023年政府信息公开工作年度报告</title></head>"
    "<body>{}</body></html>",
    # an old CMS wraps the article's paragraphs in <font> inside its content <div>
    "<html><head><meta charset='utf-8'></head><body><div id='zoom'><font size='3'>{}</font></div></body></html>",
    # the plain case, each paragraph a block of the content <div>
    "<html><head><meta charset='utf-8'></head><body><div id='zoom'>{}</div></body></html>",
])
def test_html_paragraphs_in_a_wrapper_stay_paragraphs(tmp_path, wrapped):
    doc = parse_page(tmp_path, wrapped.format(PARAGRAPHS))
    assert doc.title.text.text == "某县民政局2023年政府信息公开工作年度报告"
    assert [s.title.text for s in doc.sections] == ["总体情况", "主动公开政府信息情况"]
    assert doc.published.date.isoformat() == "2024-01-18"
    assert len(doc.paragraphs()) >= 3


def test_markdown_pipe_tables_give_the_findings_of_tab_tables():
    """Seed 003 with its tab tables written as markdown pipe tables."""
    lines = SEEDS["003"].read_text(encoding="utf-8").split("\n")
    piped = ["| " + " | ".join(c.strip() for c in line.split("\t")) + " |" if "\t" in line else line for line in lines]
    doc = parse(decode("\n".join(piped).encode("utf-8"), "r.md"))
    text = parse(read(SEEDS["003"]))
    assert [t.layout for t in doc.tables()] == ["pipe"] * 3
    for kind in ("t2", "t3", "t4"):
        assert values(doc.tables(kind)[0]) == values(text.tables(kind)[0]), kind
    assert findings(doc) == findings(text)


def test_space_aligned_stats_table_reads_like_the_tab_one():
    """Seed 002 as a PDF text extractor gives it: cells separated by spaces,
    blank 统计数 simply missing ("1. 政府公报公开政府信息数 条")."""
    lines = SEEDS["002"].read_text(encoding="utf-8").split("\n")
    spaced = [" ".join(c.strip() for c in line.split("\t") if c.strip()) if "\t" in line else line for line in lines]
    doc = parse(decode("\n".join(spaced).encode("utf-8"), "r.txt"))
    text = parse(read(SEEDS["002"]))
    (stats,) = doc.tables("stats")
    assert stats.layout == "aligned"
    assert values(stats) == values(text.tables("stats")[0])
    assert doc.signature.date == text.signature.date
    # the same findings, but for the pasted tender notice, which is no table without its tabs
    assert findings(doc) == [f for f in findings(text) if f[0] != "GK603"]


def test_content_inside_word_content_controls_is_read(tmp_path):
    """Templates and OA systems wrap parts of the body in content controls (w:sdt);
    their paragraphs and tables are the report's, not something to pass over."""
    import docx
    from docx.oxml import OxmlElement

    document = docx.Document()
    document.add_paragraph("某县财政局2023年政府信息公开工作年度报告")
    heading = document.add_paragraph("二、主动公开政府信息情况")
    table = document.add_table(rows=2, cols=2)
    for (r, c), text in {(0, 0): "信息内容", (0, 1): "本年制发件数", (1, 0): "规章", (1, 1): "3"}.items():
        table.cell(r, c).text = text
    control, content = OxmlElement("w:sdt"), OxmlElement("w:sdtContent")
    control.append(content)
    heading._p.addprevious(control)
    content.append(heading._p)
    content.append(table._tbl)
    document.save(tmp_path / "r.docx")
    doc = parse(read_any(tmp_path / "r.docx"))
    assert [s.title.text for s in doc.sections] == ["主动公开政府信息情况"]
    assert [t.kind for t in doc.tables()] == ["t2"]
