"""SARIF 2.1.0: one run per invocation, every rule in tool.driver.rules,
results with relative URIs under %SRCROOT%, code-point columns, stable
partial fingerprints, and each report's agency and year in the result
properties (so a supervisor's summary survives merging logs)."""

from __future__ import annotations

import json
import os
from pathlib import Path
from urllib.parse import quote

from .. import __version__
from ..finding import Severity

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
INFORMATION_URI = "https://pypi.org/project/gklint/"
FINGERPRINT_KEY = "gklintFingerprint/v1"
_LEVEL = {Severity.error: "error", Severity.warning: "warning", Severity.info: "note"}


def _uri(path: str) -> str:
    """A relative URI, or a file: URI outside the working directory. The
    path's own bytes are percent-encoded, so a file name that is not valid
    UTF-8 is written exactly, never dropped."""
    candidate = Path(path)
    if candidate.is_absolute():
        try:
            candidate = candidate.relative_to(Path.cwd())
        except ValueError:
            posix = candidate.as_posix()
            return "file://" + ("" if posix.startswith("/") else "/") + quote(os.fsencode(posix), safe="/:")
    return quote(os.fsencode(candidate.as_posix()))


def _rule(rule) -> dict:
    help_text = f"{rule.description}\n\n为什么：{rule.rationale}"
    if rule.fix:
        help_text += f"\n\n如何修改：{rule.fix}"
    entry = {
        "id": rule.id,
        "name": rule.name,
        "shortDescription": {"text": rule.description},
        "fullDescription": {"text": rule.rationale},
        "help": {"text": help_text, "markdown": help_text},
        "defaultConfiguration": {"level": _LEVEL[rule.severity]},
        "properties": {"tags": ["gklint", *sorted(f"era-{e}" for e in rule.eras)], "check": rule.check.name,
                       **({"basis": rule.basis} if rule.basis else {})},
    }
    return entry


def _properties(result) -> dict:
    props = {"agency": result.agency, "reportYear": result.year, "era": result.era,
             "characters": result.chars}
    return {k: v for k, v in props.items() if v not in (None, "")}


def render(results, rules, snippets: bool = True, pretty: bool = True, full_rules: bool = False, **_) -> str:
    """One run; its driver lists the rules that have results (all with `full_rules`)."""
    if not full_rules:
        used = {f.rule for r in results for f in r.findings}
        rules = [rule for rule in rules if rule.id in used]
    rule_index = {rule.id: k for k, rule in enumerate(rules)}
    artifacts, sarif_results, notifications = [], [], []
    for result in results:
        if result.error:
            notifications.append({"level": "error", "message": {"text": result.error},
                                  "locations": [{"physicalLocation": {"artifactLocation": {
                                      "uri": _uri(result.path), "uriBaseId": "%SRCROOT%"}}}]})
            continue
        index = len(artifacts)
        artifacts.append({"location": {"uri": _uri(result.path), "uriBaseId": "%SRCROOT%"},
                          "properties": _properties(result)})
        for f in result.findings:
            region = {"startLine": f.span.line, "startColumn": f.span.column,
                      "endLine": f.span.end_line, "endColumn": max(f.span.end_column, f.span.column + 1)}
            if snippets and f.snippet:
                region["snippet"] = {"text": f.snippet}
            entry = {
                "ruleId": f.rule,
                "level": _LEVEL[f.severity],
                "message": {"text": f.message},
                "locations": [{"physicalLocation": {
                    "artifactLocation": {"uri": _uri(result.path), "uriBaseId": "%SRCROOT%", "index": index},
                    "region": region,
                }}],
                "partialFingerprints": {FINGERPRINT_KEY: f.fingerprint},
                "properties": {**_properties(result), **({"location": f.location} if f.location else {}),
                               **({"basis": f.basis} if f.basis else {})},
            }
            if f.rule in rule_index:
                entry["ruleIndex"] = rule_index[f.rule]
            sarif_results.append(entry)
    invocation = {"executionSuccessful": not notifications}
    if notifications:
        invocation["toolExecutionNotifications"] = notifications
    run = {
        "tool": {"driver": {
            "name": "gklint",
            "version": __version__,
            "semanticVersion": __version__,
            "informationUri": INFORMATION_URI,
            "rules": [_rule(r) for r in rules],
        }},
        "automationDetails": {"id": "gklint/"},
        "originalUriBaseIds": {"%SRCROOT%": {"uri": Path(os.getcwd()).as_uri() + "/"}},
        "columnKind": "unicodeCodePoints",
        "artifacts": artifacts,
        "invocations": [invocation],
        "results": sarif_results,
    }
    log = {"$schema": SCHEMA, "version": "2.1.0", "runs": [run]}
    if not pretty:
        return json.dumps(log, ensure_ascii=False, separators=(",", ":")) + "\n"
    return json.dumps(log, ensure_ascii=False, indent=2) + "\n"
