"""Rule messages cannot run code: known template-injection payloads are
rejected when the rule file is loaded, with their position, and nothing runs."""

import json
import subprocess
import sys

import pytest
from conftest import SEEDS
from test_ruleset import GOOD, error_of, write

from gklint import engine, ruleset
from gklint.parse import parse
from gklint.source import read
from gklint.template import TemplateError, compile_template

# Server-side template injection payloads as published for Jinja2 and other
# engines: attribute walks to os/subprocess, calls, filters that reach code,
# statements, and lookalikes of a plain hole.
PAYLOADS = [
    "{{ cycler.__init__.__globals__.os.system('touch {marker}') }}",
    "{{ joiner.__init__.__globals__.os.popen('touch {marker}').read() }}",
    "{{ lipsum.__globals__['os'].popen('touch {marker}').read() }}",
    "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "{{ config.items() }}",
    "{{ self._TemplateReference__context }}",
    "{{ request.application.__globals__.__builtins__.__import__('os').popen('touch {marker}') }}",
    "{% for x in ().__class__.__base__.__subclasses__() %}{{ x }}{% endfor %}",
    "{% import os %}{{ os.system('touch {marker}') }}",
    "{{ match|attr('__class__') }}",
    "{{ match | format('%s') }}",
    "{{ match.__class__ }}",
    "{{ match[0] }}",
    "{{ match() }}",
    "{{ 7*7 }}",
    "{{ match ~ 'x' }}",
    "{# comment #}{{ match }}",
    "${7*7} {{ namespace }}",
    "{{ __import__('os').system('touch {marker}') }}",
]


@pytest.mark.parametrize("payload", PAYLOADS)
def test_injection_payload_is_rejected_at_its_position(tmp_path, payload):
    marker = tmp_path / "pwned"
    message = "出现" + payload.replace("{marker}", str(marker))
    text = GOOD.replace("message: 出现“{{ match }}”。", f"message: {json.dumps(message, ensure_ascii=False)}")
    error = error_of(tmp_path, text)
    assert error.startswith(str(tmp_path / "custom.yaml") + ":7:")
    column = int(error.split(":")[2])
    line7 = text.split("\n")[6]
    assert line7[column - 1] in "{$"  # points at the offending hole or statement
    assert "message template" in error
    assert not marker.exists()


def test_payload_in_a_config_named_pack_does_nothing_and_exits_2(tmp_path):
    """The reported attack: a .gklint.yaml above the report names a pack."""
    marker = tmp_path / "pwned"
    pack = tmp_path / "rules"
    pack.mkdir()
    payload = f"{{{{ cycler.__init__.__globals__.os.system('touch {marker}') }}}}"
    write(pack, GOOD.replace("message: 出现“{{ match }}”。", f'message: "{payload}"'), "evil.yaml")
    (tmp_path / ".gklint.yaml").write_text("rules: [rules]\n", encoding="utf-8")
    report = tmp_path / "report.txt"
    report.write_bytes(SEEDS["003"].read_bytes())
    run = subprocess.run([sys.executable, "-m", "gklint", str(report)], capture_output=True, cwd=tmp_path)
    assert run.returncode == 2
    err = run.stderr.decode()
    assert "evil.yaml:7:" in err and "message template" in err and "Traceback" not in err
    assert not marker.exists()


def test_unknown_value_and_unknown_filter_are_load_errors(tmp_path):
    assert "`secret` is not a value of this check" in error_of(
        tmp_path, GOOD.replace("{{ match }}", "{{ secret }}"))
    assert "unknown filter `upper`" in error_of(tmp_path, GOOD.replace("{{ match }}", "{{ match | upper }}"))


def test_named_groups_of_a_pattern_rule_are_values(tmp_path):
    write(tmp_path, GOOD.replace('"涉密信息"', '"涉密(?P<what>信息)"').replace("{{ match }}", "{{ what }}"))
    (rule,) = [r for r in ruleset.load([str(tmp_path)]) if r.id == "XX901"]
    findings = engine.lint(parse(read(SEEDS["003"])), [rule])
    assert [f.message for f in findings] == ["出现“信息”。"]


def test_filters_and_bounds():
    template = compile_template("共{{ n | number }}条，{{ text | short }}", {"n", "text"})
    assert template.render({"n": 12.0, "text": "一" * 30}) == "共12条，" + "一" * 20 + "…"
    # A value from report text cannot make a message unbounded.
    long = compile_template("{{ text }}", {"text"}).render({"text": "字" * 100_000})
    assert len(long) < 400


def test_every_builtin_message_names_only_documented_values():
    for rule in ruleset.load_builtin(validate=True):
        assert rule.template is not None
        names = {name for name, _ in rule.template.holes}
        assert names <= set(rule.check.values) | {"year", "agency", "era"} | {
            g for v in rule.params.values() if hasattr(v, "groupindex") for g in v.groupindex}, rule.id


def test_template_error_carries_the_offset():
    with pytest.raises(TemplateError) as err:
        compile_template("前文{{ a.b }}", {"a"})
    assert err.value.position == 2
