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


# ---------------------------------------------------------------- compiled regexes

from gklint import regexes  # noqa: E402

# Chinese character classes are what made compiling slow; named groups and a
# flag make sure everything _sre.compile is given survives the store.
PATTERNS = [(r"(?<=[\u4e00-\u9fff])(?P<mark>[,;:?!])(?=[\u4e00-\u9fff])", 0),
            (r"(?P<n>\d+)\s*(?P<unit>件|条)", 0), (r"^\s*[一二三四五六七八九十]+、", 0), (r"http", 2)]


def _fresh_store(monkeypatch, directory):
    monkeypatch.setenv("GKLINT_CACHE_DIR", str(directory))
    monkeypatch.delenv("GKLINT_NO_CACHE", raising=False)
    monkeypatch.setattr(regexes, "_store", None)
    monkeypatch.setattr(regexes, "_loaded", False)


def _behaviour(pattern, text):
    return (pattern.pattern, pattern.flags, pattern.groups, pattern.groupindex,
            [m.groupdict() or m.group() for m in pattern.finditer(text)])


def test_stored_regexes_match_like_freshly_compiled_ones(tmp_path, monkeypatch):
    import re
    text = SEEDS["002"].read_text(encoding="utf-8") + "中,文 HTTP://x 共 12 件"
    _fresh_store(monkeypatch, tmp_path)
    first = [regexes.compile(p, f) for p, f in PATTERNS]
    regexes.save()
    [stored] = tmp_path.glob("regex-*.marshal")
    _fresh_store(monkeypatch, tmp_path)
    again = [regexes.compile(p, f) for p, f in PATTERNS]
    assert regexes._store and all(key in regexes._store for key in PATTERNS)  # read back, not recompiled
    for (source, flags), one, two in zip(PATTERNS, first, again):
        expected = _behaviour(re.compile(source, flags), text)
        assert _behaviour(one, text) == _behaviour(two, text) == expected
    assert any(_behaviour(p, text)[-1] for p in again)  # the text exercises them
    stored.write_bytes(b"\xffnot marshal")  # damaged file: ignored
    _fresh_store(monkeypatch, tmp_path)
    assert _behaviour(regexes.compile(*PATTERNS[0]), text) == _behaviour(re.compile(PATTERNS[0][0]), text)


def test_a_stored_entry_the_engine_refuses_is_compiled_afresh(tmp_path, monkeypatch):
    import marshal
    _fresh_store(monkeypatch, tmp_path)
    source = PATTERNS[1][0]
    regexes.store_path().parent.mkdir(parents=True, exist_ok=True)
    regexes.store_path().write_bytes(marshal.dumps({(source, 0): (32, [1, 2, 3, 99999], 2, {}, ())}))
    assert regexes.compile(source).findall("共 12 件，3 条") == [("12", "件"), ("3", "条")]


def test_lint_output_is_the_same_with_the_stores_cold_warm_and_off(tmp_path):
    report = str(SEEDS["002"])
    env = {"GKLINT_CACHE_DIR": str(tmp_path), "PATH": "/usr/bin:/bin"}
    runs = [subprocess.run([sys.executable, "-m", "gklint", "--isolated", report], capture_output=True, env=run_env)
            for run_env in (env, env, {**env, "GKLINT_NO_CACHE": "1"})]
    assert list(tmp_path.glob("regex-*.marshal")) and list(tmp_path.glob("rules-*.pickle"))
    assert runs[0].returncode == 1 and not runs[0].stderr
    assert runs[0].stdout == runs[1].stdout == runs[2].stdout
