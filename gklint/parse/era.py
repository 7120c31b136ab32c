"""Format era and report year, with the evidence for each.

Eras: "2007" (2007 条例 practice, 统计表), "2019" (国办公开办函〔2019〕60号
trial format) and "2021" (国办公开办函〔2021〕30号). The markers are the
labels that only one format prints (domain reference §2.4).
"""

from __future__ import annotations

import re
from collections import Counter

from .. import regexes
from ..document import Era

_MARKERS = {
    "2021": ("本年制发件数", "本年废止件数", "现行有效件数", "逾期未按收费通知", "国办公开办函[2021]30号"),
    "2019": ("本年新制作数量", "本年新公开数量", "对外公开总数量", "其他对外管理服务事项",
             "第二十条第(九)项", "上一年项目数量", "国办公开办函[2019]60号"),
    "new": ("本年新收政府信息公开申请数量", "申请人情况", "结转下年度继续办理",
            "收到和处理政府信息公开申请情况", "政府信息公开行政复议、行政诉讼情况", "本年度办理结果"),
    "2007": ("统计指标", "主动公开政府信息数(不同渠道", "申请办结数", "从事政府信息公开工作人员数",
             "依申请公开政府信息和不予公开", "收费及减免", "政府信息公开情况统计表"),
}

_PERIOD_YEAR = regexes.compile(r"((?:19|20)\d{2})\s*年\s*1\s*月\s*1\s*日")
_REPORT_YEAR = regexes.compile(r"((?:19|20)\d{2})\s*年度?\s*政府信息公开(?:工作)?年度?报告")
_ANY_YEAR = regexes.compile(r"((?:19|20)\d{2})\s*年")


def detect_year(text: str, title_year: int | None, signed_year: int | None) -> tuple[int | None, str]:
    """The report year and where it came from."""
    if title_year:
        return title_year, "title"
    head = text[:3000]
    for pattern, source in ((_PERIOD_YEAR, "period"), (_REPORT_YEAR, "preamble")):
        match = pattern.search(head)
        if match:
            return int(match.group(1)), source
    if signed_year:
        return signed_year - 1, "signature"
    years = Counter(int(y) for y in _ANY_YEAR.findall(text))
    if years:
        return years.most_common(1)[0][0], "text"
    return None, "none"


_UNFOLD = str.maketrans({"(": "（", ")": "）", "[": "〔", "]": "〕", ",": "，", ":": "："})
# Each marker in its folded and its full-width spelling: searching raw text for
# both is cheaper than folding the whole report.
_VARIANTS = {era: [(m, {m, m.translate(_UNFOLD)}) for m in markers] for era, markers in _MARKERS.items()}


def detect_era(text: str, year: int | None) -> Era:
    flat = re.sub(r"\s+", "", text)
    found = {era: [m for m, spellings in variants if any(s in flat for s in spellings)]
             for era, variants in _VARIANTS.items()}
    if found["2021"] and len(found["2021"]) >= len(found["2019"]):
        return Era("2021", 0.95 if len(found["2021"]) >= 2 else 0.8, found["2021"])
    if found["2019"]:
        return Era("2019", 0.9 if len(found["2019"]) >= 2 else 0.75, found["2019"])
    if found["new"]:
        name = "2019" if year in (2019, 2020) else "2021"
        return Era(name, 0.7, found["new"] + ([f"报告年度 {year}"] if year else []))
    if found["2007"]:
        return Era("2007", 0.9 if len(found["2007"]) >= 2 else 0.7, found["2007"])
    if year is not None:
        name = "2007" if year <= 2018 else "2019" if year <= 2020 else "2021"
        return Era(name, 0.5, [f"报告年度 {year}"])
    return Era("2021", 0.2, ["无格式标记，按现行格式处理"])
