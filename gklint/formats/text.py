"""path:line:col: GK201 [error] message, the source line with a caret under
the span, and a summary. Colour only when asked (a TTY without NO_COLOR)."""

from __future__ import annotations

import unicodedata

from ..finding import Severity
from ..output import printable

_COLOURS = {Severity.error: "red", Severity.warning: "yellow", Severity.info: "blue"}
_NAMES = {Severity.error: "错误", Severity.warning: "警告", Severity.info: "提示"}


def width(text: str) -> int:
    """Terminal cells: Han characters and full-width forms take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in text)


def render(results, rules, color: bool = False, snippets: bool = True, columns: int = 120, summary: bool = True,
           unsafe_fixes: bool = False, **_) -> str:
    import click

    def style(text, **kw):
        return click.style(text, **kw) if color else text

    out: list[str] = []
    for result in results:
        if result.error:
            continue
        for f in result.findings:
            where = style(f"{printable(f.path)}:{f.span.line}:{f.span.column}:", bold=True)
            level = style(f"[{f.severity.name}]", fg=_COLOURS[f.severity], bold=True)
            place = f"（{f.location}）" if f.location else ""
            message = printable(f.message + place)
            mark = " [*]" if f.fix and (f.fix.safe or unsafe_fixes) else ""
            out.append(f"{where} {style(f.rule, fg=_COLOURS[f.severity])}{mark} {level} {message}")
            if snippets:
                out += _excerpt(f, style, columns)
    if summary:
        out.append(summary_line(results, style) + _fixable(results, unsafe_fixes))
    return "\n".join(out) + "\n" if out else ""


def _excerpt(f, style, columns: int) -> list[str]:
    """The source line, cut to `columns` terminal cells around the span, and a caret line under it.
    Cuts are marked with ASCII dots: `…` is ambiguous-width and would shift the carets on a CJK console."""
    first_column, text = f.context
    if not text.strip():
        return []
    text = printable(text.replace("\t", " "))
    start = max(0, min(f.span.column - first_column, len(text)))
    end = f.span.end_column - first_column if f.span.end_line == f.span.line else len(text)
    end = max(start + 1, min(end, len(text)))
    gutter = f"{f.span.line:>5} | "
    room = max(20, columns - len(gutter))
    left = 0
    while width(text[left:start]) > room // 3:
        left += 1
    right = len(text)
    while right > end and width(text[left:right]) > room - 6:
        right -= 1
    lead = ("..." if left or first_column > 1 else "")
    tail = "..." if right < len(text) else ""
    shown = lead + text[left:right] + tail
    marks = max(1, min(width(text[start:end]), room - width(lead + text[left:start])))
    caret = " " * (len(gutter) + width(lead + text[left:start])) + "^" * marks
    return [style(gutter, dim=True) + shown, style(caret, fg=_COLOURS[f.severity])]


def _fixable(results, unsafe_fixes: bool) -> str:
    fixes = [f.fix for r in results for f in r.findings if f.fix]
    safe = sum(1 for fix in fixes if fix.safe or unsafe_fixes)
    hidden = len(fixes) - safe
    if not fixes:
        return ""
    text = f"\n[*] 其中 {safe} 个可用 --fix 自动修正" if safe else "\n"
    if hidden:
        text += f"{'，' if safe else ''}另有 {hidden} 个可加 --unsafe-fixes 修正（会改动措辞，请先用 --diff 查看）"
    return text + "。"


def statistics(results, rules, as_json: bool = False) -> str:
    """`--statistics`: findings per rule, most first (as ruff's)."""
    import json
    from collections import Counter

    names = {r.id: r.name for r in rules}
    counts = Counter((f.rule, f.severity.name) for result in results for f in result.findings)
    ordered = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    if as_json:
        records = [{"rule": rule, "name": names.get(rule, ""), "severity": severity,
                    "count": count} for (rule, severity), count in ordered]
        return json.dumps(records, ensure_ascii=False, indent=2) + "\n"
    if not ordered:
        return summary_line(results) + "\n"
    digits = len(str(ordered[0][1]))
    lines = [f"{count:>{digits}}  {rule}  [{severity}]  {names.get(rule, '')}"
             for (rule, severity), count in ordered]
    return "\n".join(lines) + "\n"


def summary_line(results, style=lambda t, **k: t) -> str:
    counts = {s: 0 for s in Severity}
    for result in results:
        for f in result.findings:
            counts[f.severity] += 1
    total = sum(counts.values())
    errors = [r for r in results if r.error]
    files = len(results) - len(errors)
    if total == 0:
        line = f"未发现问题（检查了 {files} 个文件）。"
    else:
        parts = "，".join(f"{_NAMES[s]} {counts[s]}" for s in (Severity.error, Severity.warning, Severity.info) if counts[s])
        line = f"发现 {total} 个问题（{parts}），检查了 {files} 个文件。"
    if errors:
        line += f" {len(errors)} 个文件无法读取。"
    return style(line, bold=True)
