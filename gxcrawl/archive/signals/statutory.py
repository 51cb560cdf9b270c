"""The statutory publication dates of annual reports, and what kind of body a report's
issuer is.

《中华人民共和国政府信息公开条例》:

* 2019 revision (in force from 2019-05-15, so for the reports on 2019 onwards) —
  第四十九条: the departments of governments at county level and above publish their
  report on the previous year by **31 January**; 第五十条: the governments at county level
  and above (through their 政府信息公开工作主管部门) by **31 March**. Township governments
  and 街道 offices, and the 公共企事业单位 (schools, hospitals, companies, 第五十五条), are
  given no date.
* 2008 text (in force 2008-05-01 to 2019-05-14, reports on 2008–2018) — 第三十一条: every
  行政机关 by **31 March**.

>>> body_kind("三明市财政局"), body_kind("永嘉县人民政府"), body_kind("永嘉县岩头镇人民政府")
('department', 'government', 'township')
>>> statutory_deadline(2022, "department", "county")
('2023-01-31', '2019 条例 第四十九条: departments of county-level and higher governments by 31 January')
>>> statutory_deadline(2022, "township", "county")
(None, '2019 条例: no date for township governments and 街道 offices')
>>> statutory_deadline(2017, "township", None)[0]
'2018-03-31'
"""
from __future__ import annotations

import re
from typing import Optional

#: region levels that are "county level and above" (the registry's levels)
COUNTY_AND_ABOVE = ("county", "prefecture", "province")

_TOWNSHIP = re.compile(r"(?:镇|乡|苏木)人民政府$|街道(?:办事处|办|工委)?$|街道办事处$")
_GOVERNMENT = re.compile(r"人民政府$")
#: 公共企事业单位 (条例 第五十五条): their own rules, no statutory date
_INSTITUTION = re.compile(r"(?:大学|学院|学校|中学|小学|幼儿园|医院|卫生院|公司|集团|银行)$")


def body_kind(agency: Optional[str]) -> Optional[str]:
    """'government' | 'department' | 'township' | 'institution' from the issuer's name
    (None when the report names no issuer).

    >>> [body_kind(a) for a in ("福州市晋安区王庄街道办事处", "三明市人民政府办公室", "明溪县医院", None)]
    ['township', 'department', 'institution', None]
    """
    name = "".join((agency or "").split())
    if not name:
        return None
    if _TOWNSHIP.search(name):
        return "township"
    if _GOVERNMENT.search(name):
        return "government"
    if _INSTITUTION.search(name):
        return "institution"
    return "department"


def statutory_deadline(year: int, kind: Optional[str], level: Optional[str]) -> tuple[Optional[str], str]:
    """(last day to publish the report on `year` as YYYY-MM-DD or None, the rule in words)
    for a body of `kind` (body_kind) in a region of `level` (county | prefecture | province,
    None when unknown)."""
    if not year or year < 2008:
        return None, "no statutory date before the 2008 条例"
    if kind is None:
        return None, "issuer unknown"
    if kind == "institution":
        return None, "公共企事业单位: no statutory date (条例 第五十五条)"
    if year <= 2018:
        return f"{year + 1}-03-31", "2008 条例 第三十一条: every body by 31 March"
    if kind == "township":
        return None, "2019 条例: no date for township governments and 街道 offices"
    if level not in COUNTY_AND_ABOVE:
        return None, "region level unknown"
    if kind == "government":
        return f"{year + 1}-03-31", "2019 条例 第五十条: county-level and higher governments by 31 March"
    return f"{year + 1}-01-31", "2019 条例 第四十九条: departments of county-level and higher governments by 31 January"
