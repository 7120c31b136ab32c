"""The roster: the agencies expected to publish a report, and which report is whose.

A supervisor keeps a CSV of the bodies under it (`gklint summary --roster
agencies.csv`). Its header names the columns, in Chinese or English:

    名称 name      the agency (required)
    类型 kind      部门/department, 政府/government, 乡镇/township, 街道/subdistrict, 开发区/zone
    上级 parent    the level above (淮安市 for 市教育局): completes a short name
    报告 expected  the report's file name or address, when known
    发布日期 published   the date it was published on the portal (overrides the report's own)
    别名 aliases   other names it signs with, separated by ；or |

Reports are matched to agencies by file (`expected`), else by name with the
usual variants: spaces and brackets ignored, 人民政府办公室/办公厅 and 政府
taken for 人民政府, a common body's 全称 for its 简称 (发展和改革委员会 = 发改委), a short name completed by its parent (市教育局 → 淮安市教育局),
and a name that differs only by a place prefix (江苏省淮安市… vs 淮安市…) when
that match is unique.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from . import regexes


_COLUMNS = {
    "name": ("名称", "机关", "机关名称", "单位", "单位名称", "name", "agency"),
    "kind": ("类型", "机关类型", "kind"),
    "parent": ("上级", "上级机关", "所属", "parent"),
    "expected": ("报告", "报告文件", "网址", "报告地址", "expected", "file", "url"),
    "published": ("发布日期", "公开日期", "published"),
    "aliases": ("别名", "其他名称", "aliases"),
}
_KINDS = {
    "部门": "department", "政府部门": "department", "department": "department",
    "政府": "government", "人民政府": "government", "government": "government",
    "乡镇": "township", "乡镇政府": "township", "township": "township",
    "街道": "subdistrict", "街道办事处": "subdistrict", "subdistrict": "subdistrict",
    "开发区": "zone", "管委会": "zone", "zone": "zone", "": "unknown",
}
# 全称 → 简称 of common bodies, so a roster and a report that name one agency
# differently still meet (the roster's 别名 column covers the rest).
_SHORT = sorted({
    "发展和改革委员会": "发改委", "发展改革委员会": "发改委", "发展改革委": "发改委", "发展和改革局": "发改局",
    "住房和城乡建设局": "住建局", "住房和城乡建设委员会": "住建委", "人力资源和社会保障局": "人社局",
    "市场监督管理局": "市场监管局", "卫生健康委员会": "卫健委", "卫生和健康委员会": "卫健委",
    "工业和信息化局": "工信局", "科学技术局": "科技局", "退役军人事务局": "退役军人局", "医疗保障局": "医保局",
    "城市管理局": "城管局", "城市管理综合行政执法局": "城管局", "国有资产监督管理委员会": "国资委",
    "民族宗教事务局": "民宗局", "民族宗教事务委员会": "民宗委", "人民防空办公室": "人防办", "外事办公室": "外办",
    "政务服务管理办公室": "政务办", "机关事务管理局": "机关事务局", "粮食和物资储备局": "粮储局",
    "地方金融监督管理局": "金融局", "文化广电和旅游局": "文广旅局", "文化和旅游局": "文旅局",
    "行政审批局": "审批局", "应急管理局": "应急局", "教育和体育局": "教体局", "教育体育局": "教体局",
}.items(), key=lambda pair: -len(pair[0]))
_PLACE = regexes.compile(r"(?:[^省市县区州盟旗]{1,8}?(?:省|自治区|市|自治州|州|盟|地区|县|自治县|区|旗))+")
MAX_ROSTER_BYTES = 20_000_000


class RosterError(Exception):
    """A roster that cannot be used: file:line and what is wrong."""


@dataclass
class Agency:
    name: str
    kind: str = "unknown"
    parent: str = ""
    expected: str = ""
    published: date | None = None
    aliases: list[str] = field(default_factory=list)
    line: int = 0

    def keys(self) -> set[str]:
        names = [self.name, *self.aliases]
        keys = {canonical(n) for n in names}
        if self.parent:
            parent = _plain(self.parent)
            keys |= {parent + _without_level(canonical(n)) for n in names if not canonical(n).startswith(parent)}
        return {k for k in keys if k}


def _plain(name: str) -> str:
    return re.sub(r"[\s()（）【】\[\]<>《》“”\"'·・]", "", name or "")


def canonical(name: str) -> str:
    """A name as compared: no spaces or brackets; 人民政府办公室 → 人民政府 → 政府;
    a bare place (a government report titled 吴忠市2017年…) → its 政府."""
    key = re.sub(r"(?:人民)?政府办公(?:室|厅)$", "人民政府", _plain(name))
    if _PLACE.fullmatch(key):
        key += "政府"
    for full, short in _SHORT:
        key = key.replace(full, short)
    return key.replace("人民政府", "政府")


def _without_level(name: str) -> str:
    """市教育局 → 教育局: the level word a parent's name already says."""
    return re.sub(r"^(?:本)?(?:省|市|区|县|州|镇|乡)(?=.)", "", name)


def load(path: str | Path) -> list[Agency]:
    """The roster's agencies, or RosterError naming the file and line."""
    path = Path(path)
    try:
        if path.stat().st_size > MAX_ROSTER_BYTES:
            raise RosterError(f"{path}: 名册超过 {MAX_ROSTER_BYTES // 1_000_000} MB，不像是机关名册")
        raw = path.read_bytes()
    except OSError as err:
        raise RosterError(f"{path}: 无法读取名册 ({err.strerror or err})") from None
    text = _decode(raw, path)
    try:
        rows = list(csv.reader(io.StringIO(text)))
    except csv.Error as err:
        raise RosterError(f"{path}: 不是可用的 CSV 名册（{err}）") from None
    if not rows or not any(cell.strip() for cell in rows[0]):
        raise RosterError(f"{path}:1: 名册是空的：第一行应为列名（名称、类型、上级、报告、发布日期、别名）")
    header = [cell.strip().lower() for cell in rows[0]]
    columns = {field_name: next((k for k, h in enumerate(header) if h in names), None)
               for field_name, names in _COLUMNS.items()}
    if columns["name"] is None:
        raise RosterError(f"{path}:1: 名册第一行没有“名称”列（列名：{'、'.join(h for h in header if h) or '无'}）")
    agencies, seen = [], {}
    for number, row in enumerate(rows[1:], 2):
        if not any(cell.strip() for cell in row):
            continue
        agency = _agency(row, columns, path, number, header)
        if canonical(agency.name) in seen:
            raise RosterError(f"{path}:{number}: “{agency.name}”在第{seen[canonical(agency.name)]}行已列出")
        seen[canonical(agency.name)] = number
        agencies.append(agency)
    return agencies


def _decode(raw: bytes, path: Path) -> str:
    """UTF-8 (with or without BOM), else GB18030: Excel on a Chinese Windows saves CSV as GBK."""
    if b"\0" in raw[:4096] and not raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise RosterError(f"{path}: 不是文本格式的 CSV 名册（可在 Excel 中另存为“CSV UTF-8”）")
    for encoding in ("utf-8-sig", "utf-16", "gb18030"):
        if encoding == "utf-16" and not raw.startswith((b"\xff\xfe", b"\xfe\xff")):
            continue
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise RosterError(f"{path}: 名册的编码无法识别（请存为 UTF-8）")


def _agency(row: list[str], columns: dict, path: Path, number: int, header: list[str]) -> Agency:
    def cell(field_name: str) -> str:
        k = columns[field_name]
        return row[k].strip() if k is not None and k < len(row) else ""

    name = cell("name")
    if not name:
        raise RosterError(f"{path}:{number}: 这一行没有机关名称")
    if any(ord(c) < 32 or 0x7F <= ord(c) < 0xA0 for cell_text in row for c in cell_text.strip()):
        raise RosterError(f"{path}:{number}: 这一行含有控制字符（名册可能已损坏）")
    kind_text = cell("kind")
    kind = _KINDS.get(kind_text.lower() if kind_text.isascii() else kind_text)
    if kind is None:
        raise RosterError(f"{path}:{number}:{columns['kind'] + 1}: 机关类型“{kind_text}”不认识"
                          f"（可用：部门、政府、乡镇、街道、开发区）")
    published = None
    if cell("published"):
        published = parse_date(cell("published"))
        if published is None:
            raise RosterError(f"{path}:{number}:{columns['published'] + 1}: 发布日期“{cell('published')}”不认识"
                              f"（写作 2025-01-20 或 2025年1月20日）")
    aliases = [a.strip() for a in re.split(r"[；;|｜]", cell("aliases")) if a.strip()]
    return Agency(name=name, kind=kind, parent=cell("parent"), expected=cell("expected"), published=published,
                  aliases=aliases, line=number)


def parse_date(text: str) -> date | None:
    match = re.fullmatch(r"\s*(\d{4})\s*(?:[-/.年])\s*(\d{1,2})\s*(?:[-/.月])\s*(\d{1,2})\s*日?\s*", text)
    if not match:
        return None
    try:
        return date(*(int(x) for x in match.groups()))
    except ValueError:
        return None


# ---------------------------------------------------------------- matching

@dataclass
class Match:
    """Which roster agency each report belongs to (by index), and what is left over."""

    owner: dict[int, int]  # report index → agency index
    unmatched: list[int]  # report indexes with no agency


def match(agencies: list[Agency], reports: list[tuple[str, str | None]]) -> Match:
    """`reports`: (path, agency name read from the report)."""
    by_key: dict[str, int] = {}
    for index, agency in enumerate(agencies):
        for key in agency.keys():
            by_key.setdefault(key, index)
    by_file = {_file_key(a.expected): k for k, a in enumerate(agencies) if a.expected}
    owner, unmatched = {}, []
    for index, (path, name) in enumerate(reports):
        found = by_file.get(_file_key(path))
        if found is not None:
            owner[index] = found
            continue
        key = canonical(name or "")
        found = by_key.get(key)
        if found is None and key:
            found = _by_place(key, by_key)
        if found is not None:
            owner[index] = found
        else:
            unmatched.append(index)
    return Match(owner, unmatched)


def _file_key(path: str) -> str:
    """A report file or address compared by its last part."""
    return re.split(r"[/\\]", path.rstrip("/\\"))[-1].lower() if path else ""


def _by_place(key: str, by_key: dict[str, int]) -> int | None:
    """The one agency whose name is this one's with a place prefix added or
    removed (江苏省淮安市教育局 ~ 淮安市教育局)."""
    found = {index for other, index in by_key.items()
             if len(other) >= 4 and len(key) >= 4 and other != key
             and ((key.endswith(other) and _PLACE.fullmatch(key[:-len(other)]))
                  or (other.endswith(key) and _PLACE.fullmatch(other[:-len(key)])))}
    return found.pop() if len(found) == 1 else None
