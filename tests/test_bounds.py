"""Bounded work: one report, however built, costs bounded time, memory and
output, and a file that breaks gklint is a result for that file while the
rest of the batch goes on (issues 14 and 16)."""

import io
import json
import os
import resource
import signal
import subprocess
import sys
import time
import zipfile
import zlib

import pytest
from click.testing import CliRunner
from conftest import SEEDS

from gklint import cli

MEMORY_CAP = 1_500_000_000  # bytes of address space for one gklint run


def gklint_capped(*args, timeout=60, cwd=None):
    """gklint in a subprocess that may not grow past MEMORY_CAP: a reader that
    inflated a bomb whole would die of MemoryError instead of passing."""
    def cap():
        resource.setrlimit(resource.RLIMIT_AS, (MEMORY_CAP, MEMORY_CAP))

    started = time.monotonic()
    run = subprocess.run([sys.executable, "-m", "gklint", *map(str, args)], capture_output=True,
                         timeout=timeout, preexec_fn=cap, cwd=cwd)
    return run, time.monotonic() - started


def _inflating_to(size: int) -> bytes:
    """Deflate data that inflates to `size` zero bytes."""
    deflater = zlib.compressobj(1)
    chunk = b"\0" * (1 << 20)
    return b"".join(deflater.compress(chunk) for _ in range(size >> 20)) + deflater.flush()


def zip_bomb_docx(path, inflated: int = 256 << 20):
    """A .docx whose document.xml inflates to `inflated` bytes."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as package:
        package.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.'
                         'org/package/2006/content-types"/>')
        with package.open("word/document.xml", "w") as part:
            chunk = b" " * (1 << 20)
            for _ in range(inflated >> 20):
                part.write(chunk)


def deflate_bomb_pdf(path, inflated: int = 300 << 20):
    """A one-page PDF whose content stream inflates to `inflated` bytes."""
    stream = _inflating_to(inflated)
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>",
               b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
               b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream + b"\nendstream"]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref))
    path.write_bytes(out.getvalue())


def test_a_zip_bomb_docx_is_refused_quickly_with_little_memory(tmp_path):
    bomb = tmp_path / "报告.docx"
    zip_bomb_docx(bomb)
    assert bomb.stat().st_size < 2_000_000
    run, seconds = gklint_capped(bomb, "--isolated")
    err = run.stderr.decode()
    assert run.returncode == 2 and "zip bomb" in err and "Traceback" not in err, err
    assert seconds < 30


def test_a_deflate_bomb_pdf_is_refused_quickly_with_little_memory(tmp_path):
    bomb = tmp_path / "报告.pdf"
    deflate_bomb_pdf(bomb)
    assert bomb.stat().st_size < 2_000_000
    run, seconds = gklint_capped(bomb, "--isolated")
    err = run.stderr.decode()
    assert run.returncode == 2 and "deflate bomb" in err and "Traceback" not in err, err
    assert seconds < 30


TITLE = "某县人民政府2023年政府信息公开工作年度报告\n一、总体情况\n"
LONG_LINES = {
    "40,000 digits": TITLE + "本年共办理" + "1" * 40_000 + "件。\n",
    "10 MB of letters": TITLE + "a" * 10_000_000 + "@\n",
    "10 MB of Han characters": TITLE + "公开" * 5_000_000 + "\n",
    "many numbers ending in text": TITLE + "12 " * 300_000 + "件\n",
    "many 其中 in one sentence": TITLE + "共受理240件，" + "其中" * 100_000 + "。\n",
    "an unfinished paragraph before blank lines": TITLE + "本机关共公开" + "\n" * 500_000,
}


@pytest.mark.parametrize("name", LONG_LINES)
def test_long_runs_finish_in_seconds_with_bounded_output(tmp_path, name):
    report = tmp_path / "report.txt"
    report.write_text(LONG_LINES[name], encoding="utf-8")
    run, seconds = gklint_capped(report, "--isolated", timeout=120)
    assert run.returncode in (0, 1), run.stderr.decode()
    assert seconds < 60, seconds
    assert len(run.stdout) < 200_000, len(run.stdout)  # snippets are cut; findings per rule are capped


CATASTROPHIC = """\
rules:
  - id: XX901
    name: catastrophic-pattern
    severity: warning
    check: pattern
    params: {pattern: "(a+)+$", scope: body}
    message: 出现“{{ match }}”。
    description: 回溯爆炸的正则。
    rationale: 测试每条规则的时间上限。
"""


def test_a_catastrophic_user_regex_is_stopped_and_reported_once(tmp_path):
    (tmp_path / "pack").mkdir()
    (tmp_path / "pack" / "slow.yaml").write_text(CATASTROPHIC, encoding="utf-8")
    report = tmp_path / "report.txt"
    report.write_text(TITLE + "本机关" + "a" * 40 + "!\n" + SEEDS["003"].read_text(encoding="utf-8"),
                      encoding="utf-8")
    run, seconds = gklint_capped(report, "--isolated", "--rules", "pack", "--rule-timeout", "1",
                                 "--format", "json", cwd=tmp_path)
    assert run.returncode in (0, 1), run.stderr.decode()
    assert seconds < 30
    findings = json.loads(run.stdout)["findings"]
    stopped = [f for f in findings if f["rule"] == "XX901"]
    assert len(stopped) == 1 and "rule-timeout" in json.dumps(stopped[0], ensure_ascii=False)
    assert any(f["rule"].startswith("GK") for f in findings)  # the other rules ran


def test_the_rule_clock_stops_the_rule_past_its_budget_and_no_other():
    from gklint.limits import RuleClock, TimeLimit

    with RuleClock(0.2) as clock:
        clock.arm()
        began = time.perf_counter()
        with pytest.raises(TimeLimit):
            while True:
                pass
        stopped_after = time.perf_counter() - began
        clock.disarm()
        time.sleep(0.3)  # the clock ticks between rules without stopping anything
        clock.arm()
        total = sum(range(100_000))
        clock.disarm()
    assert 0.2 <= stopped_after < 1.0 and total == 4_999_950_000
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)  # no timer left running after the lint


def test_a_file_that_breaks_gklint_is_a_result_and_the_batch_goes_on(tmp_path, monkeypatch):
    import gklint.parse

    folder = tmp_path / "reports"
    folder.mkdir()
    (folder / "a.txt").write_bytes(SEEDS["003"].read_bytes())
    (folder / "b.txt").write_bytes(SEEDS["001"].read_bytes())
    real_parse = gklint.parse.parse

    def parse(source, **kw):
        if source.path.endswith("a.txt"):
            raise ZeroDivisionError("a bug no test foresaw")
        return real_parse(source, **kw)

    monkeypatch.setattr(gklint.parse, "parse", parse)
    runner = CliRunner()
    result = runner.invoke(cli.main, [str(folder), "--isolated", "--jobs", "1", "--format", "sarif"])
    assert result.exit_code == 2
    assert "Traceback" not in result.output
    log = json.loads(result.stdout)
    invocation = log["runs"][0]["invocations"][0]
    assert invocation["executionSuccessful"] is False
    [note] = invocation["toolExecutionNotifications"]
    assert "a.txt" in note["message"]["text"] and "ZeroDivisionError" in note["message"]["text"]
    assert {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].rsplit("/", 1)[-1]
            for r in log["runs"][0]["results"]} == {"b.txt"}
    text = runner.invoke(cli.main, [str(folder), "--isolated", "--jobs", "1"])
    assert text.exit_code == 2 and "b.txt:" in text.stdout and "ZeroDivisionError" in text.stderr
    assert "Traceback" not in text.stderr
    debug = runner.invoke(cli.main, ["--debug", str(folder), "--isolated", "--jobs", "1"])
    assert "Traceback" in debug.stderr  # asked for: the bug report gets its traceback


def test_jobs_2_gives_exactly_the_results_of_jobs_1(tmp_path):
    folder = tmp_path / "reports"
    folder.mkdir()
    for key, path in SEEDS.items():
        (folder / f"{key}.txt").write_bytes(path.read_bytes())
    runs = [subprocess.run([sys.executable, "-m", "gklint", folder, "--isolated", "--jobs", jobs,
                            "--format", "json"], capture_output=True, timeout=120) for jobs in ("1", "2")]
    assert runs[0].returncode == runs[1].returncode
    assert json.loads(runs[0].stdout) == json.loads(runs[1].stdout)
    assert json.loads(runs[0].stdout)["findings"]


def _children(pid: int) -> list[int]:
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as stat:
                    if int(stat.read().rsplit(")", 1)[1].split()[1]) == pid:
                        found.append(int(entry))
            except (OSError, ValueError, IndexError):
                pass
    return found


@pytest.mark.skipif(not os.path.isdir("/proc"), reason="needs /proc to see the workers")
@pytest.mark.parametrize("sig, code", [(signal.SIGTERM, 143), (signal.SIGINT, 130)])
def test_a_signal_stops_the_run_with_its_exit_code_and_no_workers_left(tmp_path, sig, code):
    folder = tmp_path / "reports"
    folder.mkdir()
    text = SEEDS["001"].read_bytes()
    for number in range(3000):
        (folder / f"{number:04}.txt").write_bytes(text)
    out = tmp_path / "out.json"
    run = subprocess.Popen([sys.executable, "-m", "gklint", folder, "--isolated", "--jobs", "2",
                            "--format", "json", "-o", out], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 30
    while len(_children(run.pid)) < 2 and time.monotonic() < deadline:
        time.sleep(0.1)
    workers = _children(run.pid)
    assert workers, "the workers did not start"
    time.sleep(0.5)
    run.send_signal(sig)
    _, err = run.communicate(timeout=30)
    assert run.returncode == code, err.decode()
    assert b"Traceback" not in err
    time.sleep(0.5)
    left = [pid for pid in workers if os.path.exists(f"/proc/{pid}") and
            open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()[0] != "Z"]
    assert not left, f"workers still running: {left}"
    assert not out.exists()  # no half-written output that looks complete
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".out.json")]


DEEP_PAGES = {
    "100,000 nested inline tags": "<html><body><div>" + TITLE + "本机关依法公开政府信息。" * 5
                                  + "<b>公开" * 100_000 + "</b>" * 100_000 + "</div></body></html>",
    "3,000 nested tables": "<html><body><p>" + TITLE + "本机关依法公开政府信息。" * 5 + "</p>"
                           + "<table><tr><td>公开" * 3_000 + "</td></tr></table>" * 3_000 + "</body></html>",
}


@pytest.mark.parametrize("name", DEEP_PAGES)
def test_deeply_nested_web_pages_finish_in_seconds(tmp_path, name):
    page = tmp_path / "report.html"
    page.write_text(DEEP_PAGES[name], encoding="utf-8")
    run, seconds = gklint_capped(page, "--isolated", timeout=120)
    assert run.returncode in (0, 1, 2) and b"Traceback" not in run.stderr, run.stderr.decode()
    assert seconds < 60, seconds


# Found by fuzzing (bench/fuzz.py); each took from seconds to minutes, or crashed.
FUZZ_FOUND = {
    "a line of 20,000 spaces before its text": TITLE + " " * 20_000 + "本机关依法公开。\n",
    "a 20,000-digit run where a count is expected": SEEDS["003"].read_text(encoding="utf-8")
                                                    + "本年收到政府信息公开申请" + "1" * 20_000 + "\n",
    "20,000 spaces after a figure": SEEDS["003"].read_text(encoding="utf-8") + "共收到申请1" + " " * 20_000 + "份\n",
    "20,000 spaces in a 2021 report": SEEDS["003"].read_text(encoding="utf-8") + " " * 20_000 + "无\n",
    "www. repeated": TITLE + "网址：" + "www." * 20_000 + "\n",
    "a 5,000-digit figure in a table": TITLE + "二、主动公开政府信息情况\n信息内容\t本年制发件数\t本年废止件数\t现行有效件数\n"
                                       "规章\t" + "9" * 5_000 + "\t0\t1\n",
    "a figure past float range": TITLE + "共受理" + "9" * 400 + ".5件，其中依申请公开1件。\n",
}


@pytest.mark.parametrize("name", FUZZ_FOUND)
def test_inputs_found_by_fuzzing_are_handled_quickly(tmp_path, name):
    report = tmp_path / "report.txt"
    report.write_text(FUZZ_FOUND[name], encoding="utf-8")
    run, seconds = gklint_capped(report, "--isolated", "--format", "json", timeout=120)
    assert run.returncode in (0, 1), run.stderr.decode()  # findings, never an internal error
    assert seconds < 20, seconds
    findings = json.loads(run.stdout)["findings"]
    assert not [f for f in findings if f["name"] == "rule-timeout"]


def test_a_figure_too_long_to_be_real_is_text_not_a_number():
    from gklint.parse.text import amount, cell_kind, parse_number

    assert cell_kind("9" * 5000) == ("text", None)
    assert parse_number("9" * 16) is None and parse_number("123,456,789") == 123456789
    assert amount("9" * 400 + ".5") is None and amount("1,234.5") == 1234.5


def test_a_garbled_chinese_numeral_is_not_a_numeral():
    """`十三七、` (a mutation of `十三、`) crashed the heading parser."""
    from gklint.parse.text import cn_number

    assert [cn_number(t) for t in ("十三七", "三七十", "十十", "二十一", "十", "三十")] == [None, None, None, 21, 10, 30]


def test_a_report_with_a_garbled_numeral_heading_is_linted(tmp_path):
    report = tmp_path / "report.txt"
    report.write_text(SEEDS["003"].read_text(encoding="utf-8") + "\n十三七、其他需要报告的事项\n无。\n", encoding="utf-8")
    run, _ = gklint_capped(report, "--isolated")
    assert run.returncode in (0, 1) and b"internal error" not in run.stderr, run.stderr.decode()
