"""The scoring sheet: which findings and facts cost an agency points, as data.

An evaluator's sheet (评分表) is a list of deductions. Each says when it
applies, how many points it costs and why (失分原因):

    full-marks: 100
    deductions:
      - id: late
        when: late            # not-filed | late | copied | finding | unfixed
        points: 5
        reason: 未按时公开
      - id: figures
        when: finding
        rules: [GK3, GK4, GK5]   # rule ids or prefixes, as in --select
        severity: [error]
        points: 1
        per: item             # item: each finding (or passage) counts; report: once
        cap: 10
        reason: 数据失准或不一致

gklint ships one (`gklint/data/scoring.yaml`, docs/scoring.md). A province's
own sheet either replaces it or starts with `extends: gklint` and changes
entries by id (`off: true` drops one). Errors name file:line:col.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .config import ConfigError, load_yaml

BUILTIN = Path(__file__).with_name("data") / "scoring.yaml"
BUILTIN_NAME = "gklint 内置示例评分表"
CONDITIONS = ("not-filed", "late", "copied", "finding", "unfixed")
_SEVERITIES = ("error", "warning", "info")
_KEYS = {"id", "when", "points", "per", "cap", "rules", "severity", "basis", "above", "days", "reason", "off"}


class ScoringError(Exception):
    """A scoring sheet that cannot be used: file:line:col and what is wrong."""


@dataclass
class Deduction:
    id: str
    when: str
    points: float
    reason: str
    per: str = "report"  # report | item
    cap: float | None = None
    rules: list[str] = field(default_factory=list)
    severity: list[str] = field(default_factory=list)
    basis: list[str] = field(default_factory=list)
    above: float = 0.5  # copied: share of the report
    days: int = 0  # late: more than this many days
    source: str = ""

    def matches(self, item) -> bool:
        """A finding (summary.Item) this deduction counts."""
        return ((not self.rules or any(item.rule.startswith(s) for s in self.rules))
                and (not self.severity or item.severity in self.severity)
                and (not self.basis or (item.basis or "") in self.basis))


@dataclass
class Sheet:
    full_marks: float
    deductions: list[Deduction]
    source: str


@dataclass
class Loss:
    """One deduction applied to one agency."""

    id: str
    points: float
    reason: str
    detail: str  # what was counted, in the evaluator's words
    count: int = 1


def load(path: str | Path | None = None, rule_ids=()) -> Sheet:
    """The built-in sheet, or the one at `path` (extending it or not)."""
    builtin = _read(BUILTIN, rule_ids)
    builtin.source = BUILTIN_NAME
    if path is None:
        return builtin
    data, sheet = _data(Path(path)), None
    if data.get("extends") not in (None, "gklint"):
        raise _error(Path(path), data, "extends", "`extends` 只能是 gklint（从内置评分表开始修改）")
    if data.get("extends") == "gklint":
        sheet = builtin
    own = _read(Path(path), rule_ids, data, base=sheet)
    if sheet is not None:
        own.source = f"{path}（在{BUILTIN_NAME}上修改）"
    return own


def _data(path: Path):
    try:
        data = load_yaml(path)
    except ConfigError as err:
        raise ScoringError(str(err)) from None
    if not isinstance(data, dict):
        raise ScoringError(f"{path}:1:1: 评分表应是一个映射（full-marks、deductions）")
    return data


def _read(path: Path, rule_ids, data=None, base: Sheet | None = None) -> Sheet:
    data = _data(path) if data is None else data
    unknown = set(data) - {"full-marks", "deductions", "extends"}
    if unknown:
        raise _error(path, data, sorted(unknown)[0], f"评分表没有“{sorted(unknown)[0]}”这一项"
                     "（可用：full-marks、deductions、extends）", at="key")
    marks = data.get("full-marks", base.full_marks if base else 100)
    if not isinstance(marks, (int, float)) or isinstance(marks, bool) or marks <= 0:
        raise _error(path, data, "full-marks", "full-marks 应是正数")
    entries = data.get("deductions", [])
    if not isinstance(entries, list):
        raise _error(path, data, "deductions", "deductions 应是列表")
    deductions = {d.id: d for d in base.deductions} if base else {}
    for index, entry in enumerate(entries):
        deduction = _deduction(path, entries, index, entry, deductions, rule_ids)
        if deduction is None:
            deductions.pop(entry["id"], None)
        else:
            deductions[deduction.id] = deduction
    return Sheet(float(marks), list(deductions.values()), str(path))


def _deduction(path: Path, entries, index: int, entry, existing: dict, rule_ids) -> Deduction | None:
    if not isinstance(entry, dict) or not isinstance(entry.get("id"), str) or not entry["id"]:
        raise _error(path, entries, None, "每一项扣分应是带 id 的映射", index=index)
    for key in entry:
        if key not in _KEYS:
            raise _error(path, entry, key, f"扣分项没有“{key}”这一设置（可用：{'、'.join(sorted(_KEYS))}）", at="key")
    if entry.get("off") is True:
        return None
    base = existing.get(entry["id"])
    fields = {**(base.__dict__ if base else {}), **{k.replace("-", "_"): v for k, v in entry.items() if k != "off"}}
    for key in ("when", "points", "reason"):
        if key not in fields:
            raise _error(path, entry, "id", f"扣分项“{entry['id']}”缺少 {key}", at="key")
    check = _Check(path, entry)
    check.choice("when", fields["when"], CONDITIONS)
    check.number("points", fields["points"], positive=True)
    check.choice("per", fields.get("per", "report"), ("report", "item"))
    if fields.get("cap") is not None:
        check.number("cap", fields["cap"], positive=True)
    check.number("above", fields.get("above", 0.5), upto=1)
    check.number("days", fields.get("days", 0))
    if not isinstance(fields["reason"], str) or not fields["reason"].strip():
        raise _error(path, entry, "reason", "reason（失分原因）应是非空文字")
    rules = check.strings("rules", fields.get("rules", []))
    severity = check.strings("severity", fields.get("severity", []))
    for value in severity:
        check.choice("severity", value, _SEVERITIES)
    if rule_ids:
        from .selectors import describe, unknown

        bad = unknown(rules, rule_ids)
        if bad:
            raise _error(path, entry, "rules", describe(*bad[0]))
    return Deduction(id=entry["id"], when=fields["when"], points=float(fields["points"]), reason=fields["reason"],
                     per=fields.get("per", "report"), cap=fields.get("cap"), rules=rules, severity=severity,
                     basis=check.strings("basis", fields.get("basis", [])), above=float(fields.get("above", 0.5)),
                     days=int(fields.get("days", 0)), source=f"{path}")


class _Check:
    def __init__(self, path: Path, entry):
        self.path, self.entry = path, entry

    def choice(self, key: str, value, choices) -> None:
        if value not in choices:
            raise _error(self.path, self.entry, key, f"{key} 应是 {'、'.join(choices)} 之一，而不是“{value}”")

    def number(self, key: str, value, positive: bool = False, upto: float | None = None) -> None:
        ok = isinstance(value, (int, float)) and not isinstance(value, bool)
        ok = ok and (value > 0 if positive else value >= 0) and (upto is None or value <= upto)
        if not ok:
            bound = "正数" if positive else f"0 到 {upto:g} 之间的数" if upto is not None else "不小于 0 的数"
            raise _error(self.path, self.entry, key, f"{key} 应是{bound}")

    def strings(self, key: str, value) -> list[str]:
        value = [value] if isinstance(value, str) else value
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise _error(self.path, self.entry, key, f"{key} 应是文字或文字列表")
        return list(value)


def _error(path: Path, node, key, message: str, index: int | None = None, at: str = "value") -> ScoringError:
    line, col = 1, 1
    lc = getattr(node, "lc", None)
    try:
        if lc is not None and key is not None and key in node:
            line, col = (x + 1 for x in (lc.key(key) if at == "key" else lc.value(key)))
        elif lc is not None and index is not None:
            line, col = (x + 1 for x in lc.item(index))
    except (KeyError, TypeError, AttributeError, IndexError):
        pass
    return ScoringError(f"{path}:{line}:{col}: {message}")
