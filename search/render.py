"""The plain `Answer.text`: short, one line per result, in the language of the question.

Wording lives in the `_WORDS` table; the functions only fill it in. Every answer that lists
results shows at most one page of them and then says how many more there are.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from indexer.indexing.records import ReportRow
from indexer.models import Contact
from search.answer import Result
from search.rules import Metric

_WORDS: dict[str, dict[str, str]] = {
    "zh": {
        "phones": "联系电话",
        "fax": "传真",
        "postcode": "邮编",
        "address": "地址",
        "email": "电子邮箱",
        "website": "网站",
        "all": "联系方式",
        "none_given": "{name}：报告中没有写{field}。",
        "not_given": "报告中没有写",
        "instead": "可以试试{rest}",
        "no_contact": "{name}：报告中没有联系方式。",
        "several": "有 {n} 个乡镇符合：",
        "which_township": "请说明是哪个乡镇，例如：{example}的联系电话。",
        "sep": "；",
        "colon": "：",
        "more": "…… 还有 {n} 个",
        "missing": "另有 {n} 份报告没有这项数字，未计入。",
        "cond_any": "有{label}的乡镇",
        "cond_none": "没有{label}的乡镇",
        "cond_cmp": "{label}{op}{n}{unit}的乡镇",
        "cond_range": "{label}在{low}到{high}{unit}之间的乡镇",
        "cond_blank": "报告中没有{label}数字的乡镇",
        "cond_field": "报告中写了{field}的乡镇",
        "cond_field_none": "报告中没有写{field}的乡镇",
        "values": "{label}{scope}：",
        "value_of": "{name}{label}：{value}",
        "no_report": "没有找到{names}{scope}的报告。",
        "figures": "各项数字{scope}，{n} 份报告：",
        "no_figure": "报告中没有这项数字",
        "no_figure_short": "没有数字",
        "rank_all_zero": "{label}{scope}：有数字的 {n} 份报告都是 0。",
        "listed": "{what}{scope}：{n} 个",
        "nothing": "没有找到{what}{scope}（查看了 {seen} 份报告）。",
        "empty_scope": "没有找到{scope}的报告。现有 {n} 份报告，年份：{years}。",
        "reports": "报告{scope}：{n} 份",
        "rank_max": "{label}最多{scope}：{names}，{value}{unit}",
        "rank_min": "{label}最少{scope}：{names}，{value}{unit}",
        "rank_none": "没有可以比较的{label}数字{scope}。",
        "rank_zeros": "其余 {n} 个乡镇为 0。",
        "years_span": "{a}–{b}年",
        "years_list": "{years}年",
        "years_change": "{a}年→{b}年",
        "series_head": "{label}{scope}，{n} 个乡镇：",
        "series_reports": "各年的报告{scope}，{n} 个乡镇：",
        "no_reports": "没有找到{scope}的报告。",
        "no_report_year": "没有报告",
        "change_rise": "{label}增加最多{scope}：{names}，{delta}",
        "change_fall": "{label}减少最多{scope}：{names}，{delta}",
        "change_none_rise": "{label}{scope}：没有乡镇增加。",
        "change_none_fall": "{label}{scope}：没有乡镇减少。",
        "change_rest_rise": "其余 {n} 个乡镇没有增加。",
        "change_rest_fall": "其余 {n} 个乡镇没有减少。",
        "change_one_year": "另有 {n} 个乡镇只有其中一年的数字，未计入。",
        "change_need_years": "比较需要两个年份的报告{scope}，现有年份：{years}。",
        "change_line": "{then} → {now}（{delta}）",
        "coverage": "年报覆盖率{scope}：{n}/{total} 个乡镇有报告（{ratio}）",
        "coverage_missing": "没有报告的乡镇{scope}：{missing} 个（{n}/{total} 个乡镇有报告）",
        "coverage_none": "没有报告：",
        "late": "晚于次年{due}发布的报告{scope}：{n} 份",
        "on_time": "在次年{due}前发布的报告{scope}：{n} 份",
        "late_line": "{date} 发布，晚 {days} 天",
        "on_time_line": "{date} 发布",
        "undated": "另有 {n} 份报告没有发布日期，无法判断是否按时。",
        "due": "{m}月{d}日",
        "sum": "{label}合计{scope}：{value}（{n} 份报告）",
        "sum_none": "没有可以合计的{label}数字{scope}。",
        "count_reports": "共有 {n} 份报告{scope}，来自 {t} 个乡镇。",
        "count_townships": "{what}{scope}：{n} 个",
        "keyword": "“{words}”出现在 {n} 份报告中：",
        "keyword_none": "报告里没有找到“{words}”。",
        "past_end": "（这一页没有结果：一共只有 {n} 个。）",
        "unit_item": "件",
        "ops": ">:超过|>=:不少于|<:少于|<=:不超过|==:等于",
        "year": "{y}年",
        "help": (
            "我可以回答这些问题：\n"
            "· 联系方式：{t}的联系电话 / {t} 邮编 / {t}地址\n"
            "· 筛选：{y}年有哪些乡镇收到了政府信息公开申请 / 行政处罚超过10件的乡镇 / {p}的乡镇\n"
            "· 排名和合计：哪个乡镇行政处罚最多 / {y}年一共收到多少政府信息公开申请\n"
            "· 一个乡镇的数字：{t}行政处罚多少件 / {t}概况 / 哪些乡镇的数据对不上\n"
            "· 历年和覆盖：{t}历年行政许可 / 申请数增加最多的乡镇 / {p}哪些乡镇没有{y}年的报告 / "
            "{y}年哪些乡镇的报告晚于1月31日发布\n"
            "· 全文检索：输入报告中的词语，例如 微信公众号"
        ),
        "unknown_words": "报告里没有找到“{words}”，这个问题我也没能理解。\n",
    },
    "en": {
        "phones": "phone",
        "fax": "fax",
        "postcode": "postcode",
        "address": "address",
        "email": "email",
        "website": "website",
        "all": "contact details",
        "none_given": "{name}: the report gives no {field}.",
        "not_given": "not given in the report",
        "instead": "It gives {rest}",
        "no_contact": "{name}: the report gives no contact details.",
        "several": "{n} townships match:",
        "which_township": "Which township? For example: {example} phone.",
        "sep": "; ",
        "colon": ": ",
        "more": "… and {n} more",
        "missing": "Left out: {n} report(s) giving no figure for this.",
        "cond_any": "Townships with {label}",
        "cond_none": "Townships with no {label}",
        "cond_cmp": "Townships with {op} {n} {label}",
        "cond_range": "Townships with {low} to {high} {label}",
        "cond_blank": "Townships whose report gives no figure for {label}",
        "cond_field": "Townships whose report gives their {field}",
        "cond_field_none": "Townships whose report gives no {field}",
        "values": "{label}{scope}:",
        "value_of": "{name} {label}: {value}",
        "no_report": "No report from {names}{scope}.",
        "figures": "Figures{scope}, {n} report{s}:",
        "no_figure": "the report gives no figure",
        "no_figure_short": "no figure",
        "rank_all_zero": "{label}{scope}: all {n} reports with a figure give 0.",
        "listed": "{what}{scope}: {n}",
        "nothing": "No {what_lower}{scope} ({seen} reports looked at).",
        "empty_scope": "No reports{scope}. There are {n} reports, of the years {years}.",
        "reports": "Reports{scope}: {n}",
        "rank_max": "Most {label}{scope}: {names}, {value}{unit}",
        "rank_min": "Fewest {label}{scope}: {names}, {value}{unit}",
        "rank_none": "No figures for {label} to compare{scope}.",
        "rank_zeros": "{n} other township{s} at 0.",
        "years_span": "{a}–{b}",
        "years_list": "{years}",
        "years_change": "{a} → {b}",
        "series_head": "{label}{scope}, {n} township{s}:",
        "series_reports": "Reports by year{scope}, {n} township{s}:",
        "no_reports": "No reports{scope}.",
        "no_report_year": "no report",
        "change_rise": "Biggest rise in {label}{scope}: {names}, {delta}",
        "change_fall": "Biggest fall in {label}{scope}: {names}, {delta}",
        "change_none_rise": "No township's {label} rose{scope}.",
        "change_none_fall": "No township's {label} fell{scope}.",
        "change_rest_rise": "{n} other township{s} did not rise.",
        "change_rest_fall": "{n} other township{s} did not fall.",
        "change_one_year": "Left out: {n} township(s) with a figure for only one of the years.",
        "change_need_years": "A change needs reports of two years{scope}; the years: {years}.",
        "change_line": "{then} → {now} ({delta})",
        "coverage": "Report coverage{scope}: {n} of {total} townships have a report ({ratio})",
        "coverage_missing": "Townships with no report{scope}: {missing} ({n} of {total} have one)",
        "coverage_none": "no report: ",
        "late": "Reports published after {due} of the next year{scope}: {n}",
        "on_time": "Reports published by {due} of the next year{scope}: {n}",
        "late_line": "published {date}, {days} days late",
        "on_time_line": "published {date}",
        "undated": "Not counted: {n} report(s) with no known publication date.",
        "due": "{month} {d}",
        "sum": "Total {label}{scope}: {value} (across {n} report{s})",
        "sum_none": "No figures for {label} to add up{scope}.",
        "count_reports": "{n} report{s}{scope}, from {t} township{ts}.",
        "count_townships": "{what}{scope}: {n}",
        "keyword": "“{words}” appears in {n} report{s}:",
        "keyword_none": "No report mentions “{words}”.",
        "past_end": "(Nothing on this page: there are only {n} in all.)",
        "unit_item": "",
        "ops": ">:more than|>=:at least|<:fewer than|<=:at most|==:exactly",
        "year": "{y}",
        "help": (
            "I can answer questions like these:\n"
            "· Contact details: {t} phone / {t} postcode / contact details for {tp}\n"
            "· Filters: townships with disclosure applications in {y} / townships in {p}\n"
            "· Rankings and totals: which township has the most penalties / "
            "how many applications in {y}\n"
            "· One township's figures: penalties of {tp} / overview of {tp} / "
            "reports with failed checks\n"
            "· Years and coverage: {tp} licensing by year / largest increase in applications / "
            "which townships in {p} have no {y} report / late reports in {y}\n"
            "· Keyword search: type words from the reports, e.g. 微信公众号"
        ),
        "unknown_words": "No report mentions “{words}”, and I did not understand the question.\n",
    },
}
_CONTACT_FIELDS: tuple[str, ...] = ("address", "postcode", "phones", "fax", "email", "website")


def words(lang: str) -> dict[str, str]:
    """The wording table of one language (``zh`` or ``en``)."""
    return _WORDS.get(lang, _WORDS["zh"])


def place(result: Result) -> str:
    """Where a township is, shortest useful form: city and county."""
    parts = [p for p in (result.city, result.county) if p and p != result.township]
    return "".join(dict.fromkeys(parts))


def label(result: Result, lang: str) -> str:
    """The township with where and when in brackets: 长胜乡（双鸭山市岭东区，2023）."""
    name = result.township or result.agency or result.report_id
    details = [p for p in (place(result), str(result.year or "")) if p]
    if not details:
        return name
    if lang == "zh":
        return f"{name}（{'，'.join(details)}）"
    return f"{name} ({', '.join(details)})"


def place_label(result: Result | ReportRow, lang: str) -> str:
    """The township with where it is in brackets, no year: 长胜乡（双鸭山市岭东区）."""
    name = result.township or result.agency or getattr(result, "report_id", None) or ""
    parts = [p for p in (result.city, result.county) if p and p != result.township]
    where = "".join(dict.fromkeys(parts))
    if not where:
        return name
    return f"{name}（{where}）" if lang == "zh" else f"{name} ({where})"


def _field_value(contact: Contact, field: str) -> str | None:
    value = getattr(contact, field)
    if isinstance(value, list):
        return "、".join(value) if value else None
    return value or None


def gives(contact: Contact | None, field: str) -> bool:
    """Whether a report's contact details give ``field`` (``all``: any field at all)."""
    if contact is None:
        return False
    fields = _CONTACT_FIELDS if field == "all" else (field,)
    return any(_field_value(contact, f) for f in fields)


def field_text(contact: Contact | None, field: str, lang: str) -> str | None:
    """The value of one contact field, or every field given (``all``); ``None`` if none."""
    if contact is None:
        return None
    if field != "all":
        return _field_value(contact, field)
    w = words(lang)
    shown = [f"{w[f]}{w['colon']}{v}" for f in _CONTACT_FIELDS if (v := _field_value(contact, f))]
    return w["sep"].join(shown) or None


def capital(text: str, lang: str) -> str:
    """``text`` with its first letter upper-case in English (a label opening a line)."""
    return text[:1].upper() + text[1:] if lang == "en" else text


def contact_line(result: Result, field: str, lang: str) -> str:
    """One township's contact line: the field asked for, or every field it has."""
    w = words(lang)
    contact = result.contact or Contact()
    name = label(result, lang)
    if field == "all":
        given = [(f, _field_value(contact, f)) for f in _CONTACT_FIELDS]
        shown = [f"{w[f]}{w['colon']}{v}" for f, v in given if v]
        if not shown:
            return w["no_contact"].format(name=name)
        return f"{name}{w['colon']}" + w["sep"].join(shown)
    value = _field_value(contact, field)
    if value:
        return f"{name} {w[field]}{w['colon']}{value}"
    others = [
        f"{w[f]}{w['colon']}{v}"
        for f in ("website", *_CONTACT_FIELDS)
        if f != field and (v := _field_value(contact, f))
    ]
    line = w["none_given"].format(name=name, field=w[field])
    if others:
        line += " " + w["instead"].format(rest=w["sep"].join(dict.fromkeys(others[:2])))
    return line


def _fields_line(result: Result, fields: Sequence[str], lang: str) -> str:
    """One township's line for several fields asked at once (邮编和电话), each or its absence."""
    w = words(lang)
    contact = result.contact or Contact()
    shown = []
    for field in fields:
        value = _field_value(contact, field)
        shown.append(f"{w[field]}{w['colon']}{value or w['not_given']}")
    return f"{label(result, lang)}{w['colon']}" + w["sep"].join(shown)


def contact_text(
    results: Sequence[Result], field: str, query: str, lang: str, fields: Sequence[str] = ()
) -> str:
    """The text of a contact answer: one line per township, a header when several match.

    ``fields``, when two or more are asked at once, are each shown (or said to be missing).
    """
    if len(fields) > 1:
        lines = [_fields_line(r, fields, lang) for r in results]
    else:
        lines = [contact_line(r, field, lang) for r in results]
    if len(results) > 1:
        lines.insert(0, words(lang)["several"].format(n=len(results), query=query))
    return "\n".join(lines)


def value_text(
    value: float | int | None, metric: Metric | None, lang: str, short: bool = False
) -> str:
    """A figure with its unit (``19件``, ``1.5 万元``), or says the report gives none."""
    if value is None:
        return words(lang)["no_figure_short" if short else "no_figure"]
    shown = f"{value:g}" if isinstance(value, float) else str(value)
    if metric is None:
        return shown
    unit = metric.unit_zh if lang == "zh" else metric.unit_en
    return f"{shown}{unit}" if lang == "zh" else (f"{shown} {unit}" if unit else shown)


def result_lines(
    results: Sequence[Result],
    total: int,
    metric: Metric | None,
    lang: str,
    offset: int = 0,
    notes: Mapping[str, Sequence[str]] | None = None,
) -> list[str]:
    """One line per result (label and value, or first snippet), then "… N more" after this page.

    ``results`` is one page of ``total``, starting at position ``offset``; ``notes`` (by
    report id) are written under their result, one per line.
    """
    if total and not results:
        return [words(lang)["past_end"].format(n=total)]
    lines = []
    for r in results:
        line = "· " + label(r, lang)
        if metric is not None:
            line += words(lang)["colon"] + value_text(r.value, metric, lang)
        elif r.snippets:
            line += words(lang)["colon"] + r.snippets[0].text
        lines.append(line)
        lines += [f"  - {note}" for note in (notes or {}).get(r.report_id, ())]
    after = total - offset - len(results)
    if after > 0:
        lines.append(words(lang)["more"].format(n=after))
    return lines


def help_text(lang: str, township: str, spelled: str, province: str, year: int) -> str:
    """What gongkai can answer, with examples drawn from the loaded records."""
    return words(lang)["help"].format(t=township, tp=spelled, p=province, y=year)
