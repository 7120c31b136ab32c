"""lint(doc, rules) -> findings: the loop that stamps identity on hits."""

from __future__ import annotations

from collections import Counter

from .document import Document, Span
from .finding import Finding, fingerprint
from .ruleset import Rule
from .scope import Context
from .scope import agency_kind as detect_agency_kind

SNIPPET_LIMIT = 240
CONTEXT_CHARS = 40  # on each side of a span, for the excerpt under a finding


def applies(rule: Rule, doc: Document, kind: str) -> bool:
    return doc.era.name in rule.eras and (rule.agency is None or rule.agency == kind)


def lint(doc: Document, rules: list[Rule], agency_kind: str | None = None,
         previous: Document | None = None) -> list[Finding]:
    kind = agency_kind or detect_agency_kind(doc)
    ctx = Context(doc, kind, previous=Context(previous, kind) if previous is not None else None)
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
                context=context(doc.lines, hit.span),
                location=doc.location(hit.span.line),
            ))
    findings.sort(key=Finding.sort_key)
    return findings


def snippet(lines: list[str], span: Span) -> str:
    """The source text the span covers, trimmed to a readable length."""
    chosen = lines[span.line - 1: span.end_line]
    if not chosen:
        return ""
    if len(chosen) == 1:
        text = chosen[0][span.column - 1: span.end_column - 1]
    else:
        text = "\n".join([chosen[0][span.column - 1:], *chosen[1:-1], chosen[-1][: span.end_column - 1]])
    return text if len(text) <= SNIPPET_LIMIT else text[:SNIPPET_LIMIT] + "…"


def context(lines: list[str], span: Span) -> tuple[int, str]:
    """(first column, text): the span's first line, cut to a window around it."""
    if not 1 <= span.line <= len(lines):
        return 1, ""
    line = lines[span.line - 1]
    end = span.end_column - 1 if span.end_line == span.line else len(line)
    end = min(end, span.column - 1 + 2 * CONTEXT_CHARS)  # a long span: its beginning
    start = max(0, span.column - 1 - CONTEXT_CHARS)
    stop = min(len(line), max(end, span.column) + CONTEXT_CHARS)
    return start + 1, line[start:stop]
