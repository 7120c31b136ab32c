"""The evaluator's sheet: one row per agency for the year under review.

Built from a summary's reports (linted here or read from SARIF logs), an
optional roster (who should have filed) and a scoring sheet (what each
shortfall costs). A row says whether the agency filed, when it published and
whether that was late, how much of its narrative another agency's report
shares, what it lost and why, and how it did against its previous report.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date

from . import roster as roster_module
from . import scoring as scoring_module
from .similarity import copied_pairs

PUBLISHED_FROM = {"roster": "名册", "signature": "落款", "page": "网页", "dateline": "标题下", "option": "指定"}
KIND_NAMES = {"government": "政府", "department": "部门", "township": "乡镇", "subdistrict": "街道",
              "zone": "开发区", "unknown": "不明"}


@dataclass
class Copy:
    """Passages this agency's report shares with another agency's."""

    other: str
    other_path: str
    share: float  # of this report's narrative
    other_share: float
    passages: list[tuple[int, int]]  # line ranges in this report
    other_passages: list[tuple[int, int]]


@dataclass
class Row:
    name: str
    kind: str = "unknown"
    parent: str = ""
    on_roster: bool = False
    report: object = None  # summary.Report of the year under review
    previous: object = None  # its report for the year before, when in the batch
    duplicates: list = field(default_factory=list)  # other reports of the same year
    published: date | None = None
    published_from: str = ""
    deadline: date | None = None
    copies: list[Copy] = field(default_factory=list)
    losses: list = field(default_factory=list)  # scoring.Loss
    score: float | None = None
    previous_score: float | None = None
    unfixed: list = field(default_factory=list)  # last year's errors and warnings still there
    entry: object = None  # roster.Agency
    candidates: list = field(default_factory=list)  # every report of this agency in the batch

    @property
    def filed(self) -> bool:
        return self.report is not None

    @property
    def days_late(self) -> int | None:
        if self.published is None or self.deadline is None:
            return None
        return (self.published - self.deadline).days

    @property
    def late(self) -> bool:
        return (self.days_late or 0) > 0

    @property
    def copied_share(self) -> float:
        return max((c.share for c in self.copies), default=0.0)


@dataclass
class Board:
    year: int | None
    rows: list[Row]
    scoring: object  # scoring.Sheet
    unmatched: list = field(default_factory=list)  # reports no roster agency claims

    def unprinted(self) -> list[Row]:
        """Filed reports without narrative fingerprints (a log from gklint
        before 0.2): copying is not assessable for them."""
        return [r for r in self.rows if r.report is not None and r.report.prints is None]

    def pairs(self) -> list[tuple[Row, Copy]]:
        """Each copying pair once, most copied first."""
        found = [(r, c) for r in self.rows for c in r.copies if r.name < c.other]
        return sorted(found, key=lambda pair: -max(pair[1].share, pair[1].other_share))

    def missing(self) -> list[Row]:
        return [r for r in self.rows if r.on_roster and not r.filed]


def build(reports: list, rules: dict, roster: list | None = None, sheet=None, year: int | None = None,
          common_above: int | None = None) -> Board:
    """The board for `year`. Without one, a roster is checked against the
    batch's commonest report year (who filed for it); without a roster either,
    each agency's latest report is scored."""
    sheet = sheet or scoring_module.load()
    if year is None and roster is not None:
        years = Counter(r.year for r in reports if r.year)
        year = max(years, key=lambda y: (years[y], y)) if years else None
    rows, unmatched = _rows(reports, roster)
    for row in rows:
        _place(row, year)
        _dates(row, rules)
    _copies(rows, common_above)
    for row in rows:
        row.unfixed = _unfixed(row.previous, row.report)
        row.losses, row.score = score(row, sheet)
        if row.previous is not None:
            previous = Row(name=row.name, kind=row.kind, report=row.previous)
            _dates(previous, rules, roster_date=False)  # the roster's date is this year's
            row.previous_score = score(previous, sheet, with_copies=False)[1]
    rows = [r for r in rows if r.on_roster or r.report is not None]  # the others are in the trends only
    order = sorted(rows, key=lambda r: (r.filed, r.score if r.score is not None else 0, r.name))
    return Board(year=year, rows=order, scoring=sheet, unmatched=unmatched)


def _rows(reports: list, roster: list | None) -> tuple[list[Row], list]:
    """Agencies with their reports: the roster's, in its order, then any
    report no roster entry claims (its own row, marked as not on the roster)."""
    groups: dict[str, list] = defaultdict(list)
    rows: dict[str, Row] = {}
    unmatched = []
    if roster is not None:
        found = roster_module.match(roster, [(r.path, r.agency) for r in reports])
        for k, agency in enumerate(roster):
            rows[f"#{k}"] = Row(name=agency.name, kind=agency.kind, parent=agency.parent, on_roster=True, entry=agency)
        for index, owner in found.owner.items():
            groups[f"#{owner}"].append(reports[index])
        unmatched = [reports[i] for i in found.unmatched]
    for report in (reports if roster is None else unmatched):
        key = report.agency_key
        groups[key].append(report)
        rows.setdefault(key, Row(name=report.agency or report.path, kind=report.kind or "unknown"))
    for key, row in rows.items():
        row.candidates = groups.get(key, [])
    return list(rows.values()), unmatched


def _place(row: Row, year: int | None) -> None:
    """This year's report and the one for the year before (a report from
    further back is in the trends, not the sheet's 较上年)."""
    reports = sorted(row.candidates, key=lambda r: (r.year or 0, r.chars, r.path))
    if year is None and reports:
        year = reports[-1].year
    this_year = [r for r in reports if r.year == year]
    if this_year:
        row.report, row.duplicates = this_year[-1], this_year[:-1]
    earlier = [r for r in reports if year and r.year == year - 1]
    row.previous = earlier[-1] if earlier else None
    if row.report is not None and row.kind == "unknown":
        row.kind = row.report.kind or "unknown"


def _dates(row: Row, rules: dict, roster_date: bool = True) -> None:
    entry, report = row.entry, row.report
    if roster_date and entry is not None and entry.published:
        row.published, row.published_from = entry.published, "roster"
    elif report is not None and report.published:
        row.published, row.published_from = report.published, report.published_source or "signature"
    if report is not None and report.year:
        row.deadline = legal_deadline(rules, report.era, report.year, row.kind)


def chinese_date(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def legal_deadline(rules: dict, era: str | None, year: int, kind: str) -> date | None:
    """The 条例's deadline for this era and agency kind, read from the rule
    that checks it (GK125, GK111): None where the 条例 sets none."""
    for info in rules.values():
        if info.deadlines and era in info.eras:
            limit = info.deadlines.get(kind, info.deadlines.get("*"))
            if not limit:
                return None
            month, day = (int(x) for x in str(limit).split("-"))
            return date(year + 1, month, day)
    return None


def _copies(rows: list[Row], common_above: int | None) -> None:
    filed = [r for r in rows if r.report is not None]
    items = [(r.name, r.report.prints) for r in filed]
    for pair in copied_pairs(items, common_above=common_above):
        a, b = filed[pair.a], filed[pair.b]
        a.copies.append(Copy(b.name, b.report.path, pair.share_a, pair.share_b, pair.lines_a, pair.lines_b))
        b.copies.append(Copy(a.name, a.report.path, pair.share_b, pair.share_a, pair.lines_b, pair.lines_a))
    for row in filed:
        row.copies.sort(key=lambda c: -c.share)


def _unfixed(previous, report) -> list:
    if previous is None or report is None:
        return []
    now = {(i.rule, i.fingerprint) for i in report.items}
    return [i for i in previous.items if i.severity in ("error", "warning") and (i.rule, i.fingerprint) in now]


def score(row: Row, sheet, with_copies: bool = True) -> tuple[list, float | None]:
    """Losses under the sheet, and what is left of full marks (not below 0)."""
    losses = []
    for deduction in sheet.deductions:
        count, detail = _counted(deduction, row, with_copies)
        if not count:
            continue
        points = deduction.points * (count if deduction.per == "item" else 1)
        if deduction.cap is not None:
            points = min(points, deduction.cap)
        losses.append(scoring_module.Loss(deduction.id, points, deduction.reason, detail, count))
    if not row.filed and not row.on_roster:
        return losses, None
    return losses, max(0.0, sheet.full_marks - sum(loss.points for loss in losses))


def _counted(deduction, row: Row, with_copies: bool) -> tuple[int, str]:
    """How many times a deduction applies to this row, and what was counted."""
    when = deduction.when
    if when == "not-filed":
        return (1, f"{row.name}没有本年度报告") if row.on_roster and not row.filed else (0, "")
    if not row.filed:
        return 0, ""
    if when == "late":
        days = row.days_late
        if days is None or days <= deduction.days:
            return 0, ""
        return 1, (f"{PUBLISHED_FROM.get(row.published_from, '')}日期{chinese_date(row.published)}，"
                   f"晚于时限{chinese_date(row.deadline)} {days} 天")
    if when == "copied":
        over = [c for c in row.copies if c.share > deduction.above] if with_copies else []
        if not over:
            return 0, ""
        return len(over), "；".join(f"正文 {c.share:.0%} 与{c.other}的报告相同" for c in over[:3])
    items = [i for i in row.report.items if deduction.matches(i)] if when == "finding" else \
        [i for i in row.unfixed if deduction.matches(i)]
    if not items:
        return 0, ""
    rules = sorted({i.rule for i in items})
    return len(items), f"{'、'.join(rules)} 共 {len(items)} 处"


# ---------------------------------------------------------------- tables

def passages_text(passages: list[tuple[int, int]]) -> str:
    return "、".join(f"第{a}行" if a == b else f"第{a}–{b}行" for a, b in passages[:6]) + \
        ("等" if len(passages) > 6 else "")


def tables(board: Board) -> dict[str, tuple[list[str], list[list]]]:
    """The sheet as plain tables (CSV, XLSX): agencies, deductions, copies."""
    agencies = []
    for r in board.rows:
        agencies.append([
            r.name, KIND_NAMES.get(r.kind, r.kind), r.parent, "是" if r.on_roster else "否",
            "是" if r.filed else "否", r.report.year if r.report else "", r.report.path if r.report else "",
            r.published.isoformat() if r.published else "", PUBLISHED_FROM.get(r.published_from, ""),
            r.deadline.isoformat() if r.deadline else "", r.days_late if r.late else "",
            r.report.count("error") if r.report else "", r.report.count("warning") if r.report else "",
            round(r.copied_share * 100) if r.copies else "", r.copies[0].other if r.copies else "",
            "" if r.score is None else _number(r.score), "；".join(f"{loss.reason} −{_number(loss.points)}"
                                                                 for loss in r.losses),
            "" if r.previous_score is None else _number(r.previous_score),
            "" if r.previous_score is None or r.score is None else _number(r.score - r.previous_score),
            len(r.unfixed) if r.previous is not None else "",
        ])
    deductions = [[r.name, loss.id, loss.reason, loss.count, _number(loss.points), loss.detail]
                  for r in board.rows for loss in r.losses]
    copies = [[r.name, c.other, round(c.share * 100), round(c.other_share * 100), passages_text(c.passages),
               passages_text(c.other_passages), r.report.path, c.other_path] for r, c in board.pairs()]
    return {
        "agencies": (["机关", "类型", "上级", "在名册", "已公开", "年度", "报告", "发布日期", "日期来源", "法定时限",
                      "逾期天数", "错误", "警告", "雷同比例%", "雷同对象", "得分", "失分原因", "上年得分", "得分变化",
                      "上年问题未改"], agencies),
        "deductions": (["机关", "扣分项", "失分原因", "次数", "扣分", "说明"], deductions),
        "copies": (["机关", "雷同对象", "本报告雷同%", "对方雷同%", "本报告段落", "对方段落", "本报告文件",
                    "对方文件"], copies),
    }


def _number(value: float):
    return int(value) if float(value).is_integer() else round(value, 1)
