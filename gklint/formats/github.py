"""GitHub Actions workflow commands: ::error file=…,line=…,col=…::message."""

from __future__ import annotations

from ..finding import Severity
from ..output import printable

_LEVEL = {Severity.error: "error", Severity.warning: "warning", Severity.info: "notice"}


def _escape(text: str, prop: bool = False) -> str:
    text = printable(text).replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    if prop:
        text = text.replace(":", "%3A").replace(",", "%2C")
    return text


def render(results, rules, **_) -> str:
    lines = []
    for result in results:
        for f in result.findings:
            props = (f"file={_escape(f.path, True)},line={f.span.line},col={f.span.column},"
                     f"endLine={f.span.end_line},endColumn={f.span.end_column},title={_escape(f.rule + ' ' + f.name, True)}")
            lines.append(f"::{_LEVEL[f.severity]} {props}::{_escape(f.message)}")
    return "\n".join(lines) + ("\n" if lines else "")
