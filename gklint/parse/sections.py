"""Headings by numbering: 一、 / （一） (一) / 1. 1、 / （1）, nested by family.

Markdown `#` levels are ignored (reports get them wrong); the numbering family
decides the level. `**三是…**` and 一是/二是 run-ins are not headings.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .. import regexes
from ..document import Piece, Section, Span, TextRun
from .text import cn_number, label_key

_CN = "一二三四五六七八九十"
_HEADING = regexes.compile(
    # Each optional part of the lead ends its own spaces, so a line of spaces
    # has one way to match, not one per split (quadratic on 20,000 spaces).
    rf"^(?P<lead>\s*(?:#{{1,6}}\s*)?(?:\*\*\s*)?)"
    rf"(?P<marker>第[{_CN}]+部分|[{_CN}]+、|[（(]\s*[{_CN}]+\s*[)）]|\d{{1,2}}\s*[、.．](?!\d)|[（(]\s*\d{{1,2}}\s*[)）])"
    rf"\s*(?P<rest>.*)$"
)
_FAMILY_ORDER = ("part", "cn", "paren_cn", "arabic", "paren_arabic")
# Row labels of the official tables (表三, 表四, the pre-2019 统计表). A line
# "（一）予以公开 1288 21 0 …" from a converted table is a row, not a heading.
_TABLE_ROW_LABELS = frozenset(label_key(x) for x in (
    "本年新收政府信息公开申请数量", "上年结转政府信息公开申请数量", "本年度办理结果", "予以公开", "部分公开",
    "不予公开", "无法提供", "不予处理", "其他处理", "总计", "结转下年度继续办理",
    "主动公开情况", "回应解读情况", "依申请公开情况", "行政复议数量", "行政诉讼数量", "举报投诉数量",
    "依申请公开信息收取的费用", "机构建设和保障经费情况", "政府信息公开会议和培训情况",
    "主动公开政府信息数", "收到申请数", "申请办结数", "申请答复数", "维持具体行政行为数", "被依法纠错数",
    "其他情形数", "维持具体行政行为或者驳回原告诉讼请求数", "政府信息公开工作专门机构数",
    "设置政府信息公开查阅点数", "从事政府信息公开工作人员数", "召开政府信息公开工作会议或专题会议数",
    "举办各类培训班数", "接受培训人员数", "通过不同渠道和方式公开政府信息的情况",
    "通过不同渠道和方式回应解读的情况", "回应公众关注热点或重大舆情数", "政府信息公开专项经费",
))
_ROW_TAIL = regexes.compile(r"^[\s\d.,，%％件条个项次人篇万元—\-/（）()]*$")
_TITLE_END = regexes.compile(r"[。：:；;！!？?]|\*\*")


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
    if _is_table_row(title_text, rest[title_len:], family):
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


def _is_table_row(title: str, after: str, family: str) -> bool:
    """An official table's row label followed by nothing but its figures (or a
    one-character fragment of a label a PDF broke, like "（三）不"). A group
    title of the 统计表 (…情况, a 一、 row without figures) numbered （一） and
    standing alone is the heading of a part of 总体情况: （一）主动公开情况."""
    label = re.sub(r"[\s\d.,，%％—\-]+$", "", title.replace("*", ""))
    key = label_key(re.sub(r"[（(][^）)]*[）)]", "", label))
    figures = title[len(label):] + after
    if len(key) <= 1:
        return True
    if family != "cn" and key.endswith("情况") and not figures.strip():
        return False
    return key in _TABLE_ROW_LABELS and bool(_ROW_TAIL.match(figures))


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
