"""Hostile input: files gklint did not write must not run code, hang, or
flood the terminal; a config found beside the reports is trusted only
inside its own folder."""

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
