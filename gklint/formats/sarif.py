"""SARIF 2.1.0: one run per invocation, the rules with results in tool.driver.rules
(each with a helpUri), results with URIs relative to %SRCROOT% (the working
directory) or, for reports outside it, absolute file: URIs with no base
(Microsoft's validator rule SARIF1004), code-point columns, stable
partial fingerprints, and each report's agency and year in the result
properties (so a supervisor's summary survives merging logs)."""

from __future__ import annotations

import json
import os
from pathlib import Path
from urllib.parse import quote

from .. import DOCS_URL, HOMEPAGE, __version__
from ..finding import Severity

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
INFORMATION_URI = HOMEPAGE
FINGERPRINT_KEY = "gklintFingerprint/v1"
_LEVEL = {Severity.error: "error", Severity.warning: "warning", Severity.info: "note"}


def artifact_location(path: str) -> dict:
    """A URI relative to %SRCROOT% for a report inside the working directory,
    else an absolute file: URI without a base. The path's own bytes are
    percent-encoded, so a file name that is not valid UTF-8 is written
    exactly, never dropped."""
    cwd = Path.cwd()
    candidate = Path(os.path.abspath(path))
    try:
        return {"uri": quote(os.fsencode(candidate.relative_to(cwd).as_posix())), "uriBaseId": "%SRCROOT%"}
    except ValueError:
        posix = candidate.as_posix()
        return {"uri": "file://" + ("" if posix.startswith("/") else "/") + quote(os.fsencode(posix), safe="/:")}


def help_uri(rule_id: str, base: str | None = None) -> str:
    """The rule's page: `base` with {id} / {anchor} filled in, or with `#gk101` appended."""
    base = base or DOCS_URL
    if "{id}" in base or "{anchor}" in base:
        return base.replace("{id}", rule_id).replace("{anchor}", rule_id.lower())
    return base + ("" if base.endswith(("#", "/")) else "#") + rule_id.lower()


def _rule(rule, docs_url: str | None) -> dict:
    help_text = f"{rule.description}\n\n为什么：{rule.rationale}"
    if rule.fix:
        help_text += f"\n\n如何修改：{rule.fix}"
    entry = {
        "id": rule.id,
        "name": rule.name,
        "shortDescription": {"text": rule.description},
        "fullDescription": {"text": rule.rationale},
        "helpUri": help_uri(rule.id, docs_url),
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


def _artifact_properties(result) -> dict:
    """What a supervisor's summary needs of the report itself: its kind and
    publication date (for lateness) and its narrative fingerprints (for
    copying across agencies; hashes of text runs, not the text)."""
    props = {**_properties(result), "agencyKind": result.agency_kind,
             "published": result.published.isoformat() if result.published else None,
             "publishedSource": result.published_source,
             "narrative": result.prints.to_json() if result.prints is not None else None}
    return {k: v for k, v in props.items() if v not in (None, "")}


def render(results, rules, snippets: bool = True, pretty: bool = True, full_rules: bool = False,
           docs_url: str | None = None, **_) -> str:
    """One run; its driver lists the rules that have results (all with `full_rules`)."""
    if not full_rules:
        used = {f.rule for r in results for f in r.findings}
        rules = [rule for rule in rules if rule.id in used]
    rule_index = {rule.id: k for k, rule in enumerate(rules)}
    artifacts, sarif_results, notifications = [], [], []
    for result in results:
        if result.error:
            notifications.append({"level": "error", "message": {"text": result.error},
                                  "locations": [{"physicalLocation": {
                                      "artifactLocation": artifact_location(result.path)}}]})
            continue
        index = len(artifacts)
        artifacts.append({"location": artifact_location(result.path),
                          "properties": _artifact_properties(result)})
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
                    "artifactLocation": {**artifact_location(result.path), "index": index},
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
            "rules": [_rule(r, docs_url) for r in rules],
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
