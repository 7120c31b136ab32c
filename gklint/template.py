"""Rule messages: a template language that cannot run code.

A message is plain text with `{{ name }}` or `{{ name | filter }}` holes,
nothing else: no attributes, no calls, no indexing, no statements. Rule
files are untrusted (a rule pack can sit in a repository somebody else
controls), so a template is checked when the rule is loaded, against the
values its check primitive documents, and a wrong one is a load error with
its position. Rendering fills holes from a dict of values found by a check;
it never looks anything up on an object.
"""

from __future__ import annotations

from dataclasses import dataclass

from . import regexes
from .parse.text import format_number

# Values every message can use, whatever its check.
COMMON_VALUES = ("year", "agency", "era")
MESSAGE_LIMIT = 2000  # characters of one rendered message
VALUE_LIMIT = 300  # characters of one filled-in value (report text can be long)

_HOLE = regexes.compile(r"\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*(?:\|\s*([a-z_]+)\s*)?\}\}")
_OPENERS = regexes.compile(r"\{\{|\{%|\{#|\}\}")


def _number(value) -> str:
    return format_number(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else str(value)


def _short(value) -> str:
    text = _number(value)
    return text if len(text) <= 20 else text[:20] + "…"


FILTERS = {
    "number": _number,  # 12 not 12.0
    "short": _short,  # the first 20 characters
    "trim": lambda value: _number(value).strip(),
}


class TemplateError(Exception):
    """A message template outside the language; `position` is its offset."""

    def __init__(self, message: str, position: int, token: str):
        super().__init__(message)
        self.position = position
        self.token = token


@dataclass(frozen=True)
class Template:
    """Literal text and holes, alternating: parts[0], hole, parts[1], …"""

    parts: tuple[str, ...]
    holes: tuple[tuple[str, str | None], ...]

    def render(self, values: dict) -> str:
        out = [self.parts[0]]
        for (name, filter_name), literal in zip(self.holes, self.parts[1:]):
            value = values.get(name, "")
            text = FILTERS[filter_name](value) if filter_name else _number(value)
            out.append(text if len(text) <= VALUE_LIMIT else text[:VALUE_LIMIT] + "…")
            out.append(literal)
        message = "".join(out)
        return message if len(message) <= MESSAGE_LIMIT else message[:MESSAGE_LIMIT] + "…"


def compile_template(text: str, allowed: set[str] | frozenset[str] | None = None) -> Template:
    """Parse a message; `allowed` names the values it may use (None: any name)."""
    parts, holes, last = [], [], 0
    for marker in _OPENERS.finditer(text):
        if marker.start() < last:
            continue
        if marker.group() != "{{":
            raise TemplateError(f"`{marker.group()}`: only {{{{ name }}}} and {{{{ name | filter }}}} are allowed",
                                marker.start(), marker.group())
        hole = _HOLE.match(text, marker.start())
        if hole is None:
            end = text.find("}}", marker.start())
            token = text[marker.start(): end + 2 if end >= 0 else len(text)]
            raise TemplateError(f"`{token[:60]}`: a message may only hold {{{{ name }}}} or {{{{ name | filter }}}}"
                                " (no attributes, calls or expressions)", marker.start(), token)
        name, filter_name = hole.group(1), hole.group(2)
        if allowed is not None and name not in allowed:
            raise TemplateError(f"`{name}` is not a value of this check (values: {', '.join(sorted(allowed))})",
                                hole.start(1), hole.group())
        if filter_name is not None and filter_name not in FILTERS:
            raise TemplateError(f"unknown filter `{filter_name}` (filters: {', '.join(sorted(FILTERS))})",
                                hole.start(2), hole.group())
        parts.append(text[last: marker.start()])
        holes.append((name, filter_name))
        last = hole.end()
    parts.append(text[last:])
    return Template(tuple(parts), tuple(holes))
