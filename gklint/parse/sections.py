"""Headings by numbering: 一、 / （一） (一) / 1. 1、 / （1）, nested by family.

Markdown `#` levels are ignored (reports get them wrong); the numbering family
decides the level. `**三是…**` and 一是/二是 run-ins are not headings.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..document import Piece, Section, Span, TextRun
from .text import cn_number

_CN = "一二三四五六七八九十"
_HEADING = re.compile(
    # Each optional part of the lead ends its own spaces, so a line of spaces
    # has one way to match, not one per split (quadratic on 20,000 spaces).
    rf"^(?P<lead>\s*(?:#{{1,6}}\s*)?(?:\*\*\s*)?)"
    rf"(?P<marker>第[{_CN}]+部分|[{_CN}]+、|[（(]\s*[{_CN}]+\s*[)）]|\d{{1,2}}\s*[、.．](?!\d)|[（(]\s*\d{{1,2}}\s*[)）])"
    rf"\s*(?P<rest>.*)$"
)
_FAMILY_ORDER = ("part", "cn", "paren_cn", "arabic", "paren_arabic")
_TITLE_END = re.compile(r"[。：:；;！!？?]|\*\*")


@dataclass
class Heading:
    line: int  # 1-based
    marker: str
    family: str
    ordinal: int
    title: TextRun
    body: TextRun | None  # run-in text after the title on the same line
    span: Span


def family_of(marker: str) -> tuple[str, int]:
    digits = re.sub(r"[\s（()）、.．第部分]", "", marker)
    if marker.startswith("第"):
        return "part", cn_number(digits) or 0
    if marker[0] in "（(":
        if digits.isdigit():
            return "paren_arabic", int(digits[-9:])
        return "paren_cn", cn_number(digits) or 0
    if digits.isdigit():
        return "arabic", int(digits[-9:])
    return "cn", cn_number(digits) or 0


def match_heading(line: str, number: int) -> Heading | None:
    """The heading on this line, if it starts with a section number."""
    match = _HEADING.match(line)
    if not match:
        return None
    rest = match.group("rest")
    family, ordinal = family_of(match.group("marker").strip())
    if not rest.strip() or ordinal == 0:
        return None
    if family == "arabic" and re.match(r"^\d", rest):
        return None
    rest_start = match.start("rest")
    title_len = _title_length(rest)
    title_text = rest[:title_len].rstrip()
    if not title_text.replace("*", "").strip():
        return None
    title = TextRun([Piece(number, rest_start + 1, title_text)])
    after = rest[title_len:]
    after_start = rest_start + title_len
    stripped = after.lstrip("。：:；;！!？? *")
    body = None
    if stripped.strip():
        offset = after_start + len(after) - len(stripped)
        body = TextRun([Piece(number, offset + 1, stripped.rstrip())])
    marker_start = match.start("marker")
    span = Span(number, marker_start + 1, number, len(line.rstrip()) + 1)
    return Heading(number, match.group("marker").strip(), family, ordinal, title, body, span)


def _title_length(rest: str) -> int:
    """A heading's title runs to its first stop (。：**); a numbered list item
    with a long first sentence gets its first clause as title."""
    end = _TITLE_END.search(rest)
    if end and end.start() <= 50:
        return end.start()
    if not end and len(rest) <= 50:
        return len(rest)
    comma = re.search(r"[，,]", rest)
    return comma.start() if comma and comma.start() <= 50 else min(len(rest), 50)


def nest(sections: list[tuple[Heading, Section]]) -> list[Section]:
    """Nest sections by numbering family: a family already open closes back to
    its level (a sibling); a new family opens one level deeper."""
    roots: list[Section] = []
    stack: list[tuple[str, Section]] = []
    for heading, section in sections:
        families = [f for f, _ in stack]
        if heading.family in families:
            del stack[families.index(heading.family):]
        elif stack and _outranks(heading.family, families):
            while stack and _FAMILY_ORDER.index(stack[-1][0]) >= _FAMILY_ORDER.index(heading.family):
                stack.pop()
        section.level = len(stack) + 1
        (stack[-1][1].children if stack else roots).append(section)
        stack.append((heading.family, section))
    return roots


def _outranks(family: str, open_families: list[str]) -> bool:
    """A 一、 heading after （一） and 1. closes them even if 一、 was never open."""
    rank = _FAMILY_ORDER.index(family)
    return all(_FAMILY_ORDER.index(f) > rank for f in open_families)
