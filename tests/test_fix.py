"""--fix, --unsafe-fixes and --diff: mechanical mends, as ruff has them.
Safe fixes only with --fix, wording only with --unsafe-fixes, a report's own
encoding and line ends kept, Word fixed in a copy, and never a number changed."""

import hashlib
import json
import re
import shutil

import roundtrip
from conftest import SEEDS
from test_cli import gklint

from gklint.document import Span
from gklint.fix import Edit, apply_to_lines


def sha(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_diff_shows_the_safe_fixes_and_writes_nothing(tmp_path):
    report = tmp_path / "吴忠.txt"
    shutil.copy(SEEDS["002"], report)
    before = sha(report)
    run = gklint("--isolated", "--diff", report, cwd=tmp_path)
    out = run.stdout.decode()
    assert run.returncode == 1 and sha(report) == before
    assert out.startswith("--- a/") and "+办发〔2017〕80号)等文件精神，不断加强组织领导，" in out
    assert "信息信息" not in out  # the doubled word is an unsafe fix: not without --unsafe-fixes
    clean = gklint("--isolated", "--diff", SEEDS["001"])
    assert clean.returncode == 0 and clean.stdout == b""


def test_fix_keeps_the_reports_encoding_and_line_ends_and_every_number(tmp_path):
    report = tmp_path / "吴忠.txt"
    text = SEEDS["002"].read_text(encoding="utf-8")
    report.write_bytes(text.replace("\n", "\r\n").encode("gb18030"))
    run = gklint("--isolated", "--fix", "--format", "json", report)
    assert run.returncode == 1  # the table's errors remain
    assert "已修正 17 处" in run.stderr.decode()
    data = report.read_bytes()
    fixed = data.decode("gb18030")
    assert data.count(b"\r\n") == text.count("\n") and "\n" not in fixed.replace("\r\n", "")
    assert fixed.replace("\r\n", "\n") == text.replace(",", "，")  # its 17 commas all sit between Han characters
    digits = [c for c in fixed if c.isdigit()]
    assert digits == [c for c in text if c.isdigit()]
    remaining = {f["rule"] for f in json.loads(run.stdout)["findings"]}
    assert "GK608" not in remaining and "GK601" in remaining  # unsafe: left for the writer


def test_unsafe_fixes_restore_official_headings_and_labels(tmp_path):
    report = tmp_path / "2021.txt"
    shutil.copy(SEEDS["003"], report)
    safe = gklint("--isolated", "--fix", report)
    assert "GK350" in safe.stdout.decode()  # not fixed: its fix changes wording
    gklint("--isolated", "--fix", "--unsafe-fixes", report)
    text = report.read_text(encoding="utf-8")
    assert "#### 四、政府信息公开行政复议、行政诉讼情况" in text
    assert "一、本年新收政府信息公开申请数量\t\t1\t0" in text and "本年接收" not in text
    after = json.loads(gklint("--isolated", "--format", "json", report).stdout)["findings"]
    messages = " ".join(f["message"] for f in after)
    assert "GK123" not in {f["rule"] for f in after}
    assert "本年接收" not in messages and "不在处理" not in messages


def test_a_broken_web_address_and_a_full_width_at_sign_are_mended(tmp_path):
    report = tmp_path / "r.txt"
    text = SEEDS["004"].read_text(encoding="utf-8")
    report.write_text(text + "\n联系邮箱：gkb ＠ jnxzfb.gov.cn\n", encoding="utf-8")
    run = gklint("--isolated", "--fix", "--select", "GK602", report)
    assert run.returncode == 0
    fixed = report.read_text(encoding="utf-8")
    assert "http://www.suqian.gov.cn" in fixed and "联系邮箱：gkb@jnxzfb.gov.cn" in fixed


def test_fixable_findings_are_marked_in_the_text_output():
    out = gklint("--isolated", SEEDS["002"]).stdout.decode()
    assert "GK608 [*] [info]" in out and "GK601 [*]" not in out
    assert "其中 1 个可用 --fix 自动修正，另有 1 个可加 --unsafe-fixes 修正" in out
    assert "GK601 [*] [warning]" in gklint("--isolated", "--unsafe-fixes", SEEDS["002"]).stdout.decode()


def test_word_files_are_fixed_in_a_copy_inside_their_runs(tmp_path):
    import docx

    report = tmp_path / "年报.docx"
    roundtrip.to_docx(SEEDS["002"].read_text(encoding="utf-8"), report)
    document = docx.Document(report)
    indented = next(p for p in document.paragraphs if p.text.startswith("办发〔2017〕80号)等文件精神,"))
    indented.runs[0].text = "　　" + indented.runs[0].text  # a first-line indent, as Word documents have
    document.save(report)
    before = sha(report)
    run = gklint("--isolated", "--fix", report)
    assert sha(report) == before
    copy = tmp_path / "年报.fixed.docx"
    assert copy.exists() and "原文件未改动" in run.stderr.decode()
    paragraphs = [p.text for p in docx.Document(copy).paragraphs]
    assert "　　办发〔2017〕80号)等文件精神，不断加强组织领导，狠抓工作落实，" in paragraphs[paragraphs.index(
        next(p for p in paragraphs if p.startswith("　　办发")))]
    assert not any(re.search(r"[\u4e00-\u9fff],[\u4e00-\u9fff]", p) for p in paragraphs)
    again = json.loads(gklint("--isolated", "--format", "json", copy).stdout)["findings"]
    assert "GK608" not in {f["rule"] for f in again}


def test_pdf_and_web_pages_are_never_fixed(tmp_path):
    from conftest import FIXTURES

    page = tmp_path / "page.html"
    shutil.copy(FIXTURES / "003_17306181f9b38851.html", page)
    before = sha(page)
    run = gklint("--isolated", "--fix", "--unsafe-fixes", page)
    assert sha(page) == before and "不能自动修正" in run.stderr.decode()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["page.html"]


def test_an_edit_that_would_change_a_number_is_not_made():
    lines = ["全年受理申请 12 件,办结 12 件"]
    touching = Edit(Span(1, 8, 1, 12), "十二")  # "12 件" → would drop the digits
    comma = Edit(Span(1, 12, 1, 13), "，")
    out, made = apply_to_lines(lines, [touching, comma])
    assert made == 1 and out == ["全年受理申请 12 件，办结 12 件"]
