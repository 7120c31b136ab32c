"""lint(doc, rules) -> findings: the loop that stamps identity on hits."""

from __future__ import annotations

from collections import Counter

from .document import Document, Span
from .finding import Finding, fingerprint
from .ruleset import Rule
from .scope import Context, agency_kind as detect_agency_kind

SNIPPET_LIMIT = 240


def applies(rule: Rule, doc: Document, kind: str) -> bool:
    return doc.era.name in rule.eras and (rule.agency is None or rule.agency == kind)


def lint(doc: Document, rules: list[Rule], agency_kind: str | None = None) -> list[Finding]:
    kind = agency_kind or detect_agency_kind(doc)
    ctx = Context(doc, kind)
    common = {"year": doc.year or "", "agency": doc.agency or "", "era": doc.era.name}
    findings: list[Finding] = []
    for rule in rules:
        if not applies(rule, doc, kind):
            continue
        seen: Counter = Counter()
        for hit in rule.check.function(ctx, **rule.params):
            seen[hit.key] += 1
            findings.append(Finding(
                rule=rule.id, name=rule.name, severity=rule.severity,
                message=rule.render({**common, **hit.values}),
                path=doc.path, span=hit.span, snippet=snippet(doc.lines, hit.span),
                fingerprint=fingerprint(rule.id, hit.key, seen[hit.key]),
            ))
    findings.sort(key=Finding.sort_key)
    return findings


def snippet(lines: list[str], span: Span) -> str:
    """The source lines of a span, trimmed to a readable length."""
    text = "\n".join(lines[span.line - 1: span.end_line])
    return text if len(text) <= SNIPPET_LIMIT else text[:SNIPPET_LIMIT] + "…"
