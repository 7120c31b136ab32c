"""Per-rule cases as data (tests/cases/GKxxx.yaml, in the style of sqlfluff):
each case is a report text (or a fixture file) and the exact findings the
rule must give on it, by line, column and message."""

from pathlib import Path

import pytest
import yaml
from conftest import FIXTURES

from gklint import engine, ruleset
from gklint.parse import parse
from gklint.source import decode

CASES_DIR = Path(__file__).resolve().parent / "cases"
RULES = {r.id: r for r in ruleset.load_builtin(validate=True)}


def _cases():
    for path in sorted(CASES_DIR.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        for name, case in data["cases"].items():
            yield pytest.param(data["rule"], case, id=f"{data['rule']}_{name}")


def run_case(rule_id: str, case: dict):
    doc = case_document(case)
    previous = case_document(case["previous"]) if "previous" in case else None
    return engine.lint(doc, [RULES[rule_id]], agency_kind=case.get("agency_kind"), previous=previous)


def case_document(case: dict):
    if "file" in case:
        text = (FIXTURES / case["file"]).read_text(encoding="utf-8")
        for old, new in case.get("replace", []):  # a real report with one defect put in
            assert old in text, f"replace: {old!r} not in {case['file']}"
            text = text.replace(old, new, 1)
        data = text.encode("utf-8")
    else:
        data = case["text"].encode("utf-8")
    source = decode(data, case.get("file", "case.txt"))
    if "ocr_unsure" in case:  # a scan read by OCR; these lines' figures read with low confidence
        unsure = set(case["ocr_unsure"])
        source.locations = [f"第1页（OCR{'，低置信度' if n in unsure else ''}）第{n}行"
                            for n in range(1, len(source.lines) + 1)]
    return parse(source, era=case.get("era"))


@pytest.mark.parametrize("rule_id,case", list(_cases()))
def test_rule_case(rule_id, case):
    findings = run_case(rule_id, case)
    expected = case["findings"]
    assert len(findings) == len(expected), [f"{f.span.line}:{f.span.column} {f.message}" for f in findings]
    for found, want in zip(findings, expected, strict=True):
        assert found.span.line == want["line"], found.message
        if "column" in want:
            assert found.span.column == want["column"], found.message
        if "message" in want:
            assert found.message == want["message"]
        if "contains" in want:
            assert want["contains"] in found.message


def test_every_rule_has_a_failing_and_a_passing_case():
    covered: dict[str, set] = {}
    for path in CASES_DIR.glob("*.yaml"):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        kinds = {bool(case["findings"]) for case in data["cases"].values()}
        covered.setdefault(data["rule"], set()).update(kinds)
    missing = [rid for rid in RULES if covered.get(rid) != {True, False}]
    assert not missing, f"rules without both a failing and a passing case: {missing}"


def test_every_rule_is_documented():
    for rule in RULES.values():
        assert rule.description and rule.rationale and rule.example and rule.fix, rule.id
        assert rule.name != rule.id
