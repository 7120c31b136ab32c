"""Structure checks: required content, title and signature, required patterns,
the statistics period, headings altered from the format."""

from __future__ import annotations

import re
from typing import Iterator

from .. import regexes
from ..document import Paragraph, Section
from ..fix import Edit
from ..parse.text import label_key, squeeze
from ..scope import Context
from . import Hit, Param, primitive
from .anchors import end_span as _end_span
from .anchors import lead_span, top_span as _top_span
from .tables import _altered


@primitive(
    values=('item',),
    items=Param("items", doc="[{name, aliases: [...], mentions: [regex…]}]"),
    within=Param("str", required=False, default=None, doc="only inside sections whose title has one of these aliases (a|b)"),
    combine=Param("bool", required=False, default=False, doc="one hit naming every missing item"),
    point_at=Param("str", required=False, default=None,
                   doc="aliases (a|b) of the section where the content belongs: hits point at its heading"),
)
def required_sections(ctx: Context, items: list[dict], within: str | None = None, combine: bool = False,
                      point_at: str | None = None) -> Iterator[Hit]:
    """Each required part of the report is a heading (at any level) whose title
    contains one of its aliases; `mentions` also accept it in the text.
    With `within`, only the headings and text of those sections count."""
    if within:
        parents = ctx.sections([label_key(a) for a in within.split("|")])
        if not parents:
            return
        sections = [d for p in parents for d in _descendants(p)]
        runs = [ctx.joined(f"section:{within}")]
        span = parents[0].title.span()
    else:
        sections, runs, span = ctx.doc.all_sections(), [ctx.joined("document")], _top_span(ctx)
    if point_at:
        targets = ctx.sections([label_key(a) for a in point_at.split("|")])
        span = targets[0].title.span()._replace(column=targets[0].span.column) if targets else span
    titles = [label_key(s.title.text) for s in sections]
    if not within:  # a heading that lost its number (一、) in a web copy is a short line of its own
        titles += [label_key(p.text.text) for p in ctx.doc.paragraphs() if len(p.text.text.strip("*# ")) <= 30]
    missing = []
    for item in items:
        aliases = [label_key(a) for a in item["aliases"]]
        if any(a in t for t in titles for a in aliases):
            continue
        mentions = item.get("mentions") or []
        if mentions and any(re.search(m, run.text) for run in runs for m in mentions):
            continue
        missing.append(item["name"])
    if combine and missing:
        yield Hit(span, {"item": "、".join(missing)}, key="、".join(missing))
    elif not combine:
        for name in missing:
            yield Hit(span, {"item": name}, key=name)


def _descendants(section: Section) -> list[Section]:
    found = []
    for child in section.children:
        if isinstance(child, Section):
            found.append(child)
            found += _descendants(child)
    return found


@primitive(values=('found', 'evidence'), first_year=Param("int", doc="the first report year that must use a newer format"))
def stale_format(ctx: Context, first_year: int) -> Iterator[Hit]:
    """A report for a year that must use a newer format, written in this era's."""
    doc = ctx.doc
    if doc.year and doc.year >= first_year and not doc.era.forced:
        evidence = "、".join(doc.era.evidence[:3])
        yield Hit(_top_span(ctx), {"found": doc.era.name, "evidence": evidence}, key="stale")


@primitive(
    values=('item', 'found'),
    scope=Param("str", default="document", required=False),
    items=Param("items", doc="[{name, pattern}]: each pattern must match somewhere in the scope"),
    mode=Param("choice", required=False, default="each", choices=("each", "none", "some"),
               doc="each: one hit per missing item; none: one hit when no item is found; "
                   "some: one hit naming the missing items when some, not all, are found"),
)
def required_patterns(ctx: Context, items: list[dict], scope: str = "document", mode: str = "each") -> Iterator[Hit]:
    """Patterns that must appear in the scope (matched on folded text, so
    full-width ＠ and digits count). A hit points at the preamble, where this
    content belongs."""
    joined = ctx.joined(scope if ctx.runs(scope) else "document")
    missing = [item["name"] for item in items if not item["pattern"].search(joined.folded)]
    found = [item["name"] for item in items if item["name"] not in missing]
    if mode == "each":
        for name in missing:
            yield Hit(lead_span(ctx), {"item": name}, key=name)
    elif mode == "none" and not found:
        yield Hit(lead_span(ctx), {"item": "、".join(missing), "found": ""}, key="none")
    elif mode == "some" and found and missing:
        yield Hit(lead_span(ctx), {"item": "、".join(missing), "found": "、".join(found)}, key="、".join(missing))


@primitive(values=('node',), node=Param("choice", choices=("title", "title_year", "signature", "signature_date",
                                                            "signature_agency")))
def node_present(ctx: Context, node: str) -> Iterator[Hit]:
    """The title (and its year), the signature, its date or its issuing body is present."""
    doc = ctx.doc
    missing = {
        "title": doc.title is None,
        "title_year": doc.title is not None and doc.title.year is None,
        "signature": doc.signature is None and doc.published is None,
        "signature_date": doc.signature is not None and doc.signature.date is None,
        "signature_agency": doc.signature is not None and not doc.signature.agency,
    }[node]
    if missing:
        span = _top_span(ctx) if node.startswith("title") else (doc.signature.span if doc.signature else _end_span(ctx))
        yield Hit(span, {"node": node}, key=node)


_PERIOD = regexes.compile(
    r"((?:19|20)\d{2})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日\s*(?:起)?\s*(?:至|到|—|-|～|~)+\s*"
    r"(?:((?:19|20)\d{2})\s*年\s*)?(\d{1,2})\s*月\s*(\d{1,2})\s*日"
)


@primitive(values=('stated', 'year'), scope=Param("str", required=False, default="document"))
def statistics_period(ctx: Context, scope: str = "document") -> Iterator[Hit]:
    """A stated statistics period that is not 1月1日 to 12月31日 of the report
    year (the year of the title when there is one)."""
    doc = ctx.doc
    year = doc.title.year if doc.title and doc.title.year else doc.year
    if not year:
        return
    for run in (ctx.joined(scope),):
        for match in _PERIOD.finditer(run.text):
            context = run.text[max(0, match.start() - 30): match.start()]
            if "统计" not in context and "数据" not in context and "期限" not in context:
                continue
            start_year, m1, d1, end_year, m2, d2 = match.groups()
            end_year = end_year or start_year
            stated = (int(start_year), int(m1), int(d1), int(end_year), int(m2), int(d2))
            if stated != (year, 1, 1, year, 12, 31):
                yield Hit(run.span(match.start(), match.end()),
                          {"stated": squeeze(match.group()), "year": year}, key=squeeze(match.group()))


@primitive(
    values=('label', 'official'),
    headings=Param("list", doc="the official top-level headings of the format"),
    threshold=Param("float", required=False, default=0.55),
)
def heading_labels(ctx: Context, headings: list[str], threshold: float = 0.55) -> Iterator[Hit]:
    """Top-level headings close to an official heading but altered."""
    official = tuple((label_key(h), h) for h in headings)
    for section in ctx.doc.sections:
        hit = _altered(section.title.text, official, threshold, whole=True)
        if hit:
            title = section.title.span()
            wording = _HEADING_MARKER.sub("", hit)
            edits = (Edit(title, wording),) if title.line == title.end_line else ()
            yield Hit(section.span._replace(end_line=section.span.line, end_column=title.end_column),
                      {"label": squeeze(section.title.text), "official": hit}, key=label_key(section.title.text),
                      edits=edits)


_HEADING_MARKER = regexes.compile(r"^[一二三四五六七八九十]+、")


@primitive(values=('expected', 'marker', 'parent'), families=Param("list", required=False, default=("part", "cn", "paren_cn"),
                          doc="numbering families checked; arabic lists often restart inside one section"))
def numbering_sequence(ctx: Context, families=("part", "cn", "paren_cn")) -> Iterator[Hit]:
    """Sibling headings of one numbering family must count 1, 2, 3…: a list
    starting past 一 or skipping or repeating a number is a defect."""
    def check(siblings: list[Section], parent: str) -> Iterator[Hit]:
        by_family: dict[str, list[Section]] = {}
        for section in siblings:
            by_family.setdefault(section.family, []).append(section)
        for family, group in by_family.items():
            if family not in families:
                continue
            expected = 1
            for section in group:
                if section.ordinal != expected:
                    yield Hit(section.title.span()._replace(column=section.span.column),
                              {"marker": section.marker, "expected": _marker_like(section, expected),
                               "parent": parent}, key=f"{parent}/{section.marker}")
                expected = section.ordinal + 1

    def walk(sections: list[Section], parent: str) -> Iterator[Hit]:
        yield from check(sections, parent)
        for section in sections:
            children = [c for c in section.children if isinstance(c, Section)]
            yield from walk(children, section.marker + section.title.text)

    yield from walk(ctx.doc.sections, "全文")


def _marker_like(section: Section, ordinal: int) -> str:
    cn = "零一二三四五六七八九十"
    number = str(ordinal) if section.family in ("arabic", "paren_arabic") else (
        cn[ordinal] if ordinal <= 10 else f"十{cn[ordinal - 10]}" if ordinal < 20 else str(ordinal))
    return re.sub(r"[0-9一二三四五六七八九十]+", number, section.marker, count=1)


@primitive(values=('marker', 'parent'), families=Param("list", required=False, default=("cn", "paren_cn"), doc="families of the subsection"))
def lone_subsection(ctx: Context, families=("cn", "paren_cn")) -> Iterator[Hit]:
    """A heading with a single numbered subsection (（一） and no （二））."""
    for section in ctx.doc.all_sections():
        children = [c for c in section.children if isinstance(c, Section)]
        if len(children) == 1 and children[0].family in families:
            child = children[0]
            yield Hit(child.title.span()._replace(column=child.span.column),
                      {"marker": child.marker, "parent": section.marker + section.title.text},
                      key=section.marker + section.title.text)


@primitive(values=('heading',), families=Param("list", required=False, default=("cn", "part"),
                          doc="numbering families checked (cn: 一、 part: 第一部分)"))
def heading_punctuation(ctx: Context, families=("cn", "part")) -> Iterator[Hit]:
    """A heading line of these families that ends with a full stop and has no
    text after it (（一）……。 run-in headings are a common, accepted style)."""
    for section in ctx.doc.all_sections():
        if section.family not in families:
            continue
        line = ctx.doc.lines[section.span.line - 1].rstrip().rstrip("*").rstrip()
        title = section.title.text
        if line.endswith("。") and line[:-1].rstrip("*").endswith(title[-4:]):
            yield Hit(section.title.span()._replace(column=section.span.column),
                      {"heading": section.marker + title}, key=section.marker + title)


@primitive(values=('heading',), families=Param("list", required=False, default=("cn", "part"),
                                            doc="numbering families of the parts checked"))
def empty_sections(ctx: Context, families=("cn", "part")) -> Iterator[Hit]:
    """A part whose heading stands with nothing under it: no text, no table,
    no subsection with content (the format asks for “无” where nothing happened)."""
    for section in ctx.doc.sections:
        if section.family in families and not _has_content(section):
            yield Hit(section.title.span()._replace(column=section.span.column),
                      {"heading": section.marker + squeeze(section.title.text)}, key=label_key(section.title.text))


def _has_content(section: Section) -> bool:
    for child in section.children:
        if isinstance(child, Section):
            if _has_content(child):
                return True
        elif not isinstance(child, Paragraph) or child.text.text.strip():
            return True
    return False
