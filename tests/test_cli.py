"""The installed `gklint` command, end to end: formats, exit codes, config,
stdin, directories, bad input."""

import json
import shutil
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
from conftest import SEEDS

ROOT = Path(__file__).resolve().parents[1]
SARIF_SCHEMA = json.loads((ROOT / "tests/schemas/sarif-2.1.0.json").read_text(encoding="utf-8"))
JSON_SCHEMA = json.loads((ROOT / "docs/findings-v1.schema.json").read_text(encoding="utf-8"))
BIN = Path(sys.executable).parent  # the environment running the tests (a venv need not be activated)


def installed(command: str) -> str | None:
    own = BIN / command
    return str(own) if own.exists() else shutil.which(command)


GKLINT = installed("gklint")


def gklint(*args, stdin=None, cwd=ROOT):
    assert GKLINT, "gklint is not installed (pip install -e .)"
    return subprocess.run([GKLINT, *map(str, args)], capture_output=True, input=stdin, cwd=cwd)


def test_short_form_text_output_and_exit_1():
    run = gklint(SEEDS["002"])
    assert run.returncode == 1
    out = run.stdout.decode()
    assert "002_dd5128862733eacb.txt:174:90: GK510 [error] 正文“主动公开政府信息125981条”" in out
    assert "\x1b[" not in out  # no colour in a pipe
    summary, fixable = out.rstrip().splitlines()[-2:]
    assert summary == "发现 18 个问题（错误 2，警告 13，提示 3），检查了 1 个文件。"
    assert fixable.startswith("[*] 其中 1 个可用 --fix 自动修正")


def test_warnings_only_exit_0_unless_fail_on_warning():
    assert gklint(SEEDS["huaian"]).returncode == 0
    assert gklint("--fail-on", "warning", SEEDS["huaian"]).returncode == 1
    assert gklint("--exit-zero", SEEDS["002"]).returncode == 0


def test_select_and_ignore():
    out = gklint("--format", "json", "--select", "GK5", "--ignore", "GK511", SEEDS["002"]).stdout
    rules = {f["rule"] for f in json.loads(out)["findings"]}
    assert rules == {"GK504", "GK510"}


@pytest.mark.parametrize("name", sorted(SEEDS))
def test_json_output_matches_its_schema(name):
    run = gklint("--format", "json", SEEDS[name])
    document = json.loads(run.stdout)
    jsonschema.validate(document, JSON_SCHEMA)
    assert document["summary"]["findings"] == len(document["findings"])


def test_sarif_is_valid_for_every_report_in_one_run():
    run = gklint("--format", "sarif", *SEEDS.values())
    log = json.loads(run.stdout)
    jsonschema.validate(log, SARIF_SCHEMA, cls=jsonschema.Draft4Validator)
    (only_run,) = log["runs"]
    driver = only_run["tool"]["driver"]
    results = only_run["results"]
    # the driver lists the rules that have results, each once
    assert sorted(r["id"] for r in driver["rules"]) == sorted({r["ruleId"] for r in results})
    assert all(r["name"] != r["id"] for r in driver["rules"])
    assert "\n" not in run.stdout.decode().strip()  # several reports: compact unless --pretty
    assert {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in results} >= {
        "fixtures/002_dd5128862733eacb.txt", "fixtures/huaian-gov-2024.txt"}
    first = next(r for r in results if r["ruleId"] == "GK510")
    assert driver["rules"][first["ruleIndex"]]["id"] == "GK510"
    assert first["properties"] == {"agency": "吴忠市", "reportYear": 2017, "era": "2007", "characters": 9837,
                                   "basis": "arithmetic"}
    assert driver["rules"][first["ruleIndex"]]["properties"]["basis"] == "arithmetic"
    assert first["partialFingerprints"]["gklintFingerprint/v1"]
    assert only_run["columnKind"] == "unicodeCodePoints"
    assert only_run["invocations"][0]["executionSuccessful"] is True

    def no_empty_strings(node):
        if isinstance(node, dict):
            return all(no_empty_strings(v) for v in node.values())
        if isinstance(node, list):
            return all(no_empty_strings(v) for v in node)
        return node != ""

    assert no_empty_strings(log)


def test_github_annotations():
    out = gklint("--format", "github", SEEDS["004"].relative_to(ROOT)).stdout.decode()
    assert "::warning file=fixtures/004_639ca9d31b5b13cc.txt,line=3,col=48," in out
    assert "::notice file=fixtures/004_639ca9d31b5b13cc.txt,line=34," in out  # GK102 is info now


def test_stdin_and_output_file(tmp_path):
    data = SEEDS["002"].read_bytes()  # has errors: exit 1
    target = tmp_path / "out.json"
    run = gklint("--format", "json", "--stdin-filename", "r.txt", "-o", target, "-", stdin=data)
    assert run.returncode == 1 and run.stdout == b""
    document = json.loads(target.read_text(encoding="utf-8"))
    assert document["files"][0]["path"] == "r.txt"


def test_directory_is_walked(tmp_path):
    for name in ("002", "004"):
        (tmp_path / "sub").mkdir(exist_ok=True)
        shutil.copy(SEEDS[name], tmp_path / "sub" / SEEDS[name].name)
    (tmp_path / "sub" / "notes.csv").write_text("a,b", encoding="utf-8")
    document = json.loads(gklint("--format", "json", tmp_path).stdout)
    assert sorted(Path(f["path"]).name for f in document["files"]) == sorted(
        [SEEDS["002"].name, SEEDS["004"].name])


def test_config_found_from_a_subdirectory(tmp_path):
    (tmp_path / "pyproject.toml").write_text('[tool.gklint]\nignore = ["GK5"]\nfail-on = "warning"\n', encoding="utf-8")
    (tmp_path / "reports" / "2017").mkdir(parents=True)
    shutil.copy(SEEDS["004"], tmp_path / "reports" / "2017" / "r.txt")
    run = gklint("--format", "json", "reports/2017/r.txt", cwd=tmp_path)
    rules = {f["rule"] for f in json.loads(run.stdout)["findings"]}
    assert "GK501" not in rules and "GK602" in rules and run.returncode == 1
    isolated = gklint("--isolated", "--format", "json", "reports/2017/r.txt", cwd=tmp_path)
    assert "GK501" in {f["rule"] for f in json.loads(isolated.stdout)["findings"]}


def test_gb18030_report_is_read(tmp_path):
    path = tmp_path / "gb.txt"
    path.write_bytes(SEEDS["002"].read_text(encoding="utf-8").encode("gb18030"))
    run = gklint("--format", "json", path)
    assert run.returncode == 1
    utf8 = json.loads(gklint("--format", "json", SEEDS["002"]).stdout)["findings"]
    assert [f["message"] for f in json.loads(run.stdout)["findings"]] == [f["message"] for f in utf8]


@pytest.mark.parametrize("setup,needle", [
    (lambda d: d / "missing.txt", "no such file"),
    (lambda d: _write(d / "empty.txt", b""), "empty"),
    (lambda d: _write(d / "bin.txt", b"\x00\x01\x02\x03" * 100), "binary"),
    (lambda d: _write(d / "bad.txt", "一、概述".encode() + b"\x81\x30\x81\xff"), "undecodable"),
])
def test_bad_input_exit_2_one_line(tmp_path, setup, needle):
    run = gklint(setup(tmp_path))
    assert run.returncode == 2
    err = run.stderr.decode()
    assert needle in err and err.count("\n") == 1 and "Traceback" not in err


def _write(path, data):
    path.write_bytes(data)
    return path


def test_broken_config_and_rule_file_exit_2(tmp_path):
    (tmp_path / ".gklint.yaml").write_text("select: [GK2]\nfail-on: fatal\n", encoding="utf-8")
    shutil.copy(SEEDS["004"], tmp_path / "r.txt")
    run = gklint("r.txt", cwd=tmp_path)
    assert run.returncode == 2
    assert ".gklint.yaml:2: `fail-on`" in run.stderr.decode()
    rules = tmp_path / "rules"
    rules.mkdir()
    (rules / "x.yaml").write_text("rules:\n  - id: XX1\n", encoding="utf-8")
    run = gklint("--isolated", "--rules", rules, "r.txt", cwd=tmp_path)
    assert run.returncode == 2 and "x.yaml:2:5:" in run.stderr.decode()


def test_rules_and_explain():
    listing = gklint("rules").stdout.decode()
    assert "GK407  stats-staff-total" in listing
    explained = gklint("explain", "GK407")
    assert explained.returncode == 0 and "为什么" in explained.stdout.decode()
    assert gklint("explain", "GK999").returncode == 2


def test_version():
    run = gklint("--version")
    assert run.returncode == 0 and run.stdout.decode().startswith("gklint, version ")


def test_baseline_round_trip(tmp_path):
    report = tmp_path / "r.txt"
    shutil.copy(SEEDS["002"], report)
    base = tmp_path / "baseline.json"
    run = gklint("--isolated", "--write-baseline", base, "r.txt", cwd=tmp_path)
    count = len(json.loads(base.read_text(encoding="utf-8"))["findings"])
    assert run.returncode == 0 and count == 18 and f"已把 {count} 个问题写入基线" in run.stderr.decode()
    quiet = gklint("--isolated", "--baseline", base, "--format", "json", "r.txt", cwd=tmp_path)
    assert quiet.returncode == 0 and json.loads(quiet.stdout)["findings"] == []
    # a new defect, and unrelated lines moved: only the new one is reported
    text = report.read_text(encoding="utf-8")
    report.write_text("\n\n" + text.replace("按时办结 33 件", "按时办结 30 件"), encoding="utf-8")
    fresh = gklint("--isolated", "--baseline", base, "--format", "json", "r.txt", cwd=tmp_path)
    assert [(f["rule"], f["line"]) for f in json.loads(fresh.stdout)["findings"]] == [("GK511", 190)]
    (tmp_path / "bad.json").write_text("[]", encoding="utf-8")
    assert gklint("--isolated", "--baseline", tmp_path / "bad.json", "r.txt", cwd=tmp_path).returncode == 2


def test_suppressions_file_and_stale_entries(tmp_path):
    shutil.copy(SEEDS["002"], tmp_path / "r.txt")
    (tmp_path / ".gklint-suppressions.yaml").write_text(
        "suppressions:\n"
        "  - rule: GK511\n    match: 新闻发布会9场\n    justification: 正文为市本级口径。\n"
        "  - rule: GK201\n    match: 统计期限\n    justification: 已不需要。\n", encoding="utf-8")
    run = gklint("--isolated", "--format", "json", "r.txt", cwd=tmp_path)
    messages = [f["message"] for f in json.loads(run.stdout)["findings"]]
    assert len(messages) == 17 and not any("新闻发布会9场" in m for m in messages)
    assert ".gklint-suppressions.yaml:5: 忽略项没有匹配任何问题" in run.stderr.decode()
    (tmp_path / ".gklint-suppressions.yaml").write_text(
        "suppressions:\n  - rule: GK511\n    match: x\n", encoding="utf-8")
    broken = gklint("--isolated", "r.txt", cwd=tmp_path)
    assert broken.returncode == 2 and "justification" in broken.stderr.decode()


def test_markdown_comments_disable_rules(tmp_path):
    text = SEEDS["004"].read_text(encoding="utf-8").replace(
        "一、概述\n", "一、概述\n<!-- gklint: disable-next-line GK501 -->\n", 1)
    (tmp_path / "r.md").write_text("<!-- gklint: disable GK101,GK102 -->\n" + text, encoding="utf-8")
    found = json.loads(gklint("--isolated", "--format", "json", "r.md", cwd=tmp_path).stdout)["findings"]
    rules = {f["rule"] for f in found}
    assert not rules & {"GK101", "GK102", "GK501"} and "GK602" in rules


def test_pre_commit_try_repo(tmp_path):
    pre_commit = installed("pre-commit")
    if not pre_commit or not shutil.which("git"):
        pytest.skip("pre-commit or git not installed")
    subprocess.run(["git", "init", "-q"], cwd=tmp_path, check=True)
    shutil.copy(SEEDS["001"], tmp_path / "report.txt")
    subprocess.run(["git", "add", "report.txt"], cwd=tmp_path, check=True)
    run = subprocess.run([pre_commit, "try-repo", str(ROOT), "gklint", "--files", "report.txt"],
                         cwd=tmp_path, capture_output=True, timeout=600)
    out = run.stdout.decode()
    assert run.returncode == 1, out
    assert "report.txt:138:20: GK407 [error]" in out


def test_sarif_passes_microsofts_validator_with_github_rules(tmp_path):
    import os

    tool = os.environ.get("GKLINT_SARIF_MULTITOOL") or shutil.which("sarif-multitool-native")
    if not tool or not Path(tool).exists():
        pytest.skip("Microsoft SARIF multitool not installed (.ci/run installs it)")
    log = tmp_path / "all.sarif"
    outside = tmp_path / "外单位" / "report.txt"  # outside the working directory: an absolute file: URI
    outside.parent.mkdir()
    shutil.copy(SEEDS["001"], outside)
    gklint("--format", "sarif", "-o", log, "fixtures", outside)
    locations = [r["locations"][0]["physicalLocation"]["artifactLocation"]
                 for r in json.loads(log.read_text(encoding="utf-8"))["runs"][0]["results"]]
    assert any(loc["uri"] == outside.as_uri() and "uriBaseId" not in loc for loc in locations)
    assert all(loc.get("uriBaseId") == "%SRCROOT%" for loc in locations if not loc["uri"].startswith("file:"))
    out = tmp_path / "validation.sarif"
    run = subprocess.run([tool, "validate", "--rule-kind", "Sarif;Gh", "--output", str(out), str(log)],
                         capture_output=True, timeout=300)
    assert run.returncode == 0, run.stdout.decode()[-2000:]
    validation = json.loads(out.read_text(encoding="utf-8-sig"))
    assert validation["runs"][0].get("results", []) == []
    rules = json.loads(log.read_text(encoding="utf-8"))["runs"][0]["tool"]["driver"]["rules"]
    assert all(r["helpUri"].endswith("docs/rules.md#" + r["id"].lower()) for r in rules)


def test_console_that_cannot_encode_chinese_does_not_crash():
    import os

    env = {**os.environ, "PYTHONIOENCODING": "ascii"}
    run = subprocess.run([GKLINT, str(SEEDS["004"])], capture_output=True, env=env, cwd=ROOT)
    assert run.returncode == 0 and b"Traceback" not in run.stderr
    assert b"004_639ca9d31b5b13cc.txt:3:48: GK501 [warning]" in run.stdout


def test_published_date_drives_the_deadline_check():
    report = SEEDS["huaian"].relative_to(ROOT)  # a 人民政府: 3月31日 of the next year
    on_time = gklint("--isolated", "--published", "2025-03-20", "--select", "GK125", report)
    assert on_time.returncode == 0
    late = gklint("--isolated", "--published", "2025-04-02", "--select", "GK125", report)
    assert late.returncode == 1
    assert "报告指定的发布日期（--published）2025-04-02晚于政府年报的法定公布时限2025年3月31日" in late.stdout.decode()
    # the same date is on time for nobody if the body is a department (1月31日)
    dept = gklint("--isolated", "--published", "2025-03-20", "--agency-kind", "department", "--select", "GK125", report)
    assert dept.returncode == 1 and "部门年报" in dept.stdout.decode()
    bad = gklint("--isolated", "--published", "2025-13-40", report)
    assert bad.returncode == 2 and b"Traceback" not in bad.stderr


def test_rule_basis_is_shown_and_an_error_needs_a_legal_or_arithmetic_basis(tmp_path):
    explained = gklint("explain", "GK203").stdout.decode()
    assert "依据：年报惯例 (convention)" in explained
    listed = json.loads(gklint("rules", "--format", "json").stdout)
    assert all(r["basis"] in ("law", "format", "arithmetic", "convention", "style") for r in listed)
    assert all(r["basis"] in ("law", "format", "arithmetic") for r in listed if r["severity"] == "error")
    pack = tmp_path / "mine.yaml"
    pack.write_text("rules:\n  - id: XY101\n    name: my-style\n    severity: error\n    basis: style\n"
                    "    check: pattern\n    params: {pattern: 'foo'}\n    message: m\n    description: d\n"
                    "    rationale: r\n", encoding="utf-8")
    run = gklint("--isolated", "--rules", pack, SEEDS["003"].relative_to(ROOT))
    assert run.returncode == 2 and "mine.yaml:4:" in run.stderr.decode() and "basis" in run.stderr.decode()


def test_full_rules_and_pretty_switches():
    full = json.loads(gklint("--format", "sarif", "--full-rules", "--compact", SEEDS["003"]).stdout)
    driver = full["runs"][0]["tool"]["driver"]
    listed = json.loads(gklint("rules", "--format", "json").stdout)
    assert len(driver["rules"]) == len(listed)
    for result in full["runs"][0]["results"]:
        assert driver["rules"][result["ruleIndex"]]["id"] == result["ruleId"]
    one = gklint("--format", "json", SEEDS["003"]).stdout.decode()
    assert one.count("\n") > 20  # one report: indented for a reader
    many = gklint("--format", "json", "--pretty", SEEDS["003"], SEEDS["004"]).stdout.decode()
    assert many.count("\n") > 20 and json.loads(many)["summary"]["files"] == 2
