"""The README's recipes work as written: the two first commands are what CI
runs, the pre-commit snippet names hooks and a release that exist, and the
GitHub Actions workflow's gklint command runs."""

import json
import re
import shutil
import subprocess

import yaml
from conftest import SEEDS
from test_cli import ROOT, gklint, installed

from gklint import __version__

README = (ROOT / "README.md").read_text(encoding="utf-8")


def blocks(language: str) -> list[str]:
    return re.findall(rf"```{language}\n(.*?)```", README, flags=re.S)


def test_the_first_two_commands_install_in_a_venv_and_ci_runs_the_second():
    install, test = [b.strip() for b in blocks("sh")[:2]]
    assert install.startswith("python3 -m venv .venv && ") and "gklint fixtures/" in install
    assert "pip install" in test and test.endswith("python -m pytest -q")
    ci = (ROOT / ".ci/run").read_text(encoding="utf-8")
    for step in test.split(" && "):
        assert step in ci, step
    assert "gklint[all]'" not in README.split("## ")[0]  # never from an index gklint is not on


def test_pre_commit_snippet_names_real_hooks_and_this_release():
    snippet = next(yaml.safe_load(b) for b in blocks("yaml") if "repos:" in b)
    repo = snippet["repos"][0]
    hooks = {h["id"] for h in yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))}
    assert {h["id"] for h in repo["hooks"]} <= hooks and "gklint-all" in hooks
    assert repo["rev"] == f"v{__version__}"


def test_the_github_actions_recipe_runs_its_gklint_command(tmp_path):
    workflow = next(yaml.safe_load(b) for b in blocks("yaml") if "jobs:" in b)
    steps = workflow["jobs"]["lint"]["steps"]
    command = next(s["run"] for s in steps if str(s.get("run", "")).startswith("gklint "))
    upload = next(s for s in steps if "upload-sarif" in s.get("uses", ""))
    assert upload["if"].startswith("always()") and upload["with"]["sarif_file"] in command
    (tmp_path / "reports").mkdir()
    shutil.copy(SEEDS["001"], tmp_path / "reports" / "2017.txt")
    run = gklint(*command.split()[1:], cwd=tmp_path)
    assert run.returncode == 1  # the job fails on the report's errors …
    log = json.loads((tmp_path / "gklint.sarif").read_text(encoding="utf-8"))  # … and the log is there to upload
    assert any(r["ruleId"] == "GK407" for r in log["runs"][0]["results"])


def test_pre_commit_all_hook_lints_a_word_file(tmp_path):
    import pytest

    pre_commit = installed("pre-commit")
    template = ROOT.parent / "shared" / "corpus" / "format-2021-template.docx"
    if not pre_commit or not shutil.which("git") or not template.exists():
        pytest.skip("pre-commit, git or the shared template not available")
    subprocess.run(["git", "init", "-q"], cwd=tmp_path, check=True)
    shutil.copy(template, tmp_path / "年报.docx")
    subprocess.run(["git", "add", "年报.docx"], cwd=tmp_path, check=True)
    run = subprocess.run([pre_commit, "try-repo", str(ROOT), "gklint-all", "--files", "年报.docx"],
                         cwd=tmp_path, capture_output=True, timeout=900)
    out = run.stdout.decode()
    assert run.returncode == 1, out
    assert "GK340 [error]" in out and "表1第" in out


def test_the_first_command_works_on_a_fresh_checkout_with_the_systems_python(tmp_path):
    """The README's first command, as written, in a clean copy of the repository, with the
    machine's own python3 (on Debian a PEP 668 Python: the venv is what makes it work)."""
    import os

    import pytest

    python3 = shutil.which("python3", path="/usr/bin:/usr/local/bin") or shutil.which("python3")
    if not python3 or subprocess.run([python3, "-c", "import venv, ensurepip"], capture_output=True).returncode:
        pytest.skip("no python3 with venv and ensurepip on this machine")
    checkout = tmp_path / "gklint"
    archive = subprocess.run(["git", "archive", "--format=tar", "HEAD"], cwd=ROOT, capture_output=True, check=True)
    checkout.mkdir()
    subprocess.run(["tar", "-x", "-C", str(checkout)], input=archive.stdout, check=True)
    install = blocks("sh")[0].strip().replace("python3 -m venv", f"{python3} -m venv", 1)
    env = {k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "PYTHONPATH", "PYTHONHOME")}
    run = subprocess.run(["sh", "-c", install], cwd=checkout, capture_output=True, timeout=600, env=env)
    out = run.stdout.decode()
    assert run.returncode == 1, run.stderr.decode()[-2000:]  # the bundled report has errors
    assert "发现 18 个问题（错误 2，警告 13，提示 3），检查了 1 个文件。" in out
