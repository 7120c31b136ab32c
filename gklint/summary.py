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
from pathlib import Path

from .limits import MAX_JSON_BYTES, parse_json, read_side_text
from .output import printable

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


@dataclass
class Report:
    path: str
    agency: str | None
    year: int | None
    era: str | None
    chars: int
    items: list[Item] = field(default_factory=list)

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


# ---------------------------------------------------------------- input

def read_sarif(path: Path, rules: dict[str, RuleInfo]) -> list[Report]:
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
        return _sarif_reports(path, log, rules)
    except (KeyError, IndexError, TypeError, AttributeError, ValueError) as err:
        raise SummaryInputError(f"{path}: SARIF 结构不完整或类型不对（{type(err).__name__}: {str(err)[:80]}）") from None


def _sarif_reports(path: Path, log, rules: dict[str, RuleInfo]) -> list[Report]:
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
                    column=region.get("startColumn", 1), snippet=(region.get("snippet") or {}).get("text", ""),
                    fingerprint=next(iter((result.get("partialFingerprints") or {}).values()), "")))
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
    return report


def from_results(results) -> list[Report]:
    """Reports from a lint run (run.FileResult)."""
    out = []
    for r in results:
        if r.error:
            continue
        out.append(Report(path=r.path, agency=r.agency, year=r.year, era=r.era, chars=r.chars, items=[
            Item(rule=f.rule, severity=f.severity.name, message=f.message, line=f.span.line,
                 column=f.span.column, snippet=f.snippet, fingerprint=f.fingerprint) for f in r.findings]))
    return out


def builtin_rule_info() -> dict[str, RuleInfo]:
    from .ruleset import load_builtin

    return {r.id: RuleInfo(id=r.id, name=r.name, severity=r.severity.name, description=r.description,
                           rationale=r.rationale, fix=r.fix) for r in load_builtin()}


# ---------------------------------------------------------------- aggregate

@dataclass
class Summary:
    reports: list[Report]
    rules: dict[str, RuleInfo]
    errors: list[str] = field(default_factory=list)

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

    def heat(self) -> tuple[list[str], list[tuple[str, list[int]]]]:
        """Agency × rule counts: (rule ids, [(agency label, counts)])."""
        rules = [row["rule"] for row in self.by_rule()]
        table: dict[str, Counter] = defaultdict(Counter)
        for report in self.reports:
            table[label(report)].update(i.rule for i in report.items)
        return rules, [(agency, [counts[r] for r in rules]) for agency, counts in sorted(table.items())]

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

def render(summary: Summary, fmt: str, snippets: bool = True) -> str:
    if fmt == "json":
        return render_json(summary, snippets)
    if fmt == "csv":
        return render_csv(summary)
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
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def render_csv(summary: Summary) -> str:
    """One row per report, a column per rule: for spreadsheets."""
    rules = [row["rule"] for row in summary.by_rule()]
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["path", "agency", "year", "era", "characters", "error", "warning", "info",
                     "per_10k_chars", *rules])
    for r in summary.ordered():
        counts = Counter(i.rule for i in r.items)
        writer.writerow([_cell(v) for v in (
            r.path, r.agency or "", r.year or "", r.era or "", r.chars, r.count("error"), r.count("warning"),
            r.count("info"), "" if r.per_10k is None else r.per_10k, *[counts[rule] for rule in rules])])
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
    trends = summary.trends()
    if trends:
        out += ["", "逐年变化："]
        names = {"better": "改善", "worse": "变差", "same": "持平"}
        out += _table(["机关", "年度", "新增", "已改", "仍存在", "错误", "警告", "结论"], [
            [t["agency"], f"{t['from']}→{t['to']}", t["new"], t["fixed"], t["remaining"],
             "→".join(map(str, t["errors"])), "→".join(map(str, t["warnings"])), names[t["verdict"]]]
            for t in trends])
    return "\n".join(out) + "\n"
