"""What a new user meets on the command line: selectors that match nothing,
excludes from a config found by walking up, several reports as HTML pages,
--statistics / --quiet / --show, snippets cut to the terminal, grouped help."""

import json
import shutil

from conftest import SEEDS
from test_cli import gklint


def test_unknown_selector_on_the_command_line_is_exit_2_with_close_matches():
    for selector, hint in (("GK999", "GK"), ("gk1", "GK1"), ("GK1O1", "GK101")):
        run = gklint("--select", selector, SEEDS["001"])
        err = run.stderr.decode()
        assert run.returncode == 2, (selector, err)
        assert f"没有与 `{selector}` 相符的规则" in err and hint in err.split("是否想用", 1)[1]
        assert run.stdout == b""
    assert gklint("--ignore", "GK4,GK77", SEEDS["001"]).returncode == 2
    # A real prefix or id is fine, whatever else it finds.
    assert gklint("--select", "GK4,GK110", SEEDS["001"]).returncode == 1


def test_unknown_selector_in_a_walked_config_names_its_line(tmp_path):
    shutil.copy(SEEDS["001"], tmp_path / "r.txt")
    (tmp_path / ".gklint.yaml").write_text("fail-on: warning\nseverity:\n  GK1O1: info\n", encoding="utf-8")
    run = gklint("r.txt", cwd=tmp_path)
    assert run.returncode == 2
    assert ".gklint.yaml:2: `severity`: 没有与 `GK1O1` 相符的规则；是否想用 GK101？" in run.stderr.decode()
    (tmp_path / ".gklint.yaml").write_text("per-file-ignores:\n  '*.txt': [GK88]\n", encoding="utf-8")
    assert gklint("r.txt", cwd=tmp_path).returncode == 2


def test_walked_config_excludes_apply_to_folders_and_to_named_files(tmp_path):
    reports = tmp_path / "reports"
    (reports / "drafts").mkdir(parents=True)
    shutil.copy(SEEDS["001"], reports / "2017.txt")
    shutil.copy(SEEDS["002"], reports / "drafts" / "初稿.txt")
    (reports / ".gklint.yaml").write_text('exclude: ["drafts/*"]\n', encoding="utf-8")
    for cwd, target in ((tmp_path, "reports"), (reports, ".")):
        out = json.loads(gklint("--format", "json", target, cwd=cwd).stdout)
        assert [r["path"].replace("\\", "/").split("/")[-1] for r in out["files"]] == ["2017.txt"], (cwd, target)
    # pre-commit names the file: still excluded, and a run with nothing left is clean, not "no files".
    named = gklint("drafts/初稿.txt", cwd=reports)
    assert named.returncode == 0 and "被配置的 exclude 排除" in named.stderr.decode()
    both = json.loads(gklint("--format", "json", "drafts/初稿.txt", "2017.txt", cwd=reports).stdout)
    assert [r["path"] for r in both["files"]] == ["2017.txt"]
    # A Windows-style pattern means the same folder.
    (reports / ".gklint.yaml").write_text('exclude: ["drafts\\\\"]\n', encoding="utf-8")
    assert gklint("drafts/初稿.txt", cwd=reports).returncode == 0


def test_html_for_several_reports_writes_a_page_each_and_an_index(tmp_path):
    folder = tmp_path / "reports"
    folder.mkdir()
    for name in ("001", "002"):
        shutil.copy(SEEDS[name], folder / f"{name}.txt")
    refused = gklint("--format", "html", folder)
    assert refused.returncode == 2 and "-o" in refused.stderr.decode()
    run = gklint("--format", "html", "-o", tmp_path / "pages", folder)
    assert run.returncode == 1
    pages = sorted(p.name for p in (tmp_path / "pages").iterdir())
    assert pages == ["001.html", "002.html", "index.html"]
    index = (tmp_path / "pages" / "index.html").read_text(encoding="utf-8")
    assert 'href="001.html"' in index and 'href="002.html"' in index
    assert "GK407" in (tmp_path / "pages" / "001.html").read_text(encoding="utf-8")


def test_html_pages_never_replace_an_html_report(tmp_path):
    shutil.copy(SEEDS["001"], tmp_path / "a.txt")
    page = tmp_path / "a.html"
    page.write_text("<html><body><p>某县2023年政府信息公开工作年度报告</p></body></html>", encoding="utf-8")
    before = page.read_bytes()
    run = gklint("--format", "html", "-o", tmp_path, tmp_path)
    assert run.returncode == 2 and "不会覆盖报告" in run.stderr.decode()
    assert page.read_bytes() == before and not (tmp_path / "index.html").exists()


def test_statistics_counts_per_rule_most_first():
    run = gklint("--statistics", SEEDS["002"])
    lines = run.stdout.decode().splitlines()
    assert run.returncode == 1
    assert lines[0].split() == ["6", "GK511", "[warning]", "narrative-vs-stats-details"]
    counts = [int(line.split()[0]) for line in lines]
    assert counts == sorted(counts, reverse=True) and sum(counts) == 18
    records = json.loads(gklint("--statistics", "--format", "json", SEEDS["002"]).stdout)
    assert {"rule": "GK510", "name": "narrative-vs-stats-totals", "severity": "error", "count": 2} in records


def test_show_hides_lower_findings_but_the_gate_still_counts_them():
    warnings_only = gklint("--show", "error", "--fail-on", "warning", SEEDS["huaian"])
    assert warnings_only.returncode == 1  # hidden warnings still fail a --fail-on warning gate
    assert "[warning]" not in warnings_only.stdout.decode()
    assert "低于 --show error 的问题未显示" in warnings_only.stderr.decode()
    out = gklint("--show", "warning", "--format", "json", SEEDS["002"]).stdout
    assert {f["severity"] for f in json.loads(out)["findings"]} == {"error", "warning"}


def test_quiet_prints_findings_only():
    run = gklint("-q", "--select", "GK407", SEEDS["001"])
    out = run.stdout.decode()
    assert run.returncode == 1 and "GK407 [error]" in out and "检查了" not in out
    clean = gklint("-q", "--select", "GK407", SEEDS["002"])
    assert clean.returncode == 0 and clean.stdout == b""


def test_snippets_fit_the_terminal_and_carets_stay_under_the_span():
    from test_cli import GKLINT
    import os
    import subprocess

    env = {**os.environ, "COLUMNS": "60"}
    run = subprocess.run([GKLINT, "--select", "GK511", str(SEEDS["002"])], capture_output=True, env=env)
    from gklint.formats.text import width

    lines = run.stdout.decode().splitlines()
    pairs = [(shown, caret) for shown, caret in zip(lines[1::3], lines[2::3]) if caret.strip().startswith("^")]
    assert len(pairs) == 6
    for shown, caret in pairs:
        assert width(shown) <= 60 and "…" not in shown[:12]
        column = len(caret) - len(caret.lstrip())
        cells, at = 0, 0
        while cells < column:  # the character the first caret sits under
            cells += width(shown[at])
            at += 1
        assert shown[at].isdigit(), (shown, caret)  # every GK511 marks a number


def test_show_settings_prints_what_is_in_effect(tmp_path):
    shutil.copy(SEEDS["001"], tmp_path / "r.txt")
    (tmp_path / ".gklint.yaml").write_text("ignore: [GK6]\nfail-on: warning\n", encoding="utf-8")
    run = gklint("--show-settings", "r.txt", cwd=tmp_path)
    out = run.stdout.decode()
    assert run.returncode == 0
    assert ".gklint.yaml" in out and "ignore: GK6" in out and "fail-on: warning" in out
    assert " GK601" not in out.split("active rules")[1] and "GK407" in out


def test_help_is_grouped_and_in_chinese():
    out = gklint("lint", "--help").stdout.decode()
    groups = ["规则选择 (rule selection)", "文件 (files)", "输出 (output)", "退出码 (exit status)", "配置与基线 (configuration)"]
    positions = [out.index(g) for g in groups]
    assert positions == sorted(positions)
    assert out.index("--select") < positions[1] < out.index("--jobs") < positions[2] < out.index("--statistics")


def test_docs_url_sets_every_rules_help_uri(tmp_path):
    shutil.copy(SEEDS["001"], tmp_path / "r.txt")
    (tmp_path / ".gklint.yaml").write_text('docs-url: "https://gk.example.gov.cn/rules/{id}.html"\n', encoding="utf-8")
    log = json.loads(gklint("--format", "sarif", "r.txt", cwd=tmp_path).stdout)
    rules = log["runs"][0]["tool"]["driver"]["rules"]
    assert rules and all(r["helpUri"] == f"https://gk.example.gov.cn/rules/{r['id']}.html" for r in rules)
    (tmp_path / ".gklint.yaml").write_text("docs-url: rules.md\n", encoding="utf-8")
    bad = gklint("r.txt", cwd=tmp_path)
    assert bad.returncode == 2 and "`docs-url`" in bad.stderr.decode()


def test_machine_formats_are_utf8_whatever_the_console_code_page():
    import os
    import subprocess

    from test_cli import GKLINT

    for fmt in ("json", "sarif", "github"):
        env = {**os.environ, "PYTHONIOENCODING": "cp936"}  # a Chinese Windows console
        run = subprocess.run([GKLINT, "--format", fmt, str(SEEDS["001"])], capture_output=True, env=env)
        assert run.returncode == 1
        assert "从事政府信息公开工作人员数" in run.stdout.decode("utf-8"), fmt


def test_globs_are_expanded_by_gklint_itself(tmp_path):
    for name in ("001", "002"):
        shutil.copy(SEEDS[name], tmp_path / f"年报{name}.txt")
    out = json.loads(gklint("--format", "json", "年报*.txt", cwd=tmp_path).stdout)
    assert sorted(r["path"] for r in out["files"]) == ["年报001.txt", "年报002.txt"]
    missing = gklint("旧稿*.txt", cwd=tmp_path)
    assert missing.returncode == 2 and "旧稿*.txt" in missing.stderr.decode()


def test_backslash_paths_work_in_per_file_ignores_and_suppressions(tmp_path):
    (tmp_path / "2017").mkdir()
    shutil.copy(SEEDS["001"], tmp_path / "2017" / "r.txt")
    (tmp_path / ".gklint.yaml").write_text(
        "per-file-ignores:\n  '2017\\*.txt': [GK110]\n"
        "suppressions:\n  - rule: GK407\n    file: '2017\\r.txt'\n    match: 从事政府信息公开工作人员数\n"
        "    justification: 兼职人员含专职人员，口径已在正文说明。\n", encoding="utf-8")
    found = json.loads(gklint("--format", "json", "2017", cwd=tmp_path).stdout)["findings"]
    rules = {f["rule"] for f in found}
    assert rules and not rules & {"GK110", "GK407"} and "GK205" in rules
