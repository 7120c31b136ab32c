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


def render(results, rules, color: bool = False, snippets: bool = True, **_) -> str:
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
            out.append(f"{where} {style(f.rule, fg=_COLOURS[f.severity])} {level} {message}")
            if snippets:
                out += _excerpt(f, style)
    out.append(summary(results, style))
    return "\n".join(out) + "\n"


def _excerpt(f, style) -> list[str]:
    first_column, text = f.context
    if not text.strip():
        return []
    start = f.span.column - first_column
    end = min(f.span.end_column if f.span.end_line == f.span.line else first_column + len(text),
              first_column + len(text)) - first_column
    lead, marked = printable(text[:start]), printable(text[start:max(end, start + 1)])
    prefix = "…" if first_column > 1 else ""
    gutter = f"{f.span.line:>5} | "
    shown = prefix + printable(text.replace("\t", " "))
    caret = " " * width(gutter + prefix) + " " * width(lead.replace("\t", " ")) + "^" * max(1, width(marked))
    return [style(gutter, dim=True) + shown, style(caret, fg=_COLOURS[f.severity])]


def summary(results, style=lambda t, **k: t) -> str:
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
