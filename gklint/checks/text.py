"""Text checks: patterns that must or must not appear, doubled words,
malformed URLs and e-mail addresses.

Han text has no word boundaries, so no pattern here relies on \\b between
Chinese characters.
"""

from __future__ import annotations

import bisect
import re
from typing import Iterator

from .. import regexes
from ..document import UNSURE_OCR
from ..fix import Edit
from ..scope import Context
from . import Hit, Param, primitive
from .anchors import line_span
from .anchors import top_span as _top_span


@primitive(
    values=('count', 'match', 'scope'),
    pattern=Param("regex"),
    mode=Param("choice", choices=("must", "must_not"), default="must_not", required=False),
    scope=Param("str", default="document", required=False),
    per=Param("choice", choices=("match", "run"), default="match", required=False,
              doc="must_not: a hit per match, or one per paragraph/cell with a count"),
)
def pattern(ctx: Context, pattern: re.Pattern, mode: str = "must_not", scope: str = "document",
            per: str = "match") -> Iterator[Hit]:
    """must: the pattern appears somewhere in the scope (one hit if not);
    must_not: every match in the scope is a hit (or the first of each run)."""
    joined = ctx.joined(scope)
    if mode == "must":
        if not pattern.search(joined.text):
            yield Hit(_top_span(ctx), {"scope": scope}, key=scope)
        return
    by_run: dict[int, list] = {}
    for match in pattern.finditer(joined.text):
        if match.end() > match.start():
            by_run.setdefault(bisect.bisect_right(joined.starts, match.start()), []).append(match)
    for matches in by_run.values():
        for match in matches[:1] if per == "run" else matches:
            yield Hit(joined.span(match.start(), match.end()),
                      {"match": match.group(), "count": len(matches), **match.groupdict()}, key=match.group())


_CJK = "\u4e00-\u9fff"
# A two-character word doubled (信息信息), else one character (的的): the
# second character is tried only where the first could start a double,
# not counted twice and backtracked as ([…]{1,2})\1 did (a quarter faster,
# same matches).
_DOUBLE = regexes.compile(rf"([{_CJK}])(?:([{_CJK}])\1\2|\1)")


@primitive(
    values=('match',),
    function_words=Param("str", doc="single characters that are a typo when doubled (的的, 和和)"),
    allow=Param("list", required=False, default=(), doc="doubled words that are words (研究研究)"),
    boundary_words=Param("list", required=False, default=(),
                         doc="two-character words that begin with the doubled character: 以及|及时 is 以及及时"),
    scope=Param("str", default="document", required=False),
)
def doubled_word(ctx: Context, function_words: str, allow=(), boundary_words=(),
                 scope: str = "document") -> Iterator[Hit]:
    """A character or two-character word written twice: 的的, 信息信息.
    Single characters count only when they are function words (人人, 常常 are
    words); AABB forms (的的确确, 清清楚楚) are words too, and so is a word
    boundary falling between the two (以及|及时, 所有|有关)."""
    allowed = set(allow)
    boundaries = set(boundary_words)
    for run in (ctx.joined(scope),):
        text = run.text
        for match in _DOUBLE.finditer(text):
            unit, doubled = match.group(1) + (match.group(2) or ""), match.group()
            if doubled in allowed or (len(unit) == 2 and unit[0] == "一"):  # 一件一件, 一户一户: words
                continue
            if len(unit) == 1:
                if unit not in function_words or _is_aabb(text, match.start(), match.end()):
                    continue
                if text[match.start() + 1: match.end() + 1] in boundaries:
                    continue
            yield Hit(run.span(match.start(), match.end()), {"match": doubled}, key=doubled,
                      edits=(Edit(run.span(match.start(), match.end()), unit),))


def _is_aabb(text: str, start: int, end: int) -> bool:
    after = text[end:end + 2]
    before = text[max(0, start - 2):start]
    return (len(after) == 2 and after[0] == after[1]) or (len(before) == 2 and before[0] == before[1])


# Bounded reach and a look-behind before each run keep these linear: a long
# run of letters, or `www.` repeated, is scanned once, not once per start.
# The look-behinds come after the first character, so the regex engine can
# skip to the characters a match starts with.
_URL_BROKEN = regexes.compile(r"(?:https?://|www\.)[A-Za-z0-9./:_-]{0,200}?[./]\s+[A-Za-z0-9-]+(?:\.[A-Za-z]{2,})+")
_URL_BAD_SCHEME = regexes.compile(r"h(?<![A-Za-z]h)(?:tp|tps|ttp:/(?!/)|ttps:/(?!/)|ttp//|ttps//|ttp：//|ttps：//)[^\s，。]*")
_EMAIL_LIKE = regexes.compile(r"[A-Za-z0-9._%+-](?<![A-Za-z0-9._%+-][A-Za-z0-9._%+-])[A-Za-z0-9._%+-]*\s*[@＠]\s*[A-Za-z0-9.-]*")
_EMAIL = regexes.compile(r"^[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}$")


@primitive(values=('kind', 'match'), scope=Param("str", default="document", required=False))
def url_email(ctx: Context, scope: str = "document") -> Iterator[Hit]:
    """A web address broken by a space or with a mangled scheme, or an e-mail
    address that is not one (no domain, full-width ＠, spaces)."""
    for run in (ctx.joined(scope),):
        text = run.text
        has_url = "http" in text or "www" in text or "htp" in text
        for regex in (_URL_BROKEN, _URL_BAD_SCHEME) if has_url else ():
            for match in regex.finditer(text):
                mended = _mended_url(match.group())
                yield Hit(run.span(match.start(), match.end()), {"match": match.group(), "kind": "网址"},
                          key=match.group(),
                          edits=(Edit(run.span(match.start(), match.end()), mended),) if mended else ())
        for match in _EMAIL_LIKE.finditer(text) if ("@" in text or "＠" in text) else ():
            candidate = match.group().rstrip(".")
            if not _EMAIL.match(candidate):
                mended = re.sub(r"\s+", "", candidate).replace("＠", "@")
                span = run.span(match.start(), match.start() + len(candidate))
                yield Hit(span, {"match": candidate, "kind": "电子邮箱"}, key=candidate,
                          edits=(Edit(span, mended),) if _EMAIL.match(mended) else ())


def _mended_url(found: str) -> str | None:
    """A web address with its spaces and full-width colon taken out and `//` restored, if that
    leaves a well-formed one; a misspelt scheme (htp) is left to the writer."""
    mended = re.sub(r"\s+", "", found).replace("：", ":")
    mended = re.sub(r"^(https?):?/{1,2}(?=[A-Za-z0-9])", r"\1://", mended)
    if mended != found and re.match(r"^(?:https?://|www\.)[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+[A-Za-z0-9./?=&%_#:-]*$", mended):
        return mended
    return None


@primitive(values=("count", "pages"))
def ocr_doubts(ctx: Context) -> Iterator[Hit]:
    """Narrative lines recognised by OCR whose figures were read with low confidence: one hit at
    the first (a table with such lines is not assessable: GK360 says so)."""
    doc = ctx.doc
    tables = {n for t in doc.tables() for n in range(t.span.line, t.span.end_line + 1)}
    marked = [n for n, where in enumerate(doc.locations or (), 1) if UNSURE_OCR in where and n not in tables]
    if marked:
        pages = dict.fromkeys(doc.locations[n - 1].split("页", 1)[0] + "页" for n in marked)  # in order, once
        yield Hit(line_span(ctx, marked[0]), {"count": len(marked), "pages": "、".join(pages)}, key="ocr-doubts")


_PASSAGE_UNIT = 30
_NON_HAN = regexes.compile(r"[^\u4e00-\u9fff]+")
_QUOTE_MARKS = regexes.compile("[“”《》]")


@primitive(values=('line', 'passage'), min_chars=Param("int", required=False, default=_PASSAGE_UNIT, doc="shortest repeated run counted"))
def repeated_passage(ctx: Context, min_chars: int = _PASSAGE_UNIT) -> Iterator[Hit]:
    """The same passage twice in one report: a fragment pasted twice, or a
    paragraph copied into another section. Paragraphs are cut into runs of
    Chinese characters (numbers and punctuation are cuts, so changed figures
    do not hide a copy); three runs in a row, of min_chars characters or
    more, found again elsewhere make a repeated passage."""
    seen: dict[tuple, int] = {}
    paragraphs = ctx.doc.paragraphs()
    for index, paragraph in enumerate(paragraphs):
        runs = [r for r in _NON_HAN.split(paragraph.text.text) if len(r) >= 2]
        sizes = [len(r) for r in runs]
        found = None
        for k in range(len(runs) - 2):
            if sizes[k] + sizes[k + 1] + sizes[k + 2] < min_chars:
                continue
            key = (runs[k], runs[k + 1], runs[k + 2])
            first = seen.setdefault(key, index)
            if first != index and found is None:
                found = (first, "".join(key))
        if found:
            yield Hit(paragraph.span, {"line": paragraphs[found[0]].span.line, "passage": found[1][:20]},
                      key=found[1])


_PAIRS = (("“", "”", "引号"), ("《", "》", "书名号"))


@primitive(values=('kind', 'mark', 'missing'), scope=Param("str", default="body", required=False))
def balanced_quotes(ctx: Context, scope: str = "body") -> Iterator[Hit]:
    """Chinese quotation marks and book-title marks that do not pair up
    within a paragraph (“互联网+政务服务”改革 with its “ lost)."""
    for run in ctx.runs(scope):
        text = run.text
        if "”" not in text and "》" not in text:
            continue
        for opener, closer, name in _PAIRS:
            depth = 0
            for mark in _QUOTE_MARKS.finditer(text):
                index, char = mark.start(), mark.group()
                if char == opener:
                    depth += 1
                elif char == closer:
                    if depth == 0:
                        yield Hit(run.span(index, index + 1), {"mark": closer, "missing": opener, "kind": name},
                                  key=f"{closer}:{text[max(0, index - 8):index]}")
                        break
                    depth -= 1


# The mark first, then the look back: the regex engine can skip to the marks.
_HALF_WIDTH = regexes.compile(r"[,;:?!](?<=[\u4e00-\u9fff][,;:?!])(?=[\u4e00-\u9fff])")


@primitive(values=('count', 'mark'), minimum=Param("int", required=False, default=3))
def halfwidth_punctuation(ctx: Context, minimum: int = 3) -> Iterator[Hit]:
    """Half-width , ; : between Chinese characters, counted over the report (one finding)."""
    joined = ctx.joined("document")
    matches = list(_HALF_WIDTH.finditer(joined.text))
    if len(matches) >= minimum:
        first = matches[0]
        edits = tuple(Edit(joined.span(m.start(), m.end()), _FULL_WIDTH[m.group()]) for m in matches)
        yield Hit(joined.span(first.start(), first.end()), {"count": len(matches), "mark": first.group()},
                  key="halfwidth", edits=edits)


_FULL_WIDTH = {",": "，", ";": "；", ":": "：", "?": "？", "!": "！"}
