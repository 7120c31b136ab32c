"""Title (agency, report year) and the closing signature (落款 and date)."""

from __future__ import annotations

import re
from datetime import date

from .. import regexes
from ..document import Piece, Signature, Span, TextRun, Title
from ..source import fold
from .text import CN_DIGITS, cn_number, squeeze

_TITLE_WORDS = regexes.compile(r"(年度报告|工作报告|年报|年度工作情况)")
_YEAR = regexes.compile(r"((?:19|20)\d{2})\s*年")
_CN_NUM = "〇零○一二三四五六七八九十"
DATE = regexes.compile(
    r"(?P<y>(?:19|20)\d{2})\s*年\s*(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})\s*日"
    rf"|(?P<cy>[{_CN_NUM}]{{4}})\s*年\s*(?P<cm>[{_CN_NUM}]{{1,2}})\s*月\s*(?P<cd>[{_CN_NUM}]{{1,3}})\s*日"
)
_DATE_LINE = regexes.compile(rf"^\s*(?:(?P<agency>\S.{{1,40}}?)\s+)?(?P<date>{DATE.pattern})\s*$")
# a web page's navigation printed with it (首页 > 政务公开 > 年报; 当前位置：首页 政务公开): never the title
_SITE_NAV = regexes.compile(r"^(?:当前位置|您的位置|你的位置)\s*[:：]|^首页(?:\s|[>＞»/]|$)|\S\s*[>＞»]\s*\S.*[>＞»]")


def _is_site_nav(line: str) -> bool:
    """A short line of a web page's navigation (a sentence of the report is never one)."""
    line = line.strip()
    return len(line) <= 60 and "。" not in line and bool(_SITE_NAV.search(line))
_AGENCY_AFTER_YEAR = regexes.compile(r"^(?:年度)?(.+?)(?:政府信息公开|政务公开)")


def to_date(match: re.Match) -> date | None:
    """A date from a DATE match, Arabic or Chinese numerals; None if impossible."""
    try:
        if match.group("y"):
            return date(int(match.group("y")), int(match.group("m")), int(match.group("d")))
        year = int("".join(str(CN_DIGITS[c]) if c in CN_DIGITS else "0" for c in match.group("cy")))
        return date(year, _cn_small(match.group("cm")), _cn_small(match.group("cd")))
    except (ValueError, KeyError, TypeError):
        return None


def _cn_small(text: str) -> int:
    value = cn_number(text.replace("〇", "零").replace("○", "零").replace("零", ""))
    if value is None:
        raise ValueError(text)
    return value


def find_title(lines: list[str], stop: int, skip: set[int] = frozenset()) -> Title | None:
    """The report title: a short line naming the report near the top, with the
    line before it when that holds the agency (PDF titles break in two).
    Lines in `skip` (tables: a web page's metadata block) are not counted."""
    seen = 0
    for i in range(min(stop, len(lines))):
        line = lines[i].strip()
        if not line or i in skip or _PAGE_DATE.search(fold(line)) or _is_site_nav(line):
            continue
        seen += 1
        if seen > 4:
            break  # no title line near the top: it may be named in the first sentence
        clean = line.lstrip("#").strip().strip("*").strip()
        if _TITLE_WORDS.search(clean) and len(clean) <= 80 and "。" not in clean:
            return _title(lines, i)
        rest = _title_rest(lines, i, clean)
        if rest is not None:
            return _title(lines, i, rest)
    return _title_in_preamble(lines, stop)


def _title_rest(lines: list[str], i: int, clean: str) -> int | None:
    """The line a long title wraps onto in a PDF (…政府信息公开工作年度 / 报告): short,
    without punctuation, and completing the words that name a report."""
    following = _next_nonblank(lines, i)
    if following is None or "。" in clean or len(clean) > 60:
        return None
    rest = lines[following].strip()
    if len(rest) > 12 or re.search(r"[。，,：:；]", rest) or not _TITLE_WORDS.search(clean + rest):
        return None
    return following


def site_navigation(lines: list[str], stop: int) -> set[int]:
    """Lines before `stop` (the title, or the first heading) that are a web page's
    navigation printed with it: not part of the report."""
    return {i for i in range(min(stop, len(lines))) if _is_site_nav(lines[i])}


_ANNOUNCED = regexes.compile(
    r"(?:发布|公布|印发|编制|形成|现将)[^。]{0,12}?《?(?P<t>[^《》。，,；]{2,60}?(?:19|20)\d{2}\s*年度?"
    r"[^《》。，,；]{0,20}?(?:年度报告|工作报告|年报))》?"
)


def _title_in_preamble(lines: list[str], stop: int) -> Title | None:
    """A report whose title line was lost often names itself in its first
    sentence (现向社会公布《××局2023年政府信息公开工作年度报告》): that is its title.
    The sentence may be wrapped over several lines (a PDF's lines), so the
    first paragraphs are searched joined."""
    for first, group in _first_paragraphs(lines, stop, 3):
        joined = "".join(group)
        match = _ANNOUNCED.search(joined)
        if match:
            start = match.start("t") + len(match.group("t")) - len(match.group("t").lstrip())
            text = match.group("t").strip()
            run = TextRun(_pieces(group, first, start, start + len(text)))
            agency, year = agency_and_year(text)
            return Title(text=run, span=run.span(), agency=agency, year=year, inline=True)
    return None


def _first_paragraphs(lines: list[str], stop: int, count: int):
    """(first line number, lines) of the first `count` runs of non-blank lines before `stop`."""
    group, first = [], 0
    for i in range(min(stop, len(lines))):
        if lines[i].strip():
            if not group:
                first = i + 1
            group.append(lines[i])
            continue
        if group:
            yield first, group
            count -= 1
            group = []
            if not count:
                return
    if group:
        yield first, group


def _pieces(group: list[str], first: int, start: int, end: int) -> list:
    """The pieces of lines `group` (numbered from `first`) covering joined offsets [start, end)."""
    pieces, offset = [], 0
    for k, line in enumerate(group):
        lo, hi = max(start, offset), min(end, offset + len(line))
        if lo < hi:
            pieces.append(Piece(first + k, lo - offset + 1, line[lo - offset:hi - offset]))
        offset += len(line)
    return pieces


# The line above a title that starts the agency's name (吴忠市 / 政务服务中心2023年…),
# not a web page's column name printed above it (政府信息公开 / 某区2016年…)
_NAME_START_END = regexes.compile(r"(?:省|市|区|县|州|盟|旗|镇|乡|街道|政府|局|委员会|委|办公室|办公厅|中心|院|所|处)$")
_COLUMN_NAME = regexes.compile(r"^(?:政府信息公开|政务公开|信息公开)?(?:年度报告|年报|专栏|目录)?$|^正文$|^通知公告$")
_PLACE_FIRST = regexes.compile(r"^.{1,12}?(?:省|市|区|县|州|盟|旗)")


def _title(lines: list[str], i: int, rest: int | None = None) -> Title:
    pieces = []
    prev = _previous_nonblank(lines, i)
    if prev is not None and _continues_into(lines[prev].strip(), lines[i].strip()) and _is_first(lines, prev):
        pieces.append(_line_piece(lines, prev))
    pieces.append(_line_piece(lines, i))
    if rest is not None:
        pieces.append(_line_piece(lines, rest))
        i = rest
    following = _next_nonblank(lines, i)
    if following is not None and not _YEAR.search(lines[i]) and _YEAR_LINE.match(lines[following].strip()):
        pieces.append(_line_piece(lines, following))  # 政府信息公开工作年度报告 / （2023年度）
    run = TextRun(pieces)
    agency, year = agency_and_year(run.text)
    return Title(text=run, span=run.span(), agency=agency, year=year)


def _continues_into(above: str, title: str) -> bool:
    """The short line above the title line is the first part of the title
    (not a web column name): the title starts with its year (the agency is
    above it), the line above ends the way a place or agency name ends, or
    the title's own name does not start with a place (…服务 / 中心2023年…)."""
    if len(above) > 25 or re.search(r"[。，,：:；]", above) or _is_site_nav(above) or _COLUMN_NAME.match(above):
        return False
    year = _YEAR.search(title)
    named = (title[: year.start()] if year else title).strip("《 ")
    return not named or bool(_NAME_START_END.search(above)) or not _PLACE_FIRST.match(named)


def agency_and_year(title: str) -> tuple[str | None, int | None]:
    text = squeeze(fold(title)).replace("*", "").replace("#", "").strip("《》 ")
    match = _YEAR.search(text)
    if not match:
        return None, None
    year = int(match.group(1))
    before = _REPORT_SUBJECT.sub("", text[: match.start()].strip("《》\"'关于 "))
    if before:
        return _named(before), year
    after = _AGENCY_AFTER_YEAR.match(text[match.end():])
    return (_named(after.group(1)) if after else None), year


# 重庆市××办公室政府信息公开工作2022年度报告: the words before the year name the work, then the body
_REPORT_SUBJECT = regexes.compile(r"(?:政府信息公开|政务公开)(?:工作)?$")
# 现将我局2022年度…报告如下: "our bureau" is no name a supervisor can file the report under
_PRONOUN = regexes.compile(r"^(?:我|本)(?:局|办|委|厅|院|署|会|处|科|站|所|中心|单位|机关|部门|街道|镇|乡|区|县|市|省)$")


def _named(words: str) -> str | None:
    return None if _PRONOUN.match(words) else words


# The report's name is found first and the words before it read backwards: a
# regex starting with the up-to-40 characters of the name tried them from
# every character of the text.
_REPORT_NAME = regexes.compile(r"(?:19|20)\d{2}\s*年度?政府信息公开(?:工作)?(?:年度)?(?:报告|年报)")
_NAME_REACH = 40
_LEAD_VERBS = regexes.compile(r".*(?:公布|发布|现将|编制|印发|是|的|《|对)")


def agency_from_text(text: str) -> str | None:
    """The agency named in a sentence like 现向社会公布X2017年度政府信息公开年度报告."""
    words = _words_before_report_name(squeeze(fold(text)))
    if words is None:
        return None
    name = _LEAD_VERBS.sub("", words)
    return _named(name) if len(name) >= 2 else None


def _words_before_report_name(text: str) -> str | None:
    """The Chinese characters (and brackets) just before the first report
    name that has at least two of them, at most _NAME_REACH."""
    for name in _REPORT_NAME.finditer(text):
        end = name.start()
        while end > 0 and text[end - 1].isspace():
            end -= 1
        start = end
        while start > 0 and end - start < _NAME_REACH and _is_name_char(text[start - 1]):
            start -= 1
        if end - start >= 2:
            return text[start:end]
    return None


def _is_name_char(char: str) -> bool:
    return "\u4e00" <= char <= "\u9fff" or char in "（）()"


def _line_piece(lines: list[str], i: int) -> Piece:
    line = lines[i]
    start = len(line) - len(line.lstrip())
    body = line.strip()
    hashes = len(body) - len(body.lstrip("#"))
    start += hashes + (len(body[hashes:]) - len(body[hashes:].lstrip()))
    return Piece(i + 1, start + 1, line[start:].rstrip())


_YEAR_LINE = regexes.compile(r"^[（(]?\s*(?:19|20)\d{2}\s*年度?\s*[）)]?$")


def _next_nonblank(lines: list[str], i: int) -> int | None:
    for j in range(i + 1, min(i + 3, len(lines))):
        if lines[j].strip():
            return j
    return None


def _previous_nonblank(lines: list[str], i: int) -> int | None:
    for j in range(i - 1, -1, -1):
        if lines[j].strip():
            return j
    return None


def _is_first(lines: list[str], i: int) -> bool:
    """Nothing but blank lines (or a printed page's navigation) above line i."""
    return all(not lines[j].strip() or _is_site_nav(lines[j]) for j in range(i))


def find_signature(lines: list[str], taken: set[int], first: int = 0) -> tuple[Signature, set[int]] | None:
    """The last standalone date line outside tables, from line index `first`
    on (a date above the first heading dates the report, it is no 落款), with
    the issuing body on the same line or the short line just above it."""
    for i in range(len(lines) - 1, first - 1, -1):
        if i in taken or "日" not in lines[i]:
            continue
        match = _DATE_LINE.match(fold(lines[i]))
        if not match or (match.group("agency") and not _looks_like_agency(match.group("agency"))):
            continue
        used = {i}
        line = lines[i]
        start = len(line) - len(line.lstrip())
        span = Span(i + 1, start + 1, i + 1, len(line.rstrip()) + 1)
        agency = match.group("agency")
        if agency:
            agency = agency.strip()
        else:
            prev = _previous_nonblank(lines, i)
            if prev is not None and prev not in taken and _looks_like_agency(lines[prev]):
                agency = squeeze(lines[prev])
                used.add(prev)
                p = lines[prev]
                span = Span(prev + 1, len(p) - len(p.lstrip()) + 1, span.end_line, span.end_column)
        date_match = DATE.search(fold(lines[i]))
        signed = to_date(date_match) if date_match else None
        return Signature(span=span, agency=agency, date=signed, date_text=date_match.group() if date_match else ""), used
    return None


def find_dateline(lines: list[str], stop: int, taken: set[int]) -> tuple[date, str, Span] | None:
    """A date standing alone between the title and the first heading
    (2015年3月13日, （2024年1月20日）): the date the report was issued."""
    for i in range(min(stop, len(lines))):
        if i in taken or "日" not in lines[i]:
            continue
        text = fold(lines[i]).strip().strip("（）() ")
        match = DATE.fullmatch(text)
        signed = to_date(match) if match else None
        if signed:
            start = lines[i].index(lines[i].strip())
            return signed, lines[i].strip(), Span(i + 1, start + 1, i + 1, start + len(lines[i].strip()) + 1)
    return None


_YMD = r"(?P<y>(?:19|20)\d{2})\s*[-/.年]\s*(?P<m>\d{1,2})\s*[-/.月]\s*(?P<d>\d{1,2})"  # 2024-01-20, 2024年1月20
_PAGE_DATE = regexes.compile(rf"(?:发布|生成|发文|成文|印发|公开)(?:日期|时间)\s*[:：]?\s*{_YMD}")


# A CMS's article head: 来源：区人民政府办公室 时间：2017-01-12 10:01 (a bare
# 时间 is the page's date only on the line that names the source)
_SOURCE = regexes.compile(r"来源\s*[:：]")
_SOURCE_TIME = regexes.compile(rf"(?<!更新)(?:时间|日期)\s*[:：]\s*{_YMD}")
_PAGE_HEAD, _PAGE_FOOT = 15, 10  # lines where a page's own date sits, around the article


def find_page_date(lines: list[str], taken: set[int]) -> tuple[date, str, Span] | None:
    """A web page's own date (发布日期：2024-01-20, 发布时间, 生成日期), which web
    reports carry instead of a 落款: the first one outside tables in the head
    or foot of the page (a date in the middle belongs to something pasted in)."""
    near = [*range(min(_PAGE_HEAD, len(lines))), *range(max(_PAGE_HEAD, len(lines) - _PAGE_FOOT), len(lines))]
    for i in near:
        line = lines[i]
        if i in taken or "期" not in line and "间" not in line:
            continue
        folded = fold(line)
        match = _PAGE_DATE.search(folded) or (_SOURCE.search(folded) and _SOURCE_TIME.search(folded))
        if not match:
            continue
        try:
            found = date(int(match.group("y")), int(match.group("m")), int(match.group("d")))
        except ValueError:
            continue
        return found, " ".join(match.group().split()), Span(i + 1, match.start() + 1, i + 1, match.end() + 1)
    return None


def _looks_like_agency(line: str) -> bool:
    text = line.strip()
    return 2 <= len(text) <= 30 and not re.search(r"[。，,：:；;、（）()]", text) and not re.match(r"^[#*\d一二三四五六七八九十]", text)
