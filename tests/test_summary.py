"""`gklint summary` on SARIF built from the shared reports, every output
format checked against the findings; the HTML page in headless Chromium."""

import csv
import io
import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import SEEDS
from test_cli import ROOT, gklint

ARTIFACTS = ROOT / "build" / "test-artifacts"


@pytest.fixture(scope="module")
def sarif_dir(tmp_path_factory):
    """One SARIF log per shared report, as agencies would send them."""
    folder = tmp_path_factory.mktemp("sarif")
    for name, path in SEEDS.items():
        gklint("--isolated", "--format", "sarif", "-o", folder / f"{name}.sarif", path.relative_to(ROOT))
    return folder


@pytest.fixture(scope="module")
def expected():
    """What the JSON output of a plain lint says, per report path."""
    out = gklint("--isolated", "--format", "json", *[p.relative_to(ROOT) for p in SEEDS.values()]).stdout
    document = json.loads(out)
    per_path = {}
    for f in document["findings"]:
        per_path.setdefault(f["path"], []).append(f)
    return document, per_path


def summary_json(*inputs):
    run = gklint("summary", "--format", "json", *inputs)
    return run, json.loads(run.stdout)


def test_json_summary_counts_match_the_findings(sarif_dir, expected):
    run, document = summary_json(sarif_dir)
    assert run.returncode == 0
    _, per_path = expected
    assert len(document["reports"]) == len(SEEDS)
    for report in document["reports"]:
        found = per_path.get(report["path"], [])
        for severity in ("error", "warning", "info"):
            assert report[severity] == sum(1 for f in found if f["severity"] == severity), report["path"]
        assert sorted(f["fingerprint"] for f in report["findings"]) == sorted(f["fingerprint"] for f in found)
    # sorted worst first
    keys = [(-r["error"], -r["warning"]) for r in document["reports"]]
    assert keys == sorted(keys)
    by_rule = {row["rule"]: row for row in document["rules"]}
    all_findings = [f for fs in per_path.values() for f in fs]
    assert by_rule["GK203"]["findings"] == sum(1 for f in all_findings if f["rule"] == "GK203")
    assert by_rule["GK203"]["reports"] == len({f["path"] for f in all_findings if f["rule"] == "GK203"})
    huaian = next(r for r in document["reports"] if r["path"].endswith("huaian-gov-2024.txt"))
    assert (huaian["agency"], huaian["year"], huaian["era"]) == ("淮安市人民政府", 2024, "2021")
    assert huaian["per_10k_chars"] == round(len(per_path[huaian["path"]]) * 10000 / huaian["characters"], 2)


def test_reports_directly_give_the_same_summary(sarif_dir):
    _, from_sarif = summary_json(sarif_dir)
    _, from_reports = summary_json(*[p.relative_to(ROOT) for p in SEEDS.values()])
    strip = lambda d: sorted((r["path"], r["error"], r["warning"]) for r in d["reports"])  # noqa: E731
    assert strip(from_sarif) == strip(from_reports)


def test_text_and_csv(sarif_dir, expected):
    text = gklint("summary", sarif_dir).stdout.decode()
    assert "按报告：" in text and "按规则：" in text
    # 4 errors, 3 warnings, 3 notes: its blank 统计表 is one finding, not 46
    assert re.search(r"灵武市政务服务中心\s+2017\s+2007\s+4\s+3\s+3\s", text)
    rows = list(csv.DictReader(io.StringIO(gklint("summary", "--format", "csv", sarif_dir).stdout.decode())))
    _, per_path = expected
    for row in rows:
        found = per_path.get(row["path"], [])
        assert int(row["error"]) == sum(1 for f in found if f["severity"] == "error")
        assert int(row["GK203"]) == sum(1 for f in found if f["rule"] == "GK203")


def test_corrupt_and_foreign_logs_are_skipped_with_exit_2(sarif_dir, tmp_path):
    for name in ("003", "004"):
        shutil.copy(sarif_dir / f"{name}.sarif", tmp_path)
    full = (sarif_dir / "002.sarif").read_text(encoding="utf-8")
    (tmp_path / "truncated.sarif").write_text(full[: len(full) // 2], encoding="utf-8")
    (tmp_path / "other.sarif").write_text(json.dumps(
        {"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "eslint"}}, "results": []}]}), encoding="utf-8")
    run, document = summary_json(tmp_path)
    assert run.returncode == 2
    assert len(document["reports"]) == 2 and len(document["unreadable"]) == 2
    err = run.stderr.decode()
    assert "truncated.sarif" in err and "other.sarif: 不是 gklint 的 SARIF（工具为 eslint）" in err


def test_across_years_and_cross_year_checks(tmp_path):
    this_year = (ROOT / "fixtures/huaian-gov-2024.txt").read_text(encoding="utf-8")
    last_year = this_year.replace("2024 年政府信息公开工作年度报告", "2023 年政府信息公开工作年度报告").replace(
        "四、结转下年度继续办理 103 0 0 0 0 0 103", "四、结转下年度继续办理 30 0 0 0 0 0 30")
    (tmp_path / "2023.txt").write_text(last_year, encoding="utf-8")
    (tmp_path / "2024.txt").write_text(this_year, encoding="utf-8")
    lint = json.loads(gklint("--isolated", "--format", "json", tmp_path).stdout)
    rules = {(Path(f["path"]).name, f["rule"]) for f in lint["findings"]}
    assert {("2024.txt", "GK701"), ("2024.txt", "GK703")} <= rules
    assert not any(name == "2023.txt" and rule.startswith("GK70") for name, rule in rules)
    _, document = summary_json(tmp_path)
    (trend,) = document["trends"]
    assert (trend["agency"], trend["from"], trend["to"]) == ("淮安市人民政府", 2023, 2024)
    # 2023's own table no longer balances (4 errors, fixed in 2024); 2024 gains the 5 cross-year findings
    # GK121 (one finding for its three missing items), GK204 and GK102 remain in both years
    assert (trend["errors"], trend["new"], trend["fixed"], trend["remaining"]) == ([4, 2], 5, 4, 3)
    assert trend["verdict"] == "better"


def test_no_snippets_leaves_phone_numbers_out(sarif_dir):
    _, document = summary_json(sarif_dir)
    assert any("snippet" in f for r in document["reports"] for f in r["findings"])
    html = gklint("summary", "--format", "html", "--no-snippets", SEEDS["004"].relative_to(ROOT)).stdout.decode()
    assert "0527-84396065" not in html


HOSTILE = """某局2023年政府信息公开工作年度报告

一、总体情况
<script>document.title="pwned"</script>公开信息的的 12 条。"><img src=x onerror="document.body.dataset.pwned=1">
"""


def chromium():
    for name in ("chromium", "chromium-browser", "google-chrome"):
        if shutil.which(name):
            return shutil.which(name)
    return None


def headless(url: str, *extra: str) -> str:
    browser = chromium()
    profile = ARTIFACTS / "chromium-profile"
    args = [browser, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
            f"--user-data-dir={profile}", "--virtual-time-budget=3000", *extra, url]
    return subprocess.run(args, capture_output=True, timeout=120).stdout.decode()


@pytest.mark.skipif(chromium() is None, reason="Chromium not installed (.ci/run installs it)")
def test_html_pages_in_headless_chromium(sarif_dir, tmp_path):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (tmp_path / "hostile.txt").write_text(HOSTILE, encoding="utf-8")
    gklint("--isolated", "--format", "sarif", "-o", sarif_dir / "hostile.sarif", tmp_path / "hostile.txt")
    page = ARTIFACTS / "summary.html"
    run = gklint("summary", "--format", "html", "-o", page, sarif_dir)
    assert run.returncode == 0
    dom = headless(page.as_uri(), "--dump-dom")
    assert 'data-ready="1"' in dom and 'data-errors="0"' in dom  # scripts ran, none failed
    _, document = summary_json(sarif_dir)
    assert dom.count('<g class="bar"') == len(document["rules"])  # one bar per rule with findings
    assert "data-pwned" not in dom and "<img src=" not in dom and 'document.title="pwned"' not in dom.split("<body")[0]
    data = json.loads(re.search(r'id="summary-data">(.*?)</script>', page.read_text(encoding="utf-8"), re.S).group(1))
    hostile = next(k for k, r in enumerate(data["reports"]) if r["path"].endswith("hostile.txt"))
    dom = headless(page.as_uri() + f"#report={hostile}", "--dump-dom")  # a link from the sheet opens its findings
    assert 'data-errors="0"' in dom and "data-pwned" not in dom and "<img src=" not in dom
    assert "&lt;script&gt;document.tit" in dom  # the report's markup is shown as text
    headless(page.as_uri(), f"--screenshot={ARTIFACTS / 'summary.png'}", "--window-size=1280,2000")
    assert (ARTIFACTS / "summary.png").stat().st_size > 10000
    report_page = ARTIFACTS / "report.html"
    gklint("--isolated", "--format", "html", "-o", report_page, tmp_path / "hostile.txt")
    dom = headless(report_page.as_uri(), "--dump-dom")
    assert 'data-ready="1"' in dom and 'data-errors="0"' in dom and "data-pwned" not in dom
    assert '<mark class="f-warning"' in dom  # 的的 highlighted in place
    headless(report_page.as_uri(), f"--screenshot={ARTIFACTS / 'report.png'}", "--window-size=1280,1200")
