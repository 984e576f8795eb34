"""How the report page lays out the three tables: the rows and headings of the national form
(国务院办公厅 2021 年报格式), as plain data the renderer walks. Keys are the record's fields.
"""

from __future__ import annotations

# Section 二 (第二十条): one block per item of the article; each block has its column headings
# and its rows (label, record path of each cell).
PROACTIVE_BLOCKS: tuple[
    tuple[str, tuple[str, ...], tuple[tuple[str, tuple[str, ...]], ...]], ...
] = (
    (
        "第二十条第（一）项",
        ("本年制发件数", "本年废止件数", "现行有效件数"),
        (
            (
                "规章",
                (
                    "proactive.rules.issued",
                    "proactive.rules.repealed",
                    "proactive.rules.in_force",
                ),
            ),
            (
                "规范性文件",
                (
                    "proactive.normative_documents.issued",
                    "proactive.normative_documents.repealed",
                    "proactive.normative_documents.in_force",
                ),
            ),
        ),
    ),
    ("第二十条第（五）项", ("本年处理决定数量",), (("行政许可", ("proactive.licensing",)),)),
    (
        "第二十条第（六）项",
        ("本年处理决定数量",),
        (("行政处罚", ("proactive.penalties",)), ("行政强制", ("proactive.coercion",))),
    ),
    (
        "第二十条第（八）项",
        ("本年收费金额（单位：万元）",),
        (("行政事业性收费", ("proactive.fees",)),),
    ),
)

# Section 三: the applicant columns, under their two heading rows.
APPLICANT_HEADINGS: tuple[tuple[str, str], ...] = (
    ("natural_person", "自然人"),
    ("commercial", "商业企业"),
    ("research", "科研机构"),
    ("social", "社会公益组织"),
    ("legal_service", "法律服务机构"),
    ("other", "其他"),
    ("total", "总计"),
)
LEGAL_PERSONS = "法人或其他组织"  # the heading over commercial … other

_RESULTS = "三、本年度办理结果"
_WITHHELD = "（三）不予公开"
_UNAVAILABLE = "（四）无法提供"
_REJECTED = "（五）不予处理"
_OTHER = "（六）其他处理"

# Section 三's rows: (record key, outer group, inner group, label), as the form prints them;
# consecutive rows with the same group share one spanning cell.
APPLICATION_LAYOUT: tuple[tuple[str, str | None, str | None, str], ...] = (
    ("new", None, None, "一、本年新收政府信息公开申请数量"),
    ("carried_over", None, None, "二、上年结转政府信息公开申请数量"),
    ("granted", _RESULTS, None, "（一）予以公开"),
    (
        "partially_granted",
        _RESULTS,
        None,
        "（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
    ),
    ("withheld_state_secret", _RESULTS, _WITHHELD, "1. 属于国家秘密"),
    ("withheld_prohibited_by_law", _RESULTS, _WITHHELD, "2. 其他法律行政法规禁止公开"),
    ("withheld_security_stability", _RESULTS, _WITHHELD, "3. 危及“三安全一稳定”"),
    ("withheld_third_party", _RESULTS, _WITHHELD, "4. 保护第三方合法权益"),
    ("withheld_internal_affairs", _RESULTS, _WITHHELD, "5. 属于三类内部事务信息"),
    ("withheld_process_info", _RESULTS, _WITHHELD, "6. 属于四类过程性信息"),
    ("withheld_enforcement_file", _RESULTS, _WITHHELD, "7. 属于行政执法案卷"),
    ("withheld_query_matter", _RESULTS, _WITHHELD, "8. 属于行政查询事项"),
    ("unavailable_not_held", _RESULTS, _UNAVAILABLE, "1. 本机关不掌握相关政府信息"),
    ("unavailable_needs_creation", _RESULTS, _UNAVAILABLE, "2. 没有现成信息需要另行制作"),
    ("unavailable_unclear", _RESULTS, _UNAVAILABLE, "3. 补正后申请内容仍不明确"),
    ("rejected_complaint", _RESULTS, _REJECTED, "1. 信访举报投诉类申请"),
    ("rejected_duplicate", _RESULTS, _REJECTED, "2. 重复申请"),
    ("rejected_publication", _RESULTS, _REJECTED, "3. 要求提供公开出版物"),
    ("rejected_excessive", _RESULTS, _REJECTED, "4. 无正当理由大量反复申请"),
    (
        "rejected_confirmation",
        _RESULTS,
        _REJECTED,
        "5. 要求行政机关确认或重新出具已获取信息",
    ),
    (
        "other_overdue_correction",
        _RESULTS,
        _OTHER,
        "1. 申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
    ),
    (
        "other_overdue_fee",
        _RESULTS,
        _OTHER,
        "2. 申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
    ),
    ("other_other", _RESULTS, _OTHER, "3. 其他"),
    ("total_processed", _RESULTS, None, "（七）总计"),
    ("carried_forward", None, None, "四、结转下年度继续办理"),
)

# Section 四: 行政复议, then 行政诉讼 in two groups, each with the same five outcome columns.
OUTCOME_HEADINGS: tuple[tuple[str, str], ...] = (
    ("upheld", "结果维持"),
    ("corrected", "结果纠正"),
    ("other", "其他结果"),
    ("pending", "尚未审结"),
    ("total", "总计"),
)
REVIEW_GROUPS: tuple[tuple[str, str], ...] = (
    ("reviews", "行政复议"),
    ("lawsuits_direct", "未经复议直接起诉"),
    ("lawsuits_after_review", "复议后起诉"),
)
LAWSUITS = "行政诉讼"

# How a value was read, in words, when not from its own table cell (Provenance.via).
VIA_WORDS = {
    "prose": "据正文叙述",
    "arithmetic": "据表内合计推算",
}
APPROXIMATE_WORDS = "约数"

PLACE_FIELDS = ("province", "city", "county", "township")
CONTACT_LABELS: tuple[tuple[str, str], ...] = (
    ("address", "地址"),
    ("postcode", "邮编"),
    ("email", "邮箱"),
    ("website", "网站"),
    ("fax", "传真"),
)
SECTION_TITLES = {
    "preamble": "报告开头",
    "overview": "一、总体情况",
    "proactive": "二、主动公开政府信息情况",
    "applications": "三、收到和处理政府信息公开申请情况",
    "reviews_lawsuits": "四、政府信息公开行政复议、行政诉讼情况",
    "problems": "五、存在的主要问题及改进情况",
    "other": "六、其他需要报告的事项",
}
