"""`gklint summary`: many reports (or their SARIF logs) at a glance.

Everything a summary needs travels in gklint's SARIF: each result carries its
report's agency, report year, era and size in `properties`, so logs from
many agencies can be summarised, merged or not, with nothing else.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from .limits import MAX_JSON_BYTES, parse_json, read_side_text
from .output import printable
from .similarity import Prints

_SARIF_LEVEL = {"error": "error", "warning": "warning", "note": "info", "none": "info"}


class SummaryInputError(Exception):
    """One input that could not be read; the summary of the rest goes on."""


@dataclass
class Item:
    rule: str
    severity: str
    message: str
    line: int
    column: int
    snippet: str = ""
    fingerprint: str = ""
    basis: str = ""


@dataclass
class Report:
    path: str
    agency: str | None
    year: int | None
    era: str | None
    chars: int
    items: list[Item] = field(default_factory=list)
    kind: str | None = None  # department | government | township | subdistrict | zone | unknown
    published: date | None = None
    published_source: str | None = None  # signature | page | dateline | option
    prints: Prints | None = None  # narrative fingerprints (similarity)

    def count(self, severity: str) -> int:
        return sum(1 for i in self.items if i.severity == severity)

    @property
    def per_10k(self) -> float | None:
        return round(len(self.items) * 10000 / self.chars, 2) if self.chars else None

    def top_rules(self, n: int = 3) -> list[tuple[str, int]]:
        return Counter(i.rule for i in self.items).most_common(n)

    @property
    def agency_key(self) -> str:
        return agency_key(self.agency) if self.agency else self.path


def agency_key(name: str) -> str:
    """Agencies compared across years by name without layout spaces."""
    return re.sub(r"\s+", "", name)


@dataclass
class RuleInfo:
    id: str
    name: str = ""
    severity: str = "warning"
    description: str = ""
    rationale: str = ""
    fix: str = ""
    eras: tuple = ()
    deadlines: dict | None = None  # the publication deadline rule's (GK125, GK111)


# ---------------------------------------------------------------- input

def read_sarif(path: Path, rules: dict[str, RuleInfo], snippets: bool = True) -> list[Report]:
    """Reports in a gklint SARIF log; SummaryInputError if corrupt or foreign."""
    try:
        log = parse_json(read_side_text(path, MAX_JSON_BYTES, encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError) as err:
        raise SummaryInputError(f"{path}: 无法读取 ({err})") from None
    except json.JSONDecodeError as err:
        raise SummaryInputError(f"{path}: 不是完整的 JSON（可能被截断）：第{err.lineno}行 {err.msg}") from None
    except ValueError as err:
        raise SummaryInputError(f"{path}: 不是可用的 JSON（{err}）") from None
    try:
        return _sarif_reports(path, log, rules, snippets)
    except (KeyError, IndexError, TypeError, AttributeError, ValueError) as err:
        raise SummaryInputError(f"{path}: SARIF 结构不完整或类型不对（{type(err).__name__}: {str(err)[:80]}）") from None


def _sarif_reports(path: Path, log, rules: dict[str, RuleInfo], snippets: bool = True) -> list[Report]:
    runs = log.get("runs") if isinstance(log, dict) else None
    if not isinstance(runs, list) or log.get("version") != "2.1.0":
        raise SummaryInputError(f"{path}: 不是 SARIF 2.1.0 日志")
    reports: dict[str, Report] = {}
    for run in runs:
        driver = ((run or {}).get("tool") or {}).get("driver") or {}
        if driver.get("name") != "gklint":
            raise SummaryInputError(f"{path}: 不是 gklint 的 SARIF（工具为 {driver.get('name') or '未知'}）")
        for rule in driver.get("rules") or []:
            rules.setdefault(rule.get("id", "?"), RuleInfo(
                id=rule.get("id", "?"), name=rule.get("name", ""),
                severity=_SARIF_LEVEL.get((rule.get("defaultConfiguration") or {}).get("level", "warning"), "warning"),
                description=(rule.get("shortDescription") or {}).get("text", ""),
                rationale=(rule.get("fullDescription") or {}).get("text", "")))
        try:
            for artifact in run.get("artifacts") or []:
                uri = artifact["location"]["uri"]
                _report(reports, uri, artifact.get("properties") or {})
            for result in run.get("results") or []:
                location = result["locations"][0]["physicalLocation"]
                report = _report(reports, location["artifactLocation"]["uri"], result.get("properties") or {})
                region = location.get("region") or {}
                report.items.append(Item(
                    rule=result["ruleId"], severity=_SARIF_LEVEL.get(result.get("level", "warning"), "warning"),
                    message=result["message"]["text"], line=region.get("startLine", 1),
                    column=region.get("startColumn", 1), snippet=(region.get("snippet") or {}).get("text", "") if snippets else "",
                    fingerprint=next(iter((result.get("partialFingerprints") or {}).values()), ""),
                    basis=str((result.get("properties") or {}).get("basis") or "")))
        except (KeyError, IndexError, TypeError, AttributeError) as err:
            raise SummaryInputError(f"{path}: SARIF 结构不完整（缺少 {err}）") from None
    return list(reports.values())


def _report(reports: dict[str, Report], uri: str, props: dict) -> Report:
    from urllib.parse import unquote

    path = unquote(uri.removeprefix("file://"), errors="surrogateescape")  # a report outside the log's folder
    if path not in reports:
        reports[path] = Report(path=path, agency=None, year=None, era=None, chars=0)
    report = reports[path]
    report.agency = report.agency or props.get("agency")
    report.year = report.year or props.get("reportYear")
    report.era = report.era or props.get("era")
    report.chars = report.chars or int(props.get("characters") or 0)
    report.kind = report.kind or props.get("agencyKind")
    if report.published is None and isinstance(props.get("published"), str):
        try:
            report.published = date.fromisoformat(props["published"])
            report.published_source = props.get("publishedSource") or "signature"
        except ValueError:
            pass  # a log edited by hand: no date rather than a wrong one
    if report.prints is None and "narrative" in props:
        report.prints = Prints.from_json(props["narrative"])
    return report


def from_results(results) -> list[Report]:
    """Reports from a lint run (run.FileResult)."""
    out = []
    for r in results:
        if r.error:
            continue
        out.append(Report(path=r.path, agency=r.agency, year=r.year, era=r.era, chars=r.chars, items=[
            Item(rule=f.rule, severity=f.severity.name, message=f.message, line=f.span.line,
                 column=f.span.column, snippet=f.snippet, fingerprint=f.fingerprint, basis=f.basis or "")
            for f in r.findings], kind=r.agency_kind, published=r.published, published_source=r.published_source,
            prints=r.prints))
    return out


def builtin_rule_info() -> dict[str, RuleInfo]:
    from .ruleset import load_builtin

    return {r.id: RuleInfo(id=r.id, name=r.name, severity=r.severity.name, description=r.description,
                           rationale=r.rationale, fix=r.fix, eras=tuple(sorted(r.eras)),
                           deadlines=_deadlines(r)) for r in load_builtin()}


def _deadlines(rule) -> dict | None:
    """The legal deadlines a publication-date rule checks against (its params)."""
    if rule.check.name == "signature_date" and rule.params.get("check") == "deadline":
        return dict(rule.params.get("deadlines") or {})
    return None


# ---------------------------------------------------------------- aggregate

@dataclass
class Summary:
    reports: list[Report]
    rules: dict[str, RuleInfo]
    errors: list[str] = field(default_factory=list)
    board: object = None  # sheet.Board: the evaluator's sheet for the year under review

    def ordered(self) -> list[Report]:
        return sorted(self.reports, key=lambda r: (-r.count("error"), -r.count("warning"),
                                                   -(r.per_10k or 0), r.agency or "", r.year or 0, r.path))

    def by_rule(self) -> list[dict]:
        findings = Counter(i.rule for r in self.reports for i in r.items)
        affected = Counter(rule for r in self.reports for rule in {i.rule for i in r.items})
        rows = []
        for rule, count in findings.items():
            info = self.rules.get(rule, RuleInfo(id=rule))
            rows.append({"rule": rule, "name": info.name, "severity": info.severity, "reports": affected[rule],
                         "findings": count, "description": info.description})
        return sorted(rows, key=lambda x: (-x["reports"], -x["findings"], x["rule"]))

    def trends(self) -> list[dict]:
        """For agencies with several years: new, fixed and remaining findings
        from each year to the next, by fingerprint."""
        groups: dict[str, list[Report]] = defaultdict(list)
        for report in self.reports:
            if report.year:
                groups[report.agency_key].append(report)
        out = []
        for key, reports in sorted(groups.items()):
            reports.sort(key=lambda r: r.year)
            for before, after in zip(reports, reports[1:], strict=False):
                if before.year == after.year:
                    continue
                old = {(i.rule, i.fingerprint) for i in before.items}
                new = {(i.rule, i.fingerprint) for i in after.items}
                score_before = (before.count("error"), before.count("warning"))
                score_after = (after.count("error"), after.count("warning"))
                out.append({
                    "agency": after.agency or key, "from": before.year, "to": after.year,
                    "new": len(new - old), "fixed": len(old - new), "remaining": len(new & old),
                    "errors": [score_before[0], score_after[0]], "warnings": [score_before[1], score_after[1]],
                    "verdict": "better" if score_after < score_before else "worse" if score_after > score_before
                    else "same",
                })
        return out


def label(report: Report) -> str:
    name = report.agency or Path(report.path).name
    return f"{name}（{report.year}）" if report.year else name


# ---------------------------------------------------------------- render

def render(summary: Summary, fmt: str, snippets: bool = True, table: str = "reports") -> str:
    if fmt == "json":
        return render_json(summary, snippets)
    if fmt == "csv":
        return _csv(*tables(summary)[table])
    if fmt == "html":
        from .formats.html import render_summary

        return render_summary(summary, snippets=snippets)
    return render_text(summary)


def render_json(summary: Summary, snippets: bool = True) -> str:
    reports = []
    for r in summary.ordered():
        entry = {"path": r.path, "agency": r.agency, "year": r.year, "era": r.era, "characters": r.chars,
                 "error": r.count("error"), "warning": r.count("warning"), "info": r.count("info"),
                 "per_10k_chars": r.per_10k, "top_rules": [rule for rule, _ in r.top_rules()],
                 "findings": [{"rule": i.rule, "severity": i.severity, "message": i.message, "line": i.line,
                               "column": i.column, "fingerprint": i.fingerprint,
                               **({"snippet": i.snippet} if snippets else {})} for i in r.items]}
        reports.append(entry)
    document = {"version": 1, "reports": reports, "rules": summary.by_rule(), "trends": summary.trends(),
                "unreadable": summary.errors}
    if summary.board is not None:
        document["sheet"] = _sheet_json(summary.board)
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def _sheet_json(board) -> dict:
    from .sheet import KIND_NAMES

    return {
        "year": board.year, "fullMarks": board.scoring.full_marks, "scoring": board.scoring.source,
        "agencies": [{
            "agency": r.name, "kind": r.kind, "kindName": KIND_NAMES.get(r.kind, r.kind), "parent": r.parent,
            "onRoster": r.on_roster, "filed": r.filed, "path": r.report.path if r.report else None,
            "published": r.published.isoformat() if r.published else None, "publishedFrom": r.published_from or None,
            "deadline": r.deadline.isoformat() if r.deadline else None, "daysLate": r.days_late if r.late else 0,
            "score": r.score, "previousScore": r.previous_score,
            "losses": [{"id": x.id, "points": x.points, "reason": x.reason, "detail": x.detail, "count": x.count}
                       for x in r.losses],
            "copies": [{"other": c.other, "otherPath": c.other_path, "share": c.share, "otherShare": c.other_share,
                        "passages": c.passages, "otherPassages": c.other_passages} for c in r.copies],
            "unfixed": [{"rule": i.rule, "message": i.message} for i in r.unfixed],
            "otherReports": [d.path for d in r.duplicates],  # more than one report for the year
        } for r in board.rows],
        "notOnRoster": [r.path for r in board.unmatched],
        "copyingNotAssessable": [r.report.path for r in board.unprinted()],
    }


def tables(summary: Summary) -> dict[str, tuple[list[str], list[list]]]:
    """Every table a spreadsheet gets: the sheet's (agencies, deductions,
    copies) and one row per report with a column per rule."""
    from .sheet import tables as sheet_tables

    out = sheet_tables(summary.board) if summary.board is not None else {}
    return {**out, "reports": report_table(summary)}


def report_table(summary: Summary) -> tuple[list[str], list[list]]:
    """One row per report, a column per rule."""
    rules = [row["rule"] for row in summary.by_rule()]
    rows = []
    for r in summary.ordered():
        counts = Counter(i.rule for i in r.items)
        rows.append([r.path, r.agency or "", r.year or "", r.era or "", r.chars, r.count("error"),
                     r.count("warning"), r.count("info"), "" if r.per_10k is None else r.per_10k,
                     *[counts[rule] for rule in rules]])
    return ["path", "agency", "year", "era", "characters", "error", "warning", "info", "per_10k_chars", *rules], rows


def _csv(headers: list[str], rows: list[list]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(headers)
    for row in rows:
        writer.writerow([_cell(v) for v in row])
    return buffer.getvalue()


def _cell(value):
    """A CSV cell a spreadsheet shows as text: a value taken from a report or a
    SARIF log that starts like a formula (`=HYPERLINK(…)`, `+`, `-`, `@`) gets
    a leading apostrophe, so Excel does not evaluate it."""
    if not isinstance(value, str):
        return value
    value = printable(value)
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r", "|") else value


def _table(headers: list[str], rows: list[list]) -> list[str]:
    from .formats.text import width

    cells = [[str(c) for c in headers]] + [[str(c) for c in row] for row in rows]
    widths = [max(width(row[k]) for row in cells) for k in range(len(headers))]

    def line(row):
        return "  ".join(c + " " * (widths[k] - width(c)) for k, c in enumerate(row)).rstrip()

    return [line(cells[0]), "  ".join("-" * w for w in widths)] + [line(row) for row in cells[1:]]


def _sheet_text(board) -> list[str]:
    from .sheet import KIND_NAMES, passages_text

    out = ["", f"评分表（{f'{board.year}年度' if board.year else '各机关最新一份报告'}，满分 {board.scoring.full_marks:g}，{board.scoring.source}）："]
    out += _table(["机关", "类型", "已公开", "发布日期", "逾期天数", "雷同", "得分", "较上年", "失分原因"], [
        [r.name, KIND_NAMES.get(r.kind, r.kind), "是" if r.filed else "否",
         r.published.isoformat() if r.published else "-", r.days_late if r.late else "-",
         f"{r.copied_share:.0%}" if r.copies else "-", "-" if r.score is None else f"{r.score:g}",
         "-" if r.previous_score is None or r.score is None else f"{r.score - r.previous_score:+g}",
         "；".join(f"{x.reason.split('（')[0]} −{x.points:g}" for x in r.losses) or "-"] for r in board.rows])
    missing = board.missing()
    if missing:
        out += ["", f"未公开（{len(missing)}）：" + "、".join(r.name for r in missing)]
    if board.unmatched:
        out += ["", f"名册中找不到的报告（{len(board.unmatched)}，请核对机关名称或在名册“别名”列补充）："]
        out += [f"  {r.path}（{r.agency or '未识别出机关名称'}）" for r in board.unmatched]
    unprinted = board.unprinted()
    if unprinted:
        out += ["", f"无法判断是否雷同（{len(unprinted)} 份报告的 SARIF 没有正文指纹，请用新版 gklint 重新生成）："
                + "、".join(r.name for r in unprinted[:20]) + ("等" if len(unprinted) > 20 else "")]
    pairs = board.pairs()
    if pairs:
        out += ["", "与其他单位雷同："]
        out += _table(["机关", "雷同对象", "本报告%", "对方%", "本报告段落", "对方段落"], [
            [r.name, c.other, f"{c.share:.0%}", f"{c.other_share:.0%}", passages_text(c.passages),
             passages_text(c.other_passages)]
            for r, c in pairs[:20]])
    return out


def render_text(summary: Summary) -> str:
    out = [f"汇总：{len(summary.reports)} 份报告，"
           f"{sum(len(r.items) for r in summary.reports)} 个问题"
           + (f"，{len(summary.errors)} 个输入无法读取" if summary.errors else "") + "。", "", "按报告："]
    out += _table(["机关", "年度", "格式", "错误", "警告", "提示", "每万字", "主要问题", "文件"], [
        [r.agency or "-", r.year or "-", r.era or "-", r.count("error"), r.count("warning"), r.count("info"),
         "-" if r.per_10k is None else r.per_10k, ",".join(f"{rule}×{n}" for rule, n in r.top_rules()) or "-",
         r.path] for r in summary.ordered()])
    out += ["", "按规则："]
    out += _table(["规则", "名称", "级别", "涉及报告", "问题数", "说明"], [
        [row["rule"], row["name"], row["severity"], row["reports"], row["findings"], row["description"]]
        for row in summary.by_rule()])
    if summary.board is not None:
        out += _sheet_text(summary.board)
    trends = summary.trends()
    if trends:
        out += ["", "逐年变化："]
        names = {"better": "改善", "worse": "变差", "same": "持平"}
        out += _table(["机关", "年度", "新增", "已改", "仍存在", "错误", "警告", "结论"], [
            [t["agency"], f"{t['from']}→{t['to']}", t["new"], t["fixed"], t["remaining"],
             "→".join(map(str, t["errors"])), "→".join(map(str, t["warnings"])), names[t["verdict"]]]
            for t in trends])
    return "\n".join(out) + "\n"
