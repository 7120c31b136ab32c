"""`gklint tree` as a user runs it: the installed command, in a subprocess."""

import json
import subprocess
import sys

import pytest
from conftest import SEEDS


def gklint(*args, stdin=None):
    return subprocess.run([sys.executable, "-m", "gklint", *args], capture_output=True, input=stdin)


def test_tree_text_shows_sections_tables_and_era():
    run = gklint("tree", str(SEEDS["003"]))
    assert run.returncode == 0
    out = run.stdout.decode()
    assert "era: 2021" in out and "year: 2023 (from title)" in out
    assert "section L1 7:4-19:224 一、总体情况" in out
    assert "table 40:1-67:28 kind=t3 layout=tsv" in out


def test_tree_json_shape():
    run = gklint("tree", "--format", "json", str(SEEDS["002"]))
    assert run.returncode == 0
    tree = json.loads(run.stdout)
    assert tree["version"] == 1
    assert tree["era"]["name"] == "2007" and tree["year"] == 2017
    assert tree["signature"]["date"] == "2018-01-20"
    assert [s["title"] for s in tree["sections"]][:2] == ["概述", "深化重点领域政府信息公开情况"]
    (stats,) = [n for n in tree["appendix"] if n["type"] == "table"]
    review = next(r for r in stats["rows"] if r["path"] and r["path"][-1] == "四、行政复议数量")
    assert review["unit"] == "件" and review["values"][0]["value"] == 8
    assert review["span"] == {"line": 294, "column": 1, "end_line": 294, "end_column": 13}


def test_tree_reads_stdin_in_gb18030():
    data = SEEDS["004"].read_text(encoding="utf-8").encode("gb18030")
    run = gklint("tree", "--format", "json", "-", stdin=data)
    assert run.returncode == 0
    tree = json.loads(run.stdout)
    assert tree["encoding"] == "gb18030" and tree["agency"] == "宿迁市政务服务管理办公室"


@pytest.mark.parametrize("content,needle", [
    (None, "no such file"),
    (b"", "empty"),
    (b"\x00\x01\x02\xff" * 64, "binary"),
    (b"\x81\x30\x81\xff", "undecodable"),
])
def test_tree_bad_input_exits_2_with_one_line(tmp_path, content, needle):
    path = tmp_path / "report.txt"
    if content is not None:
        path.write_bytes(content)
    run = gklint("tree", str(path))
    assert run.returncode == 2
    err = run.stderr.decode()
    assert err.count("\n") == 1 and needle in err and "Traceback" not in err
    assert run.stdout == b""


def test_tree_shows_agency_kind_and_its_evidence():
    out = gklint("tree", str(SEEDS["huaian"])).stdout.decode()
    assert "agency kind: government (报告标题或导语中的机关名称“淮安市人民政府”以“人民政府”或“政府”结尾)" in out
    data = json.loads(gklint("tree", "--format", "json", str(SEEDS["003"])).stdout)
    assert data["agency_kind"]["kind"] == "department" and "吴忠市政务服务中心" in data["agency_kind"]["evidence"]
    assert data["published"] is None


def test_tree_shows_the_web_page_date_as_publication():
    page = "某街道办事处2023年政府信息公开工作年度报告\n发布日期：2024-02-06\n\n一、总体情况\n正文。\n"
    data = json.loads(gklint("tree", "--format", "json", "-", stdin=page.encode()).stdout)
    assert data["agency_kind"]["kind"] == "subdistrict"
    assert data["published"]["date"] == "2024-02-06" and data["published"]["source"] == "page"
