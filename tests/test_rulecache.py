"""The cache of the validated built-in rule set: used when current, rebuilt
when anything changes, ignored when damaged or unwritable."""

import subprocess
import sys

from conftest import SEEDS

from gklint import engine, rulecache, ruleset
from gklint.parse import parse
from gklint.source import decode


def _ids(rules):
    return [(r.id, r.severity.name, r.basis) for r in rules]


def test_cached_rules_lint_like_freshly_validated_ones(tmp_path, monkeypatch):
    monkeypatch.setenv("GKLINT_CACHE_DIR", str(tmp_path))
    monkeypatch.delenv("GKLINT_NO_CACHE", raising=False)
    fresh = ruleset.load_builtin(validate=True)
    first = ruleset.load_builtin()  # builds and stores
    [stored] = tmp_path.glob("rules-*.pickle")
    cached = ruleset.load_builtin()  # from the file
    assert _ids(fresh) == _ids(first) == _ids(cached)
    doc = parse(decode(SEEDS["002"].read_bytes(), str(SEEDS["002"])))
    assert [(f.rule, f.message) for f in engine.lint(doc, cached)] == [(f.rule, f.message) for f in engine.lint(doc, fresh)]
    stored.write_bytes(b"\x80\x04garbage")  # damaged: ignored and rebuilt
    assert _ids(ruleset.load_builtin()) == _ids(fresh)


def test_key_follows_the_rule_files(tmp_path):
    pack = tmp_path / "common.yaml"
    pack.write_text("rules: []\n", encoding="utf-8")
    before = rulecache.key_for([pack])
    pack.write_text("rules: [] # changed\n", encoding="utf-8")
    assert rulecache.key_for([pack]) != before


def test_unwritable_cache_directory_is_not_an_error(tmp_path):
    blocker = tmp_path / "not-a-directory"
    blocker.write_text("x", encoding="utf-8")
    env = {"GKLINT_CACHE_DIR": str(blocker / "cache"), "PATH": "/usr/bin:/bin"}
    run = subprocess.run([sys.executable, "-m", "gklint", "--isolated", str(SEEDS["003"])], capture_output=True,
                         env=env)
    assert run.returncode == 0 and b"GK350" in run.stdout and not run.stderr
