"""Small text helpers shared by the parsers: numbers, labels, markers."""

from __future__ import annotations

from functools import lru_cache

from .. import regexes
from ..source import fold

CN_DIGITS = {"零": 0, "〇": 0, "○": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5,
             "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}

# Whitespace touching a non-ASCII character is layout, not content:
# "三、 本 年 办 理 结 果", "社会 稳定", "2017 年度".
_CJK_SPACE = regexes.compile(r"\s+(?=[^\x00-\x7f])|(?<=[^\x00-\x7f])\s+")
_LEADING_ENUM = regexes.compile(
    r"^(?:[一二三四五六七八九十]+[、.]|\(\s*[一二三四五六七八九十]+\s*\)|\(\s*\d+\s*\)"
    r"|\d+\s*[、.](?!\d)|其中\s*:?)\s*"
)
DASHES = {"-", "--", "---", "—", "——", "-—", "/", "－", "―", "–"}
UNITS = {"条", "件", "次", "篇", "个", "人", "人次", "万元", "元", "项", "家", "场", "期", "户"}
NUMBER = regexes.compile(r"^[-+]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?$")
_NUMBER_WITH_UNIT = regexes.compile(r"^([-+]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?)\s*(万元|元|件|条|个|人次|人|次|篇|项|%)$")


def squeeze(text: str) -> str:
    """Remove layout whitespace around Chinese characters; trim."""
    text = text.strip()
    if " " not in text and "\u3000" not in text and "\t" not in text:
        return text
    return _CJK_SPACE.sub("", text)


@lru_cache(maxsize=8192)
def label_key(text: str) -> str:
    """A row or heading label reduced for matching: folded, no layout spaces,
    no leading numbering, no trailing punctuation, no **bold** marks."""
    key = squeeze(fold(text)).replace("**", "").replace(" ", "")
    for _ in range(2):
        key = _LEADING_ENUM.sub("", key)
    return key.rstrip("。.:;,")


# A count, a sum of money or a percentage in a report has at most a dozen
# digits; a longer run of digits is not a figure anybody can check (and past
# 4,300 digits Python refuses to convert it). It is read as text.
MAX_DIGITS = 15


def amount(text: str) -> float | None:
    """A figure as the narrative states it ('1,234', '96.5'), or None when
    it has more digits than any real figure."""
    raw = text.replace(",", "").replace("，", "")
    if len(raw.split(".")[0].lstrip("+-")) > MAX_DIGITS:
        return None
    return float(raw)


def parse_number(text: str) -> float | int | None:
    """'1,234' -> 1234, '9.5' -> 9.5, '251000元' -> 251000; anything else None."""
    raw = (text if text.isascii() else fold(text)).strip().replace(" ", "")
    match = _NUMBER_WITH_UNIT.match(raw)
    if match:
        raw = match.group(1)
    if not NUMBER.match(raw):
        return None
    raw = raw.replace(",", "")
    if len(raw.split(".")[0].lstrip("+-")) > MAX_DIGITS:
        return None
    return float(raw) if "." in raw else int(raw)


def cell_kind(text: str) -> tuple[str, float | int | None]:
    """Classify a cell: ('blank'|'dash'|'number'|'text', value)."""
    if not text:
        return "blank", None
    if text.isascii() and text.isdigit():
        return ("number", int(text)) if len(text) <= MAX_DIGITS else ("text", None)
    first = text[0]
    if "\u4e00" <= first <= "\u9fff" or first in "（《“【〔":  # a label: the common case
        return "text", None
    stripped = fold(text).strip()
    if not stripped:
        return "blank", None
    if stripped.replace(" ", "") in DASHES:
        return "dash", None
    if not (stripped[0].isdigit() or stripped[0] in "+-"):
        return "text", None
    value = parse_number(stripped)
    if value is not None:
        return "number", value
    return "text", None


def cn_number(text: str) -> int | None:
    """'三' -> 3, '十二' -> 12, '二十一' -> 21; None if not a Chinese numeral."""
    if not text or any(ch not in CN_DIGITS for ch in text):
        return None
    if "十" not in text:
        value = 0
        for ch in text:
            value = value * 10 + CN_DIGITS[ch]
        return value
    tens, _, ones = text.partition("十")
    if len(tens) > 1 or len(ones) > 1 or "十" in ones:  # 三七十, 十三七, 十十: not a numeral
        return None
    return (CN_DIGITS[tens] if tens else 1) * 10 + (CN_DIGITS[ones] if ones else 0)


_NOTE = regexes.compile(r"[（(][^（()）]{4,}[)）]")


def short_label(text: str) -> str:
    """A label for messages: layout spaces and long parenthetical notes removed
    ("专职人员数（不包括政府公报及政府网站工作人员数）" -> "专职人员数")."""
    label = squeeze(text)
    shorter = _NOTE.sub("", label)
    return shorter if len(shorter) >= 2 else label


def format_number(value: float | int) -> str:
    """A number for a message: 12 not 12.0, 96171.6 not 9.61716e+04."""
    if float(value).is_integer():
        return str(int(value))
    return f"{value:.4f}".rstrip("0").rstrip(".")
