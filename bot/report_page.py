"""The report page, `/reports/{id}`: one record as a person reads the report itself.

Each number links to the source line it was read from (`Report.provenance`): the line shows
beside the number on hover and on keyboard focus, and following the link jumps to that line
in the list of source lines at the end of the page. A blank cell stays blank.
"""

from __future__ import annotations

from urllib.parse import quote

from bot.html import Html, document, join, tag
from bot.report_layout import (
    APPLICANT_HEADINGS,
    APPLICATION_LAYOUT,
    APPROXIMATE_WORDS,
    CONTACT_LABELS,
    LAWSUITS,
    LEGAL_PERSONS,
    OUTCOME_HEADINGS,
    PLACE_FIELDS,
    PROACTIVE_BLOCKS,
    REVIEW_GROUPS,
    SECTION_TITLES,
    VIA_WORDS,
)
from indexer.models import Provenance, Report, value_at


def report_url(report_id: str) -> str:
    """The report page's path for an id."""
    return f"/reports/{quote(report_id, safe='')}"


def original_url(report: Report) -> str:
    """Where the original is: the page's own address where known, else the stored file."""
    url = report.source.url
    if url and url.lower().startswith(("http://", "https://")):
        return url
    return f"{report_url(report.id)}/original"


def _number(value: int | float) -> str:
    if isinstance(value, float):
        return f"{value:.4f}".rstrip("0").rstrip(".")
    return str(value)


def _anchor(path: str) -> str:
    return path.replace(".", "-").replace("_", "-")


def _how(prov: Provenance) -> list[str]:
    """How a value was read, in words (empty for a value read from its own cell)."""
    words = [VIA_WORDS[prov.via]] if prov.via else []
    if prov.approximate:
        words.append(f"原文为{APPROXIMATE_WORDS}")
    return words


def number_cell(report: Report, path: str, **attrs: object) -> Html:
    """A table cell: empty when blank; else the number linked to its source line."""
    value = value_at(report, path)
    if value is None:
        return tag("td", class_="n blank", title="报告此处空白（未填写）", data_path=path, **attrs)
    prov = report.provenance.get(path)
    if prov is None:
        shown = tag("span", _number(value), class_="num", title="来源行未记录")
        return tag("td", shown, class_="n", data_path=path, **attrs)
    tip_id = f"t-{_anchor(path)}"
    how = _how(prov)
    link = tag(
        "a",
        ("约" if prov.approximate else None),
        _number(value),
        class_="num",
        href=f"#L{prov.line}",
        aria_describedby=tip_id,
    )
    tip = tag(
        "span",
        tag("b", f"第 {prov.line} 行"),
        [f" · {word}" for word in how],
        "：",
        tag("q", prov.text),
        class_="tip",
        role="tooltip",
        id=tip_id,
    )
    marks = tag("span", "·".join(how), class_="via") if how else None
    return tag(
        "td", link, marks, tip, class_="n" + (" derived" if how else ""), data_path=path, **attrs
    )


# -- the parts of the page -------------------------------------------------------------------


def _place(report: Report) -> str:
    parts = [getattr(report, name) for name in PLACE_FIELDS]
    return " · ".join(dict.fromkeys(p for p in parts if p))


def _facts(report: Report) -> Html:
    rows = [
        ("发文机关", report.agency or "未写明"),
        ("地区", _place(report) or "未知"),
        ("年度", f"{report.year} 年" if report.year else "未知"),
        ("发布日期", report.source.published or "未写明"),
    ]
    items = [join([tag("dt", k), tag("dd", v)]) for k, v in rows]
    original = original_url(report)
    external = original != f"{report_url(report.id)}/original"
    links = tag(
        "p",
        tag(
            "a",
            "查看原文" + ("（来源网页）" if external else "（存档文件）"),
            href=original,
            rel="noopener noreferrer" if external else None,
        ),
        " · ",
        tag("a", "JSON 记录", href=f"/api/reports/{quote(report.id, safe='')}"),
        class_="links",
    )
    return tag("section", tag("dl", items, class_="facts"), links, aria_label="概况")


def _contact(report: Report) -> Html:
    c = report.contact
    rows = [
        join([tag("dt", "电话"), tag("dd", tag("a", p, href="tel:" + _dial(p), class_="phone"))])
        for p in c.phones
    ]
    for field, label in CONTACT_LABELS:
        value = getattr(c, field)
        if value:
            rows.append(join([tag("dt", label), tag("dd", _contact_value(field, value))]))
    if not rows:
        rows.append(join([tag("dt", "联系方式"), tag("dd", "报告中未写明")]))
    return tag(
        "section",
        tag("h2", "联系方式 ", tag("span", "Contact", class_="en")),
        tag("div", tag("dl", rows), class_="card"),
        class_="contact",
    )


def _dial(phone: str) -> str:
    return "".join(ch for ch in phone if ch.isdigit() or ch in "+-")


def _contact_value(field: str, value: str) -> Html | str:
    if field == "email" and "@" in value and not any(ch in value for ch in " <>\"'"):
        return tag("a", value, href=f"mailto:{value}")
    if field == "website" and value.lower().startswith(("http://", "https://")):
        return tag("a", value, href=value, rel="noopener noreferrer")
    return value


def _table_section(title: str, en: str, table: Html, *after: Html | None) -> Html:
    return tag(
        "section",
        tag("h2", title, " ", tag("span", en, class_="en")),
        tag("div", table, class_="table-wrap"),
        *after,
        class_="report-table",
    )


def _proactive(report: Report) -> Html:
    width = 1 + max(len(columns) for _, columns, _ in PROACTIVE_BLOCKS)
    rows = []
    for heading, columns, items in PROACTIVE_BLOCKS:
        span = (width - 1) // len(columns)
        rows.append(tag("tr", tag("th", heading, colspan=width, scope="colgroup", class_="block")))
        rows.append(
            tag(
                "tr",
                tag("th", "信息内容", scope="col"),
                [tag("th", c, scope="col", colspan=span if span > 1 else None) for c in columns],
            )
        )
        for label, paths in items:
            cells = [number_cell(report, p, colspan=span if span > 1 else None) for p in paths]
            rows.append(tag("tr", tag("th", label, scope="row"), cells))
    if report.proactive.published_items is not None:
        rows.append(
            tag("tr", tag("th", "正文所述", colspan=width, scope="colgroup", class_="block"))
        )
        cell = number_cell(report, "proactive.published_items", colspan=width - 1)
        rows.append(tag("tr", tag("th", "主动公开信息条数", scope="row"), cell))
    table = tag("table", tag("tbody", rows), class_="form proactive")
    return _table_section("二、主动公开政府信息情况", "Proactive disclosure", table)


def _spans(values: list[str | None]) -> list[int]:
    """For each row, how many rows its group cell spans (0 where an earlier row's cell does)."""
    out = [0] * len(values)
    i = 0
    while i < len(values):
        j = i
        while j + 1 < len(values) and values[i] is not None and values[j + 1] == values[i]:
            j += 1
        out[i] = j - i + 1
        i = j + 1
    return out


def _applications_head() -> Html:
    first = tag(
        "tr",
        tag(
            "th",
            "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）",
            colspan=3,
            rowspan=3,
            class_="corner",
        ),
        tag("th", "申请人情况", colspan=7, scope="colgroup"),
    )
    second = tag(
        "tr",
        tag("th", APPLICANT_HEADINGS[0][1], rowspan=2, scope="col"),
        tag("th", LEGAL_PERSONS, colspan=5, scope="colgroup"),
        tag("th", APPLICANT_HEADINGS[-1][1], rowspan=2, scope="col"),
    )
    third = tag("tr", [tag("th", label, scope="col") for _, label in APPLICANT_HEADINGS[1:-1]])
    return tag("thead", first, second, third)


def _applications(report: Report) -> Html:
    outer = _spans([row[1] for row in APPLICATION_LAYOUT])
    inner = _spans([row[2] for row in APPLICATION_LAYOUT])
    body = []
    for i, (key, group, subgroup, label) in enumerate(APPLICATION_LAYOUT):
        heads: list[Html] = []
        if group is None:
            heads.append(tag("th", label, colspan=3, scope="row"))
        else:
            if outer[i]:
                heads.append(tag("th", group, rowspan=outer[i], scope="rowgroup", class_="group"))
            if subgroup is None:
                heads.append(tag("th", label, colspan=2, scope="row"))
            else:
                if inner[i]:
                    heads.append(
                        tag("th", subgroup, rowspan=inner[i], scope="rowgroup", class_="group")
                    )
                heads.append(tag("th", label, scope="row"))
        cells = [number_cell(report, f"applications.{key}.{col}") for col, _ in APPLICANT_HEADINGS]
        body.append(tag("tr", heads, cells, data_row=key))
    table = tag("table", _applications_head(), tag("tbody", body), class_="form applications")
    return _table_section("三、收到和处理政府信息公开申请情况", "Applications", table)


def _reviews(report: Report) -> Html:
    size = len(OUTCOME_HEADINGS)
    first = tag(
        "tr",
        tag("th", REVIEW_GROUPS[0][1], colspan=size, rowspan=2, scope="colgroup"),
        tag("th", LAWSUITS, colspan=2 * size, scope="colgroup"),
    )
    second = tag(
        "tr", [tag("th", name, colspan=size, scope="colgroup") for _, name in REVIEW_GROUPS[1:]]
    )
    third = tag(
        "tr",
        [tag("th", label, scope="col") for _ in REVIEW_GROUPS for _, label in OUTCOME_HEADINGS],
    )
    values = tag(
        "tr",
        [
            number_cell(report, f"{group}.{key}")
            for group, _ in REVIEW_GROUPS
            for key, _ in OUTCOME_HEADINGS
        ],
    )
    table = tag(
        "table", tag("thead", first, second, third), tag("tbody", values), class_="form reviews"
    )
    note = None
    if report.lawsuits_stated is not None:
        note = tag(
            "p", f"正文另述行政诉讼共 {report.lawsuits_stated} 件（未分列于上表）。", class_="note"
        )
    return _table_section(
        "四、政府信息公开行政复议、行政诉讼情况", "Reviews and lawsuits", table, note
    )


def _checks(report: Report) -> Html:
    heading = tag("h2", "一致性检查 ", tag("span", "Checks", class_="en"))
    if not report.checks:
        return tag(
            "section", heading, tag("p", "各项一致性检查均通过。", class_="ok"), class_="checks"
        )
    intro = tag("p", f"有 {len(report.checks)} 项检查未通过：")
    items = [tag("li", c.message, " ", tag("code", c.code)) for c in report.checks]
    return tag("section", heading, intro, tag("ul", items), class_="checks failed")


def _source_lines(report: Report) -> Html:
    lines: dict[int, str] = {}
    for prov in report.provenance.values():
        lines.setdefault(prov.line, prov.text)
    items = [
        tag("li", tag("span", str(n), class_="ln"), tag("code", text), id=f"L{n}", value=n)
        for n, text in sorted(lines.items())
    ]
    return tag(
        "section",
        tag("h2", "数字的出处 ", tag("span", "Source lines", class_="en")),
        tag("p", "表中每个数字都链接到读出它的那一行（行号为规范化后的文本行）。", class_="muted"),
        tag("ol", items, class_="source-lines") if items else tag("p", "没有记录来源行。"),
        class_="sources",
    )


def _sections(report: Report) -> Html | None:
    parts = [
        tag(
            "details",
            tag("summary", SECTION_TITLES.get(key, key)),
            tag("div", text, class_="prose"),
        )
        for key, text in report.sections.items()
        if text and text.strip()
    ]
    if not parts:
        return None
    return tag(
        "section",
        tag("h2", "报告正文 ", tag("span", "Text", class_="en")),
        parts,
        class_="sections",
    )


def render_report(report: Report) -> Html:
    """The whole report page."""
    title = report.title or report.agency or report.township or report.id
    legend = tag(
        "p",
        "表中数字可点击或用 Tab 键聚焦，查看它在原文中的行；空白格表示报告未填写，不是 0。",
        "标注“据正文叙述”“据表内合计推算”或“约”的数字不是直接从表格单元格读出的。",
        class_="legend muted",
    )
    return document(
        f"{title} — 政府信息公开年报问答",
        tag("nav", tag("a", "← 全部报告", href="/reports"), class_="crumbs", aria_label="导航"),
        tag("h1", title, class_="report-title"),
        _facts(report),
        _contact(report),
        legend,
        _proactive(report),
        _applications(report),
        _reviews(report),
        _checks(report),
        _source_lines(report),
        _sections(report),
        description=f"{title}：表格、数字出处与一致性检查",
    )
