"""What kind of body publishes the report, from its name, with the evidence.

The kind decides which articles bind it: 第四十九条 (2019) gives 县级以上人民政府部门
1月31日 and the 本级政府 report 3月31日 and says nothing of 乡镇 or 街道; 第五十条第（四）项
binds 各级人民政府 only. A 街道办事处 is a 派出机关, a 管委会 or 开发区 is neither a
government nor a department, and an 办公厅/办公室 reporting on its own work is a
department although its name contains 人民政府. When the name says nothing
certain the kind is unknown, and rules scoped to one kind do not run.
"""

from __future__ import annotations

import re

from .. import regexes
from ..document import AgencyKind

_REGION = regexes.compile(r"^.{1,14}(?:省|市|县|区|自治区|自治州|州|盟|旗|自治县|特区)$")
_TOWNSHIP = regexes.compile(r"^.{1,20}?(?:乡|镇|苏木)(?:人民政府)?$")
_SUBDISTRICT = regexes.compile(r"(?:街道办事处|街道办|街道)$")
_ZONE = regexes.compile(r"(?:管理委员会|管委会|开发区|高新区|新区|园区|试验区|示范区|保税区|自贸区)(?:管理委员会|管委会)?$")
_GOVERNMENT = regexes.compile(r"(?:人民)?政府$")
_OWN_OFFICE = regexes.compile(r"人民政府(?:办公厅|办公室)$|政府办$")  # not 人民政府外事办公室: a working department
_DEPARTMENT = regexes.compile(
    r"(?:局|委|委员会|办公厅|办公室|办|厅|部|署|中心|院|所|站|队|处|馆|会|社|台|行|司|集团|公司|学校|大学|医院|支队|分局|监狱)$"
)


def classify(name: str | None, signer: str | None = None) -> AgencyKind:
    """The kind of the body named `name` (from the title or the preamble);
    `signer` (the 落款) is used only when there is no name."""
    if name:
        return _from_name(re.sub(r"\s+", "", name), "报告标题或导语中的机关名称")
    if signer:
        return _from_name(re.sub(r"\s+", "", signer), "落款")
    return AgencyKind("unknown", evidence="报告中没有可识别的机关名称")


# First match wins, in this order: an office before a government, a 街道 or
# 管委会 before a region name. (pattern, kind, township, why)
_KINDS = (
    (_OWN_OFFICE, "department", False, "是政府的办公厅（室），报告本机关工作，按部门对待"),
    (_SUBDISTRICT, "subdistrict", False, "是街道办事处（派出机关），不是一级人民政府"),
    (_ZONE, "zone", False, "是管委会或开发区，不是一级人民政府"),
    (_TOWNSHIP, "government", True, "是乡镇人民政府"),
    (_GOVERNMENT, "government", False, "以“人民政府”或“政府”结尾"),
    (_REGION, "government", False, "是行政区名称（本级政府的报告）"),
    (_DEPARTMENT, "department", False, "是政府部门或部门管理的机构"),
)


def _from_name(name: str, where: str) -> AgencyKind:
    for pattern, kind, township, why in _KINDS:
        if pattern.search(name):
            return AgencyKind(kind, township=township, evidence=f"{where}“{name}”{why}")
    return AgencyKind("unknown", evidence=f"{where}“{name}”无法判断是政府还是部门")
