"""The supervisor's sheet on a batch made from the shared reports: a roster
with an agency that did not file and one published late, two agencies whose
reports share copied passages, a province's scoring sheet, the CSV and XLSX
read back, SARIF logs giving what the reports give, and bad side files
refused with one line and exit 2."""

import csv
import io
import json
import re
import shutil

import pytest
from conftest import SEEDS
from test_cli import gklint

from gklint import roster, similarity
from gklint.parse import parse
from gklint.source import decode

ROSTER = """名称,类型,上级,发布日期,别名
吴忠市人民政府,政府,,,
吴忠市政务服务中心,部门,,,
灵武市政务服务中心,部门,,2018-04-10,
市政务服务管理办公室,部门,宿迁市,,
同心县人民政府,政府,,,
"""


def copy_passages(source: str, target: str, count: int, rename: dict[str, str]) -> str:
    """`target` with `count` narrative paragraphs of `source` pasted in after
    its first heading, names changed as a copying clerk would change them."""
    lines = [line for line in source.splitlines() if len(line.strip()) > 60 and not line.startswith("根据")]
    pasted = []
    for line in lines[:count]:
        for old, new in rename.items():
            line = line.replace(old, new)
        pasted.append(line)
    out = target.splitlines()
    first = next(k for k, line in enumerate(out) if line.strip().startswith("一、"))
    return "\n".join(out[:first + 1] + pasted + out[first + 1:]) + "\n"


@pytest.fixture(scope="module")
def batch(tmp_path_factory):
    """The 2017 reports of four agencies, 灵武's with six paragraphs of 宿迁's."""
    folder = tmp_path_factory.mktemp("batch")
    for name in ("000", "002", "004"):
        shutil.copy(SEEDS[name], folder)
    suqian = SEEDS["004"].read_text(encoding="utf-8")
    lingwu = SEEDS["001"].read_text(encoding="utf-8")
    (folder / SEEDS["001"].name).write_text(
        copy_passages(suqian, lingwu, 6, {"我办": "我中心", "市政管办": "市政务服务中心", "宿迁": "灵武"}),
        encoding="utf-8")
    (folder.parent / "roster.csv").write_text(ROSTER, encoding="utf-8-sig")
    return folder


def sheet_json(*args):
    run = gklint("summary", "--isolated", "--format", "json", *args)
    assert run.returncode == 0, run.stderr.decode()
    return {a["agency"]: a for a in json.loads(run.stdout)["sheet"]["agencies"]}, json.loads(run.stdout)


def test_roster_says_who_did_not_file_and_who_was_late(batch):
    agencies, document = sheet_json(batch, "--roster", batch.parent / "roster.csv")
    assert document["sheet"]["year"] == 2017
    assert list(agencies) [0] == "同心县人民政府"  # not filed: first on the sheet
    missing = agencies["同心县人民政府"]
    assert not missing["filed"] and missing["score"] == 0 and missing["losses"][0]["id"] == "not-filed"
    # 吴忠市's report is titled by the place only; 宿迁's roster name is completed by its parent
    assert agencies["吴忠市人民政府"]["path"].endswith(SEEDS["002"].name)
    assert agencies["市政务服务管理办公室"]["path"].endswith(SEEDS["004"].name)
    late = agencies["灵武市政务服务中心"]
    assert (late["published"], late["publishedFrom"], late["deadline"], late["daysLate"]) == \
        ("2018-04-10", "roster", "2018-03-31", 10)
    assert "late" in [x["id"] for x in late["losses"]]
    on_time = agencies["吴忠市政务服务中心"]  # its 落款 2018年3月16日, before 3月31日
    assert (on_time["published"], on_time["publishedFrom"], on_time["daysLate"]) == ("2018-03-16", "signature", 0)
    assert document["sheet"]["notOnRoster"] == []


def test_a_report_no_roster_entry_claims_is_named(batch, tmp_path):
    short = tmp_path / "roster.csv"
    short.write_text("\n".join(ROSTER.splitlines()[:3]) + "\n", encoding="utf-8")
    agencies, document = sheet_json(batch, "--roster", short)
    assert sorted(p.rsplit("/", 1)[-1] for p in document["sheet"]["notOnRoster"]) == \
        sorted([SEEDS["001"].name, SEEDS["004"].name])
    run = gklint("summary", "--isolated", batch, "--roster", short)
    assert "名册中找不到的报告（2" in run.stdout.decode()


def test_copied_passages_are_found_with_their_share_and_lines(batch):
    agencies, _ = sheet_json(batch)
    lingwu, suqian = agencies["灵武市政务服务中心"], agencies["宿迁市政务服务管理办公室"]
    assert [c["other"] for c in lingwu["copies"]] == ["宿迁市政务服务管理办公室"]
    assert [c["other"] for c in suqian["copies"]] == ["灵武市政务服务中心"]  # both sides see the pair
    copy = lingwu["copies"][0]
    assert 0.15 < copy["share"] < 0.5 and 0.15 < copy["otherShare"] < 0.5
    first, last = copy["passages"][0]
    text = (batch / SEEDS["001"].name).read_text(encoding="utf-8").splitlines()
    assert "强化组织领导" in "".join(text[first - 1:last])  # the pasted paragraphs, by line
    # the other agencies share only the 条例's and the format's phrasing: no pair
    assert agencies["吴忠市"]["copies"] == [] and agencies["吴忠市政务服务中心"]["copies"] == []


def test_boilerplate_and_figures_do_not_make_a_copy():
    """Two reports sharing the 条例's stock sentences and the format's table
    labels, with their own work described, are not copies; the same work
    described twice with other figures and another agency's name is."""
    stock = ("根据《中华人民共和国政府信息公开条例》（以下简称《条例》）和《国务院办公厅政府信息与政务公开办公室"
             "关于印发〈中华人民共和国政府信息公开工作年度报告格式〉的通知》（国办公开办函〔2021〕30号）要求，编制本报告。"
             "本报告中所列数据的统计期限自2024年1月1日起至2024年12月31日止。坚持以公开为常态、不公开为例外，"
             "推进决策、执行、管理、服务、结果公开，保障人民群众的知情权、参与权、表达权、监督权。")
    own_a = "区农业农村局围绕高标准农田建设项目，逐村公示补助对象、面积和资金，群众可在村务公开栏和区政府网站查看。"
    own_b = "县市场监管局推行食品经营许可“证照分离”改革，许可结果在门户网站每周公示，年内公开抽检信息共计若干批次。"
    a = similarity.fingerprint_runs([(1, stock), (2, own_a)])
    b = similarity.fingerprint_runs([(1, stock.replace("2024", "2023")), (2, own_b)])
    assert similarity.copied_pairs([("甲", a), ("乙", b)], min_prints=1, min_share=0.0) == []
    c = similarity.fingerprint_runs([(1, stock), (5, own_a.replace("区农业农村局", "县农业农村局") * 3)])
    d = similarity.fingerprint_runs([(1, stock), (9, own_a * 3)])
    pairs = similarity.copied_pairs([("甲", c), ("乙", d)], min_prints=1)
    assert len(pairs) == 1 and pairs[0].lines_a == [(5, 5)] and pairs[0].lines_b == [(9, 9)]


def test_a_report_copied_from_the_same_agency_is_last_years_business():
    """Same agency in two years: GK703's case, not copying across agencies."""
    doc = parse(decode(SEEDS["004"].read_bytes(), str(SEEDS["004"])))
    prints = similarity.fingerprints(doc)
    assert similarity.copied_pairs([("宿迁", prints), ("宿迁", prints)]) == []
    assert len(similarity.copied_pairs([("宿迁", prints), ("南京", prints)])) == 1


def test_scoring_sheet_overrides_by_id(batch, tmp_path):
    sheet = tmp_path / "province.yaml"
    sheet.write_text("extends: gklint\nfull-marks: 50\ndeductions:\n"
                     "  - id: late\n    points: 10\n"
                     "  - id: copied\n    above: 0.2\n"
                     "  - id: unfixed\n    off: true\n"
                     "  - id: pasted-web-page\n    when: finding\n    rules: [GK603, GK604]\n"
                     "    points: 2\n    reason: 从网页复制未清理\n", encoding="utf-8")
    agencies, document = sheet_json(batch, "--roster", batch.parent / "roster.csv", "--scoring", sheet)
    assert document["sheet"]["fullMarks"] == 50
    lingwu = {x["id"]: x for x in agencies["灵武市政务服务中心"]["losses"]}
    assert lingwu["late"]["points"] == 10 and "晚于时限2018年3月31日 10 天" in lingwu["late"]["detail"]
    assert lingwu["copied"]["reason"].startswith("与其他单位雷同")
    assert lingwu["pasted-web-page"]["points"] == 2  # 001 has GK604
    assert agencies["灵武市政务服务中心"]["score"] == 50 - sum(x["points"] for x in lingwu.values())
    assert agencies["同心县人民政府"]["score"] == 0  # not filed: −100 of 50, not below zero


def test_csv_and_xlsx_read_back(batch, tmp_path):
    args = ("summary", "--isolated", batch, "--roster", batch.parent / "roster.csv")
    run = gklint(*args, "--format", "csv", "--table", "agencies")
    assert run.returncode == 0
    rows = list(csv.DictReader(io.StringIO(run.stdout.decode("utf-8-sig"))))
    by_name = {r["机关"]: r for r in rows}
    assert by_name["同心县人民政府"]["已公开"] == "否" and by_name["同心县人民政府"]["得分"] == "0"
    assert by_name["灵武市政务服务中心"]["逾期天数"] == "10"
    book = tmp_path / "sheet.xlsx"
    assert gklint(*args, "--format", "xlsx", "-o", book).returncode == 0
    from openpyxl import load_workbook

    workbook = load_workbook(book)
    assert workbook.sheetnames == ["评分表", "失分明细", "雷同", "报告"]
    sheet = [[c.value for c in row] for row in workbook["评分表"].iter_rows()]
    assert sheet[0][:5] == ["机关", "类型", "上级", "在名册", "已公开"]
    assert {r[0]: r[15] for r in sheet[1:]} == {r["机关"]: int(float(r["得分"])) for r in rows}
    copies = [[c.value for c in row] for row in workbook["雷同"].iter_rows()][1:]
    assert {copies[0][0], copies[0][1]} == {"灵武市政务服务中心", "市政务服务管理办公室"}


def test_sarif_logs_give_the_same_sheet_as_the_reports(batch, tmp_path):
    logs = tmp_path / "logs"
    logs.mkdir()
    for report in batch.iterdir():
        assert gklint("--isolated", "--format", "sarif", "-o", logs / f"{report.stem}.sarif", report).returncode in (0, 1)
    from_reports, _ = sheet_json(batch)
    from_logs, _ = sheet_json(logs)
    assert set(from_logs) == set(from_reports)
    for name, row in from_reports.items():
        other = from_logs[name]
        assert (other["score"], other["published"], other["kind"]) == (row["score"], row["published"], row["kind"])
        assert [(c["other"], c["share"], c["passages"]) for c in other["copies"]] == \
            [(c["other"], c["share"], c["passages"]) for c in row["copies"]]


@pytest.mark.parametrize("text, message", [
    ("编号,类型\n吴忠市人民政府,政府\n", r"roster\.csv:1: 名册第一行没有“名称”列"),
    ("名称,类型\n吴忠市人民政府,省政府\n", r"roster\.csv:2:2: 机关类型“省政府”不认识"),
    ("名称,发布日期\n吴忠市人民政府,三月底\n", r"roster\.csv:2:2: 发布日期“三月底”不认识"),
    ("名称\n吴忠市人民政府\n吴忠市 人民政府\n", r"roster\.csv:3: “吴忠市 人民政府”在第2行已列出"),
])
def test_a_broken_roster_is_one_line_and_exit_2(batch, tmp_path, text, message):
    (tmp_path / "roster.csv").write_text(text, encoding="gb18030")  # as Excel saves it on a Chinese Windows
    run = gklint("summary", batch, "--roster", tmp_path / "roster.csv")
    assert run.returncode == 2 and run.stdout == b""
    err = run.stderr.decode()
    assert re.search(message, err) and len(err.strip().splitlines()) == 1 and "Traceback" not in err


@pytest.mark.parametrize("text, message", [
    ("extends: gklint\ndeductions:\n  - id: late\n    points: -5\n", r"province\.yaml:4:13: points 应是正数"),
    ("deductions:\n  - id: late\n    points: 5\n", r"province\.yaml:2:5: 扣分项“late”缺少 when"),
    ("deductions:\n  - id: x\n    when: sometimes\n    points: 1\n    reason: r\n",
     r"province\.yaml:3:11: when 应是 not-filed、late、copied、finding、unfixed 之一"),
    ("extends: gklint\ndeductions:\n  - id: figures\n    rules: [GK31O]\n", r"province\.yaml:4:12: .*GK31O"),
    ("full-mark: 100\n", r"province\.yaml:1:1: 评分表没有“full-mark”这一项"),
    ("deductions:\n  - id: x\n    when: late\n    points: 1\n    reson: r\n", r"province\.yaml:5:5: 扣分项没有“reson”"),
])
def test_a_broken_scoring_sheet_is_one_line_and_exit_2(batch, tmp_path, text, message):
    (tmp_path / "province.yaml").write_text(text, encoding="utf-8")
    run = gklint("summary", batch, "--scoring", tmp_path / "province.yaml")
    assert run.returncode == 2
    err = run.stderr.decode()
    assert re.search(message, err), err
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err


def test_xlsx_needs_an_output_file(batch):
    run = gklint("summary", batch, "--format", "xlsx")
    assert run.returncode == 2 and "需要 -o" in run.stderr.decode()


def test_name_variants():
    agencies = [roster.Agency("淮安市人民政府", "government"), roster.Agency("市教育局", "department", parent="淮安市"),
                roster.Agency("淮安市政务服务管理办公室"), roster.Agency("淮安市发改委", expected="2024-fgw.docx")]
    found = roster.match(agencies, [("a.txt", "淮安市人民政府办公室"), ("b.txt", "淮安市教育局"),
                                    ("c.txt", "江苏省淮安市教育局"), ("d.txt", "淮安市政务办"),
                                    ("e.txt", "南京市教育局"), ("f.txt", "教育局"), ("g.txt", "淮安市"),
                                    ("h.txt", "淮安市发展和改革委员会"), ("in/2024-FGW.docx", None)])
    assert found.owner == {0: 0, 1: 1, 2: 1, 3: 2, 6: 0, 7: 3, 8: 3}
    assert found.unmatched == [4, 5]  # another city's bureau; a bare 教育局 is not guessed


PROBE = """<script>
window.addEventListener("load", function () {
  var out = {errors: Number(document.body.dataset.errors)};
  var th = document.querySelector('#sheet-table th[data-key="score"]');
  function scores() { return Array.from(document.querySelectorAll("#sheet-table tbody tr")).map(function (tr) { return tr.cells[8].textContent; }); }
  th.click(); out.ascending = scores();
  th.click(); out.descending = scores();
  out.rows = document.querySelectorAll("#sheet-table tbody tr").length;
  out.pager = document.querySelector('.pager[data-for="sheet"] [data-page]').textContent;
  out.pageWidth = document.documentElement.scrollWidth; out.viewport = window.innerWidth;
  out.offscreen = Array.from(document.querySelectorAll("main *")).filter(function (e) {
    if (e.closest(".scroll")) return false;  // scrolls inside its own box
    var r = e.getBoundingClientRect(); return r.width > 0 && r.right > window.innerWidth + 1;
  }).map(function (e) { return e.tagName + "." + e.className; }).slice(0, 5);
  var heat = document.getElementById("heat-wrap").getBoundingClientRect();
  out.heatHeight = heat.height; out.viewportHeight = window.innerHeight;
  out.missing = document.querySelector("#card-missing [data-count]").textContent;
  out.copied = document.querySelector("#card-copied li a") ? document.querySelector("#card-copied li a").textContent : "";
  document.body.setAttribute("data-measured", JSON.stringify(out));
});
</script></body>"""


def probe(page, width=1366):
    from test_summary import headless

    probe_page = page.with_name(page.stem + "-probe.html")
    probe_page.write_text(page.read_text(encoding="utf-8").replace("</body>", PROBE, 1), encoding="utf-8")
    dom = headless(probe_page.as_uri(), "--dump-dom", f"--window-size={width},900")
    found = re.search(r'data-measured="([^"]*)"', dom)
    assert found, dom[-800:]
    return json.loads(found.group(1).replace("&quot;", '"').replace("&amp;", "&"))


def _chromium():
    from test_summary import chromium

    return chromium()


@pytest.mark.skipif(_chromium() is None, reason="Chromium not installed (.ci/run installs it)")
def test_the_page_in_headless_chromium(batch, tmp_path):
    from test_summary import ARTIFACTS

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page = ARTIFACTS / "sheet.html"
    run = gklint("summary", "--isolated", batch, "--roster", batch.parent / "roster.csv", "--format", "html", "-o", page)
    assert run.returncode == 0
    seen = probe(page)
    assert seen["errors"] == 0 and seen["missing"] == "1" and seen["copied"] in ("灵武市政务服务中心", "市政务服务管理办公室")
    scores = [float(s) for s in seen["ascending"]]
    assert scores == sorted(scores) and [float(s) for s in seen["descending"]] == sorted(scores, reverse=True)
    assert seen["pageWidth"] <= seen["viewport"] and seen["offscreen"] == []


@pytest.mark.skipif(_chromium() is None, reason="Chromium not installed (.ci/run installs it)")
def test_a_province_page_is_paged(tmp_path):
    """1,500 agencies: the sheet shows 100 rows at a time and still sorts; the
    heat map scrolls inside its box."""
    from gklint.formats.html import render_summary
    from gklint.sheet import build
    from gklint.summary import Item, Report, Summary, builtin_rule_info

    rules = builtin_rule_info()
    reports = [Report(path=f"r{k}.txt", agency=f"第{k}号单位", year=2024, era="2021", chars=9000, kind="department",
                      items=[Item(rule="GK310" if k % 3 else "GK201", severity="error" if k % 3 else "warning",
                                  message="示例", line=1, column=1)] * (k % 13)) for k in range(1500)]
    page = tmp_path / "province.html"
    page.write_text(render_summary(Summary(reports=reports, rules=rules, board=build(reports, rules))), encoding="utf-8")
    seen = probe(page)
    assert seen["errors"] == 0 and seen["rows"] == 100 and seen["pager"].endswith("共 1500 个机关")
    scores = [float(s) for s in seen["ascending"]]
    assert scores == sorted(scores) and scores[0] == 100 - 10  # up to twelve GK310 errors, capped at 10 points
    assert seen["offscreen"] == [] and seen["heatHeight"] <= 0.7 * seen["viewportHeight"] + 1


def test_who_improved_against_last_years_report(tmp_path):
    """吴忠市政务服务中心's 2023 report beside a 2022 one the clerk copied
    from (003 with its years put back, its contact details dropped): the
    sheet scores 2023, says the change, and counts last year's problems still
    there; its 2017 report is in the trends, not the sheet's 较上年."""
    text = SEEDS["003"].read_text(encoding="utf-8")
    last_year = text.replace("2023", "2022").replace("2024", "2023")
    (tmp_path / "2022.txt").write_text(last_year.replace("联系电话", "电话"), encoding="utf-8")
    agencies, document = sheet_json(SEEDS["000"], SEEDS["003"], tmp_path / "2022.txt")
    row = agencies["吴忠市政务服务中心"]
    assert row["path"].endswith(SEEDS["003"].name)
    trend = next(t for t in document["trends"] if (t["from"], t["to"]) == (2022, 2023))
    assert row["previousScore"] is not None and 0 < len(row["unfixed"]) <= trend["remaining"]
    unfixed = next(x for x in row["losses"] if x["id"] == "unfixed")
    assert unfixed["count"] == len(row["unfixed"]) and unfixed["points"] == min(5, len(row["unfixed"]))
    assert row["score"] == 100 - sum(x["points"] for x in row["losses"])
    alone, _ = sheet_json(SEEDS["000"], SEEDS["003"])  # 2017 is not the year before 2023
    assert alone["吴忠市政务服务中心"]["previousScore"] is None and alone["吴忠市政务服务中心"]["unfixed"] == []


@pytest.mark.parametrize("era, year, kind, deadline", [
    ("2021", 2024, "department", "2025-01-31"), ("2021", 2024, "government", "2025-03-31"),
    ("2021", 2024, "township", None), ("2019", 2019, "department", "2020-01-31"),
    ("2007", 2017, "department", "2018-03-31"), ("2007", 2017, "township", "2018-03-31"),
])
def test_the_deadline_is_the_rules(era, year, kind, deadline):
    from gklint.sheet import legal_deadline
    from gklint.summary import builtin_rule_info

    found = legal_deadline(builtin_rule_info(), era, year, kind)
    assert (found.isoformat() if found else None) == deadline


@pytest.mark.parametrize("content, message", [
    (b"", "名册是空的"), (bytes(range(256)) * 20, "不是文本格式的 CSV 名册"), (None, "无法读取名册"),
    ("名称\n\"吴忠市人民政府\0\n".encode("utf-16"), "roster.csv:2: 这一行含有控制字符"),
    (("名称\n\"" + "吴" * 200_000 + "\"\n").encode("utf-8"), "不是可用的 CSV 名册"),
], ids=["empty", "binary", "missing", "control-characters", "huge-field"])
def test_an_unusable_roster_file_is_one_line_and_exit_2(batch, tmp_path, content, message):
    path = tmp_path / "roster.csv"
    if content is not None:
        path.write_bytes(content)
    run = gklint("summary", batch, "--roster", path)
    err = run.stderr.decode()
    assert run.returncode == 2 and message in err and len(err.strip().splitlines()) == 1, err


def test_a_log_without_fingerprints_is_not_assessable_for_copying(batch, tmp_path):
    """A SARIF log from before fingerprints: no copy is claimed or denied, and the sheet says so."""
    log = tmp_path / "old.sarif"
    gklint("--isolated", "--format", "sarif", "-o", log, batch / SEEDS["001"].name)
    data = json.loads(log.read_text(encoding="utf-8"))
    for artifact in data["runs"][0]["artifacts"]:
        artifact["properties"].pop("narrative")
    log.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    _, document = sheet_json(log, batch / SEEDS["004"].name)
    assert [p.rsplit("/", 1)[-1] for p in document["sheet"]["copyingNotAssessable"]] == [SEEDS["001"].name]
    assert all(a["copies"] == [] for a in document["sheet"]["agencies"])
    assert "无法判断是否雷同（1 份报告" in gklint("summary", log, batch / SEEDS["004"].name).stdout.decode()
