"""lint(doc, rules) -> findings: the loop that stamps identity on hits."""

from __future__ import annotations

from collections import Counter
from itertools import islice

from .document import UNSURE_OCR, AgencyKind, Document, Span
from .finding import Finding, Severity, fingerprint
from .fix import Fix
from .limits import MAX_FINDINGS_PER_RULE, RULE_TIME_BUDGET, RuleClock, TimeLimit
from .ruleset import Rule
from .scope import Context

SNIPPET_LIMIT = 240
CONTEXT_CHARS = 40  # on each side of a span, for the excerpt under a finding


def applies(rule: Rule, doc: Document, kind: AgencyKind) -> bool:
    """The rule's era is the report's, and its agency scope (if any) is the
    report's agency kind: a scoped rule never runs on an unknown kind."""
    if doc.era.name not in rule.eras:
        return False
    return rule.agency is None or kind.kind in rule.agency or (kind.township and "township" in rule.agency)


def lint(doc: Document, rules: list[Rule], agency_kind: str | None = None,
         previous: Document | None = None, budget: float | None = RULE_TIME_BUDGET) -> list[Finding]:
    """Every applicable rule's findings, sorted. A rule gets at most `budget`
    seconds on this report (a catastrophic regex in a user's rule cannot hang
    the run) and lists at most MAX_FINDINGS_PER_RULE findings."""
    kind = AgencyKind(agency_kind, evidence="--agency-kind", forced=True) if agency_kind else doc.agency_kind
    ctx = Context(doc, kind, previous=Context(previous, kind) if previous is not None else None)
    common = {"year": doc.year or "××××", "agency": doc.agency or "", "era": doc.era.name}
    findings: list[Finding] = []
    with RuleClock(budget) as clock:
        for rule in rules:
            if applies(rule, doc, kind):
                findings += _run_rule(rule, ctx, doc, common, clock, budget)
    findings = [f for f in findings if not _unsure_figures(f)]
    findings.sort(key=Finding.sort_key)
    return findings


def _unsure_figures(finding: Finding) -> bool:
    """A defect found in figures OCR read with low confidence is not judged: a
    warning or error resting on the figures is dropped; the infos that say a
    table or line was not assessable (GK360, GK129) stay."""
    return (finding.severity > Severity.info and finding.basis in ("arithmetic", "format")
            and UNSURE_OCR in (finding.location or ""))


def _run_rule(rule: Rule, ctx: Context, doc: Document, common: dict, clock: RuleClock, budget) -> list[Finding]:
    """One rule's findings, stamped; a note instead when it ran out of time."""
    try:
        clock.arm()
        try:
            hits = list(islice(rule.check.function(ctx, **rule.params), MAX_FINDINGS_PER_RULE + 1))
        finally:
            clock.disarm()
    except TimeLimit:
        return [_note(doc, rule, "rule-timeout", f"检查超时：规则 {rule.id} 在本报告上运行超过 {budget:g} 秒，"
                                              "已停止；其余检查照常进行。")]
    if not hits:
        return []  # most rules on most reports
    findings: list[Finding] = []
    seen: Counter = Counter()
    for hit in hits[:MAX_FINDINGS_PER_RULE]:
        seen[hit.key] += 1
        findings.append(Finding(
            rule=rule.id, name=rule.name, severity=rule.severity,
            message=rule.render({**common, **hit.values}),
            path=doc.path, span=hit.span, snippet=snippet(doc.lines, hit.span),
            fingerprint=fingerprint(rule.id, hit.key, seen[hit.key]),
            context=context(doc.lines, hit.span),
            location=doc.location(hit.span.line), basis=rule.basis,
            fix=Fix(tuple(hit.edits), rule.autofix == "safe") if rule.autofix and hit.edits else None,
        ))
    if len(hits) > MAX_FINDINGS_PER_RULE:
        findings.append(_note(doc, rule, "too-many-findings", f"规则 {rule.id} 在本报告中的问题超过 "
                              f"{MAX_FINDINGS_PER_RULE} 处，其余未逐一列出。", hits[MAX_FINDINGS_PER_RULE].span))
    return findings


def _note(doc: Document, rule: Rule, kind: str, message: str, span: Span | None = None) -> Finding:
    """An info finding about the run itself (a rule stopped, a list cut short)."""
    span = span or Span(1, 1, 1, 1 + min(len(doc.lines[0]) if doc.lines else 0, 1))
    return Finding(rule=rule.id, name=kind, severity=Severity.info, message=message, path=doc.path, span=span,
                   snippet=snippet(doc.lines, span), fingerprint=fingerprint(rule.id, kind, 1),
                   context=context(doc.lines, span), location=doc.location(span.line))


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
