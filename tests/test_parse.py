"""The document tree of every real report: sections, tables, title, signature, era."""

from datetime import date

import pytest
from conftest import assert_spans_inside

from gklint.document import Section
from gklint.parse.text import label_key


def top_titles(doc):
    return [s.marker + s.title.text for s in doc.sections]


def row(table, key):
    """The first data row whose own label reduces to `key`."""
    for r in table.data_rows:
        if label_key(r.label) == key:
            return r
    raise AssertionError(f"no row {key!r} in table at line {table.span.line}")


def values(r):
    return [c.value if c.kind == "number" else c.kind for c in r.values]


def test_000_truncated_start_has_no_title_but_a_signature(docs):
    doc = docs["000"]
    assert doc.title is None
    assert top_titles(doc) == [
        "二、推进重点领域政府信息公开情况",
        "三、政府信息主动公开情况",
        "四、依申请公开政府信息和不予公开信息情况",
        "五、因政府信息公开申请行政复议、提起行政诉讼、收到投诉举报情况",
        "六、各级人大代表建议和政协提案办理结果公开情况",
        "七、存在的问题及 2018 年工作思路",
    ]
    assert doc.signature.agency == "吴忠市政务服务中心"
    assert doc.signature.date == date(2018, 3, 16)
    assert (doc.year, doc.year_source) == (2017, "signature")
    assert doc.era.name == "2007"
    assert doc.tables() == []


def test_000_bold_run_in_is_not_a_section(docs):
    titles = [s.title.text for s in docs["000"].all_sections()]
    assert not any("三是" in t or "多种渠道" in t for t in titles)
    # the page break inside 五 ("行政诉讼、\n\n投诉举报情况") joins into one paragraph
    five = docs["000"].sections[3]
    assert five.children[0].text.text == "2017年，未收到因政府信息公开申请行政复议、行政诉讼、投诉举报情况。"
    assert five.children[0].span.line == 45 and five.children[0].span.end_line == 47


def test_001_sections_signature_and_stats_table(docs):
    doc = docs["001"]
    assert doc.title.text.text == "灵武市政务服务中心2017年度政府信息公开工作报告"
    assert (doc.agency, doc.year) == ("灵武市政务服务中心", 2017)
    assert [s.marker for s in doc.sections] == ["一、", "二、", "三、", "四、", "五、", "六、", "七、"]
    assert doc.sections[5].title.text == "梳理事项，加快政务服务标准化"
    assert doc.signature.date == date(2017, 12, 28)
    assert doc.signature.agency == "灵武市政务服务中心"
    (table,) = doc.tables()
    assert table in doc.appendix and table.kind == "stats"
    assert table.caption == "灵武市政务服务中心 2017 年度 政府信息公开情况统计表"
    staff = row(table, "从事政府信息公开工作人员数")
    assert staff.unit == "人" and values(staff) == [2]
    assert values(row(table, "专职人员数(不包括政府公报及政府网站工作人员数)")) == [1]
    assert values(row(table, "兼职人员数")) == [2]
    assert values(row(table, "政府公报公开政府信息数")) == ["blank"]  # blank is not zero
    assert values(row(table, "政府网站公开政府信息数")) == [89]
    fund = row(table, "政府信息公开专项经费(不包括用于政府公报编辑管理及政府网站建设维护等方面的经费)")
    assert fund.unit == "万元" and values(fund) == [9.5]
    assert doc.era.name == "2007" and doc.era.confidence >= 0.9


def test_001_nested_numbering(docs):
    seven = docs["001"].sections[6]
    subs = [c for c in seven.children if isinstance(c, Section)]
    assert [s.marker + s.title.text for s in subs] == ["（一）存在的问题", "（二）整改措施"]
    assert [s.marker for s in subs[0].children if isinstance(s, Section)] == ["1、", "2、", "3、"]
    assert all(s.level == 3 for s in subs[0].children if isinstance(s, Section))


def test_002_stats_table_is_one_table_and_tender_table_separate(docs):
    doc = docs["002"]
    assert top_titles(doc)[0] == "一、概述"
    assert len(top_titles(doc)) == 7
    stats = doc.tables("stats")
    assert len(stats) == 1
    table = stats[0]
    assert 60 <= len(table.data_rows) <= 70
    assert values(row(table, "主动公开政府信息数(不同渠道和方式公开相同信息计1条)")) == [127736]
    assert values(row(table, "政务微博公开政府信息数")) == [1641]
    assert values(row(table, "政务微信公开政府信息数")) == [16805]
    # "四、行政复议数量	件	8" is a table row, not a section
    review = row(table, "行政复议数量")
    assert values(review) == [8] and review.unit == "件"
    assert "行政复议数量" not in " ".join(s.title.text for s in doc.all_sections())
    # the same label under 复议 and under 诉讼 is told apart by its path
    others = [r for r in table.data_rows if label_key(r.label) == "其他情形数"]
    assert [label_key(r.path[0]) for r in others] == ["行政复议数量", "行政诉讼数量"]
    # the pasted tender notice is its own table, inside section 二
    meta = doc.tables("webmeta")
    assert len(meta) == 1 and meta[0].span.line == 94 and meta[0].span.end_line == 104
    assert meta[0] in doc.sections[1].children[1].children
    assert doc.signature.date == date(2018, 1, 20)
    assert doc.signature.agency == "吴忠市人民政府办公室"


def test_002_value_in_header_row_and_dash_units(docs):
    table = docs["002"].tables("stats")[0]
    header = row(table, "依申请公开情况")
    assert header.unit == "——" and values(header) == [0]
    assert row(table, "机构建设和保障经费情况").unit == "---"


def test_003_six_sections_and_three_tables(docs):
    doc = docs["003"]
    assert top_titles(doc) == [
        "一、总体情况", "二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况",
        "四、申请行政复议、提起行政诉讼情况", "五、存在的主要问题及改进情况", "六、其他需要报告的事项",
    ]
    # markdown ## / ### / #### levels disagree; the numbering decides
    assert all(s.level == 1 for s in doc.sections)
    assert [s.title.text for s in doc.sections[0].children if isinstance(s, Section)] == [
        "主动公开情况", "依申请公开情况", "政府信息管理情况", "平台建设情况", "监督保障情况"]
    assert (doc.agency, doc.year, doc.era.name) == ("吴忠市政务服务中心", 2023, "2021")
    assert doc.signature is None
    assert [t.kind for t in doc.tables()] == ["t2", "t3", "t4"]


def test_003_table_three_rows(docs):
    t3 = docs["003"].tables("t3")[0]
    assert len(t3.header_rows) == 3
    assert all(len(r.values) == 7 for r in t3.data_rows)
    assert values(row(t3, "本年接收政府信息公开数量")) == [1, 0, 0, 0, 0, 0, 1]
    secret = row(t3, "属于国家秘密")
    assert [label_key(p) for p in secret.path] == ["本年办理结果", "不予公开", "属于国家秘密"]
    assert values(row(t3, "本机关不掌握相关政府信息")) == [1, 0, 0, 0, 0, 0, 1]
    assert values(row(t3, "总计")) == [1, 0, 0, 0, 0, 0, 1]
    assert values(row(t3, "其他")) == [0] * 7


def test_003_tables_two_and_four(docs):
    doc = docs["003"]
    t2 = doc.tables("t2")[0]
    assert values(row(t2, "规章")) == [0, 0, 0]
    assert values(row(t2, "行政许可")) == [0]
    assert [label_key(r.cells[0].text) for r in t2.rows if r.role == "caption"] == [
        "第二十条第(一)项", "第二十条第(五)项", "第二十条第(六)项", "第二十条第(八)项"]
    t4 = doc.tables("t4")[0]
    (flat,) = t4.data_rows
    assert values(flat) == [0] * 15


def test_004_one_paragraph_per_line(docs):
    doc = docs["004"]
    assert doc.signature is None
    # the title line was lost, but the first sentence names the report: that is its title
    assert doc.title.inline and doc.title.text.text == "宿迁市政务服务管理办公室2017年度政府信息公开年度报告"
    assert (doc.agency, doc.year, doc.year_source) == ("宿迁市政务服务管理办公室", 2017, "title")
    assert top_titles(doc) == [
        "一、概述", "二、政府信息公开情况", "三、2017年政府信息公开工作要点落实情况",
        "四、人大代表建议和政协委员提案办理结果公开情况", "五、政策措施及热点舆情解读回应情况",
        "六、存在问题和下一步工作打算",
    ]
    preamble = doc.preamble[0].text.text
    assert preamble.startswith("根据《中华人民共和国政府信息公开条例》") and "sqzgbzhc@126.com" in preamble
    assert doc.tables() == []


def test_huaian_pdf_text(docs):
    doc = docs["huaian"]
    assert doc.title.text.text == "淮安市人民政府2024 年政府信息公开工作年度报告"
    assert (doc.agency, doc.year, doc.era.name) == ("淮安市人民政府", 2024, "2021")
    assert top_titles(doc) == [
        "一、总体情况", "二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况",
        "四、政府信息公开行政复议、行政诉讼情况", "五、存在的主要问题及改进情况", "六、其他需要报告的事项",
    ]
    assert [t.kind for t in doc.tables()] == ["t2", "t3", "t4"]
    # page numbers "- 3 -" are dropped, lines re-joined
    first = doc.sections[0].children[1].children[0].text.text
    assert "- 1 -" not in first and "政府信息 5500 余条" in first


def test_huaian_aligned_tables(docs):
    doc = docs["huaian"]
    t2 = doc.tables("t2")[0]
    assert values(row(t2, "行政规范性文件")) == [8, 26, 66]
    assert values(row(t2, "行政处罚")) == [3985758]
    assert values(row(t2, "行政事业性收费")) == [96171.6]
    t3 = doc.tables("t3")[0]
    assert len(t3.data_rows) == 25
    assert all(len(r.values) == 7 for r in t3.data_rows)
    assert values(row(t3, "本年新收政府信息公开申请数量")) == [3001, 53, 0, 0, 61, 4, 3119]
    # a label wrapped around its numbers line is put back together
    assert values(row(t3, "部分公开(区分处理的,只计这一情形,不计其他情形)")) == [447, 7, 0, 0, 0, 0, 454]
    assert values(row(t3, "结转下年度继续办理")) == [103, 0, 0, 0, 0, 0, 103]
    (flat,) = doc.tables("t4")[0].data_rows
    assert values(flat) == [72, 64, 178, 37, 351, 13, 4, 8, 1, 26, 12, 1, 1, 6, 20]


@pytest.mark.parametrize("name", ["000", "001", "002", "003", "004", "huaian"])
def test_every_node_span_is_inside_the_input(docs, name):
    assert_spans_inside(docs[name])


def test_cell_spans_point_at_their_text(docs):
    doc = docs["002"]
    for table in doc.tables():
        for r in table.rows:
            for cell in r.cells:
                if cell.text:
                    line = doc.lines[cell.span.line - 1]
                    assert line[cell.span.column - 1: cell.span.end_column - 1] == cell.text


def test_paragraph_text_maps_back_to_source(docs):
    doc = docs["002"]
    for para in doc.paragraphs():
        text = para.text.text
        for index in (0, len(text) // 2, len(text) - 1):
            line, column = para.text.locate(index)
            assert doc.lines[line - 1][column - 1] == text[index]


def test_era_override():
    from conftest import SEEDS

    from gklint.parse import parse
    from gklint.source import read

    doc = parse(read(SEEDS["003"]), era="2019")
    assert doc.era.name == "2019" and doc.era.forced


@pytest.mark.parametrize("head,agency,kind", [
    # the title names the work before the year: the agency is the words before that
    ("重庆市某区人民政府外事办公室政府信息公开工作2022年度报告\n", "重庆市某区人民政府外事办公室", "department"),
    ("某县人民政府办公室2022年政府信息公开工作年度报告\n", "某县人民政府办公室", "department"),
    # no title; the preamble calls the agency "our bureau": no name to file it under
    ("2022年，商务局信息公开工作在县委、县政府的领导下全面推进。现将我局2022年度政府信息公开工作报告如下：\n",
     None, "unknown"),
    ("现向社会公布本溪市2022年政府信息公开工作年度报告。\n", "本溪市", "government"),
])
def test_agency_named_in_title_or_preamble(head, agency, kind):
    from gklint.parse import parse
    from gklint.source import decode

    doc = parse(decode((head + "一、总体情况\n全年主动公开信息24条。\n").encode(), "report.txt"))
    assert (doc.agency, doc.agency_kind.kind) == (agency, kind)


@pytest.mark.parametrize("head,agency,published", [
    # a web page's column name above the title is not the start of the agency's name
    ("政府信息公开\n福州市某区2016年政府信息公开工作年度报告\n来源：区人民政府办公室 时间：2017-01-12 10:01\n",
     "福州市某区", ("2017-01-12", "page")),
    # a PDF title broken after the city: the line above is the start of the name
    ("某某市\n政务服务中心2023年政府信息公开工作年度报告\n", "某某市政务服务中心", None),
    ("某某市政务服务中心\n2023年政府信息公开工作年度报告\n", "某某市政务服务中心", None),
    ("宁夏回族自治区某某市政务服务\n中心2023年政府信息公开工作年度报告\n", "宁夏回族自治区某某市政务服务中心", None),
    ("政务公开\n某某县2023年政府信息公开工作年度报告\n", "某某县", None),
    # an update time is not the publication date, even on the source line
    ("某县2016年政府信息公开工作年度报告\n来源：县政府办 更新时间：2017-05-02\n", "某县", None),
    # the metadata block of a government site: 发文日期 in its table
    ("索 引 号\t014416330/2018-04736\t分 类\t政府信息公开年报\n发布机构\t市政府办\t发文日期\t2018-02-28\n"
     "某市人民政府2017年政府信息公开工作年度报告\n", "某市人民政府", ("2018-02-28", "page")),
    # a date printed under the title dates the report
    ("某区人民政府办公室2014年政府信息公开工作年度报告\n（2015年3月13日）\n", "某区人民政府办公室", ("2015-03-13", "dateline")),
])
def test_title_and_page_date_at_the_head_of_a_report(head, agency, published):
    from gklint.parse import parse
    from gklint.source import decode

    doc = parse(decode((head + "\n一、概述\n全年主动公开信息24条。\n").encode(), "report.txt"))
    assert doc.agency == agency
    got = (doc.published.date.isoformat(), doc.published.source) if doc.published else None
    assert got == published
    assert doc.signature is None
