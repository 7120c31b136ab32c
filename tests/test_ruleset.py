"""Rule files are untrusted input: every mistake is reported as file:line:col."""

import textwrap

import pytest
from conftest import SEEDS

from gklint import engine, ruleset
from gklint.expr import ExprError
from gklint.expr import parse as parse_expr
from gklint.parse import parse
from gklint.ruleset import RuleError
from gklint.source import read

GOOD = """\
rules:
  - id: XX901
    name: no-secret-word
    severity: warning
    check: pattern
    params: {pattern: "涉密信息", scope: body}
    message: 出现“{{ match }}”。
    description: 正文中出现“涉密信息”。
    rationale: 示例规则。
"""


def write(tmp_path, text, name="custom.yaml"):
    path = tmp_path / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def error_of(tmp_path, text):
    with pytest.raises(RuleError) as err:
        ruleset.load_file(write(tmp_path, text))
    return str(err.value)


def test_builtin_rules_validate_strictly():
    rules = ruleset.load_builtin(validate=True)
    assert len({r.id for r in rules}) == len(rules) >= 50
    fast = ruleset.load_builtin(validate=False)
    assert [r.id for r in fast] == [r.id for r in rules]


def test_user_rule_behaves_like_builtin(tmp_path):
    write(tmp_path, GOOD)
    rules = ruleset.load([str(tmp_path)])
    custom = [r for r in rules if r.id == "XX901"]
    doc = parse(read(SEEDS["003"]))
    findings = engine.lint(doc, custom)
    assert [(f.rule, f.span.line, f.message) for f in findings] == [("XX901", 15, "出现“涉密信息”。")]


@pytest.mark.parametrize("change,where,needle", [
    (("    severity: warning\n", "    severity: warning\n    colour: red\n"), ":5:5:", "unknown key `colour`"),
    (("severity: warning", "severity: fatal"), ":4:15:", "severity `fatal`"),
    (("check: pattern", "check: regex_magic"), ":5:12:", "unknown check `regex_magic`"),
    (('pattern: "涉密信息"', 'pattern: "涉密(信息"'), ":6:23:", "bad regular expression"),
    (("scope: body", "scope: appendix"), ":6:38:", "unknown scope `appendix`"),
    (("id: XX901", "id: custom-1"), ":2:9:", "must look like GK123"),
    (("name: no-secret-word", "name: No Secret"), ":3:11:", "kebab-case"),
    (("params: {", "params: {limit: 3, "), ":6:14:", "has no parameter `limit`"),
    (("    rationale: 示例规则。\n", ""), ":2:5:", "missing key `rationale`"),
    (("message: 出现“{{ match }}”。", "message: 出现“{{ match ”。"), ":7:17:", "message template"),
])
def test_broken_rule_file_points_at_the_mistake(tmp_path, change, where, needle):
    message = error_of(tmp_path, GOOD.replace(*change))
    assert where in message and needle in message, message
    assert message.startswith(str(tmp_path / "custom.yaml"))


def test_bad_expression_and_yaml(tmp_path):
    bad_expr = GOOD.replace('check: pattern\n    params: {pattern: "涉密信息", scope: body}',
                            'check: table_identity\n    params: {table: t3, expr: "一 + == 二"}')
    message = error_of(tmp_path, bad_expr)
    assert ":6:36:" in message and "bad expression" in message  # at the "=="
    message = error_of(tmp_path, "rules:\n  - id: [unclosed\n")
    assert "invalid YAML" in message and message.count(":") >= 3


def test_duplicate_rule_id(tmp_path):
    write(tmp_path, GOOD.replace("XX901", "GK101"))
    with pytest.raises(RuleError, match="GK101 is already defined"):
        ruleset.load([str(tmp_path)])


def test_rule_files_are_never_evaluated(tmp_path):
    evil = GOOD.replace('check: pattern\n    params: {pattern: "涉密信息", scope: body}',
                        'check: table_identity\n    params: {table: t3, expr: "__import__(\'os\').system(\'x\') == 1"}')
    message = error_of(tmp_path, evil)
    assert "bad expression" in message


def test_expression_parser():
    expr = parse_expr("max(a, b) <= 总计 <= a + b - 1")
    assert [str(r) for r in expr.refs()] == ["a", "b", "总计", "a", "b"]
    assert str(expr.anchor()) == "总计"
    values = {"a": 3, "b": 4, "总计": 5}
    assert expr.check(lambda ref: (values[str(ref)], str(ref)))[0] is True
    values["总计"] = 7
    holds, sides = expr.check(lambda ref: (values[str(ref)], str(ref)))
    assert not holds and sides[2] == (6, "a 3 + b 4 - 1 = 6") and sides[0] == (4, "max(a 3，b 4)")
    assert expr.check(lambda ref: (None, str(ref))) is None  # a blank leaves it unjudged
    with pytest.raises(ExprError) as err:
        parse_expr("a + b")
    assert err.value.position == 5
    path = parse_expr("行政复议数量/其他情形数|其他 == 0").refs()[0]
    assert path.path == (("行政复议数量",), ("其他情形数", "其他"))


def test_a_plain_sum_is_judged_from_numbers_as_check_judges_it():
    assert parse_expr("max(a, b) <= 总计").flat is None  # max() and brackets go the general way
    expr = parse_expr("总计 == a + b - c + 2 <= a + 100")
    refs, _ = expr.flat
    assert [str(r) for r in refs] == ["总计", "a", "b", "c"]  # each ref once
    for values in ({"总计": 9, "a": 3, "b": 5, "c": 1}, {"总计": 10, "a": 3, "b": 5, "c": 1},
                   {"总计": 0.3, "a": 0.1, "b": 0.2, "c": 2}, {"总计": 200, "a": 99, "b": 100, "c": 1}):
        by_ref = expr.check(lambda ref: (values[str(ref)], str(ref)))[0]
        assert expr.holds([values[str(r)] for r in refs]) is by_ref


def test_rules_doc_is_current():
    from pathlib import Path

    from gklint.cli import rules_markdown

    doc = Path(__file__).resolve().parents[1] / "docs" / "rules.md"
    assert doc.read_text(encoding="utf-8") == rules_markdown(ruleset.load_builtin()), \
        "docs/rules.md is stale: gklint rules --format markdown > docs/rules.md"
