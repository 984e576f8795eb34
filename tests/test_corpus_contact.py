"""Narrative corpus, contact details: where reports put them and how they write them."""

from __future__ import annotations

import pytest

from tests.narrative_corpus import assert_values, report_text

TITLE = "谏壁镇人民政府2023年政府信息公开工作年度报告"
PERIOD = "本报告所列数据统计期限自2023年1月1日至2023年12月31日。"

PLACES = [
    (
        "preamble",
        {"head": f"{TITLE}\n{PERIOD}如有疑问请与我镇党政办联系（电话：0511-85321234）。"},
    ),
    (
        "section_six",
        {
            "head": f"{TITLE}\n{PERIOD}",
            "other": "本报告如有疑问，请联系党政办，联系电话：0511-85321234。",
        },
    ),
    (
        "closing_block",
        {
            "head": f"{TITLE}\n{PERIOD}",
            "tail": "谏壁镇人民政府\n2024年1月15日\n联系电话：0511-85321234\n",
        },
    ),
]


@pytest.mark.parametrize("parts", [p[1] for p in PLACES], ids=[p[0] for p in PLACES])
def test_contact_wherever_it_is_written(parts: dict) -> None:
    assert_values(report_text(**parts), {"contact.phones": ["0511-85321234"]})


LINES = [
    ("label_lianxi", "联系电话：0451-84567890", {"phones": ["0451-84567890"]}),
    ("label_zixun", "咨询电话:0451-84567890", {"phones": ["0451-84567890"]}),
    ("label_dianhua", "电话 0451-84567890", {"phones": ["0451-84567890"]}),
    ("label_fangshi", "联系方式：0451-84567890", {"phones": ["0451-84567890"]}),
    ("label_bangong", "办公电话：0451-84567890", {"phones": ["0451-84567890"]}),
    ("label_zhiban", "值班电话：0451-84567890", {"phones": ["0451-84567890"]}),
    ("fullwidth_hyphen", "联系电话：０４５１－８４５６７８９０", {"phones": ["0451-84567890"]}),
    ("em_dash", "联系电话：0451—84567890", {"phones": ["0451-84567890"]}),
    ("parenthesised_area", "联系电话：(0451)84567890", {"phones": ["0451-84567890"]}),
    ("fullwidth_brackets", "联系电话：（0451）84567890。", {"phones": ["0451-84567890"]}),
    ("space_separated", "联系电话：0451 84567890", {"phones": ["0451-84567890"]}),
    ("local_in_two_groups", "联系电话：（0574）6556 1234。", {"phones": ["0574-65561234"]}),
    ("local_in_two_groups_bare", "联系电话：6556 1234", {"phones": ["65561234"]}),
    ("local_only_kept", "联系电话：6101183", {"phones": ["6101183"]}),
    ("local_eight_digits", "联系电话：84567890", {"phones": ["84567890"]}),
    ("mobile", "联系电话：13912345678", {"phones": ["13912345678"]}),
    (
        "second_without_area_code",
        "联系电话：0469-6101183、6101184",
        {"phones": ["0469-6101183", "0469-6101184"]},
    ),
    (
        "second_of_other_length_kept",
        "联系电话：0469-6101183、84567890",
        {"phones": ["0469-6101183", "84567890"]},
    ),
    (
        "list_across_a_comma",
        "联系电话：0451-84567890，0451-84567891，请在工作日拨打。",
        {"phones": ["0451-84567890", "0451-84567891"]},
    ),
    (
        "label_shouji",
        "办公电话：0433-5711234，手机：13944331234",
        {"phones": ["0433-5711234", "13944331234"]},
    ),
    ("label_zuoji", "座机：0511-85321234", {"phones": ["0511-85321234"]}),
    ("label_yidong", "移动电话：13944331234", {"phones": ["13944331234"]}),
    (
        "list_with_notes_in_brackets",
        "联系电话：021-58961234（座机）、13916221234（手机）",
        {"phones": ["021-58961234", "13916221234"]},
    ),
    (
        "note_in_brackets_then_prose",
        "联系电话：0451-84567890（工作日），邮编：150010",
        {"phones": ["0451-84567890"], "postcode": "150010"},
    ),
    ("extension", "联系电话：0451-84567890转8001", {"phones": ["0451-84567890转8001"]}),
    (
        "fax_is_not_a_phone",
        "联系电话：0451-84567890，传真：0451-84567891",
        {"phones": ["0451-84567890"], "fax": "0451-84567891"},
    ),
    (
        "fax_after_a_space",
        "电话：0451-84567890 传真：0451-84567891",
        {"phones": ["0451-84567890"], "fax": "0451-84567891"},
    ),
    (
        "phone_and_fax_one_number",
        "电话/传真：0451-84567890",
        {"phones": ["0451-84567890"], "fax": "0451-84567890"},
    ),
    (
        "phone_and_fax_long_label",
        "联系电话及传真：0451-84567890",
        {"phones": ["0451-84567890"], "fax": "0451-84567890"},
    ),
    (
        "hotline_not_a_contact",
        "联系电话：0451-84567890，也可拨打12345政务服务便民热线。",
        {"phones": ["0451-84567890"]},
    ),
    ("report_line_in_prose", "设立举报电话0451-84561234，接受群众监督。", {"phones": []}),
    ("complaint_line", "公布投诉电话：0451-84561234。", {"phones": []}),
    (
        "postcode_next_to_phone",
        "邮编:155120 电话:0469-6101183",
        {"postcode": "155120", "phones": ["0469-6101183"]},
    ),
    ("postcode_long_label", "邮政编码：150010", {"postcode": "150010"}),
    ("email_label", "电子邮箱：abc@163.com", {"email": "abc@163.com"}),
    ("email_short_label", "邮箱:abc@163.com。", {"email": "abc@163.com"}),
    ("email_english_label", "E-mail：abc_x@126.com", {"email": "abc_x@126.com"}),
    ("email_hash", "电子邮箱：jbzzf#163.com", {"email": "jbzzf@163.com"}),
    ("email_chinese_stop", "电子邮箱：jbzzf@163。com", {"email": "jbzzf@163.com"}),
    ("hash_outside_email_label", "话题#163.com", {"email": None}),
    ("website_label_bare_domain", "网址：jbz.gov.cn", {"website": "jbz.gov.cn"}),
    ("website_http", "门户网站：http://www.jbz.gov.cn", {"website": "http://www.jbz.gov.cn"}),
    ("website_in_brackets", "可在政府网站（www.jbz.gov.cn）查阅。", {"website": "www.jbz.gov.cn"}),
    (
        "address_to_next_label",
        "通讯地址：镇江市京口区谏壁街道谏壁路1号 邮编：212006",
        {"address": "镇江市京口区谏壁街道谏壁路1号", "postcode": "212006"},
    ),
    (
        "address_to_bracket",
        "联系地址：镇江市京口区谏壁路1号（谏壁街道办事处二楼）",
        {"address": "镇江市京口区谏壁路1号"},
    ),
    ("office_address", "办公地址:镇江市京口区谏壁路1号。", {"address": "镇江市京口区谏壁路1号"}),
    ("address_needs_a_colon", "办公地址迁至谏壁路1号。", {"address": None}),
    (
        "label_then_wei",
        "联系电话为0511-85591234，邮政编码为212006，地址为镇江市京口区谏壁路1号。",
        {"phones": ["0511-85591234"], "postcode": "212006", "address": "镇江市京口区谏壁路1号"},
    ),
    ("wei_zhun_is_no_colon", "如地址有变动，以网站公布的地址为准。", {"address": None}),
    ("shi_fou_is_no_colon", "请核实申请人地址是否准确。", {"address": None}),
    ("office_place", "办公地点：镇江市京口区谏壁路1号；", {"address": "镇江市京口区谏壁路1号"}),
    ("website_address_is_not_an_address", "网站地址：www.jbz.gov.cn", {"address": None}),
    (
        "fax_same_number",
        "联系电话：0511-85321234（传真同号）",
        {"phones": ["0511-85321234"], "fax": "0511-85321234"},
    ),
    (
        "consulting_phone_and_fax",
        "咨询电话及传真：0354-5681234",
        {"phones": ["0354-5681234"], "fax": "0354-5681234"},
    ),
    (
        "phones_joined_by_semicolon",
        "电话:0571-63451234;13812345678",
        {"phones": ["0571-63451234", "13812345678"]},
    ),
    (
        "semicolon_then_next_label",
        "电话：0571-63451234；邮编：311404",
        {"phones": ["0571-63451234"], "postcode": "311404"},
    ),
]


@pytest.mark.parametrize(("line", "expected"), [c[1:] for c in LINES], ids=[c[0] for c in LINES])
def test_contact_lines(line: str, expected: dict) -> None:
    text = report_text(f"{TITLE}\n{PERIOD}\n{line}")
    assert_values(text, {f"contact.{k}": v for k, v in expected.items()})


PUBLISHED = [
    ("zhudong_gongkai", "全年主动公开政府信息156条。", 156),
    ("gong_fabu", "全年共发布信息87条，涵盖政策文件、工作动态等。", 87),
    ("leiji", "通过政府网站累计公开320条。", 320),
    ("total_then_breakdown", "主动公开政府信息150条，其中网站100条，公开栏50条。", 150),
    ("several_counts", "在网站发布信息93条，在公开栏公开信息37条。", None),
    ("pian", "全年共发布政务信息45篇。", 45),
    ("not_an_application", "受理依申请公开3件，全部按时答复。", None),
    ("opening_with_heading_words", "主动公开政府信息数量为1286条。", 1286),
]


@pytest.mark.parametrize(
    ("line", "items"), [p[1:] for p in PUBLISHED], ids=[p[0] for p in PUBLISHED]
)
def test_published_items(line: str, items: int | None) -> None:
    text = report_text(f"{TITLE}\n{PERIOD}", proactive=line)
    assert_values(text, {"proactive.published_items": items})


# Text copied out of a PDF: the PDF's line breaks cut labels, values and figures.
PDF_WRAPPED = (
    "本报告根据《中华人民共和国政府信息公开条例》和《中华人民共和国政府信息公开工作年度报告格式》\n"
    "要求编制。本报告中所列数据的统计期限自 2023 年 1 月 1 日起至 2023 年 12 月 31 日\n"
    "止。如对本报告有任何疑问，请与谏壁镇党政办公室联系（地址：镇江市京口区谏壁镇\n"
    "谏壁路 66 号，邮编：212006，联系电话：0511-85591234，传真：0511-85591235，联系地\n"
    "- 1 -\n"
    "址以上述为准）。"
)


def test_pdf_wrapped_lines_join_for_contact_and_period() -> None:
    report = assert_values(
        report_text(f"{TITLE}\n{PDF_WRAPPED}"),
        {
            "year": 2023,
            "contact.address": "镇江市京口区谏壁镇谏壁路66号",
            "contact.postcode": "212006",
            "contact.phones": ["0511-85591234"],
            "contact.fax": "0511-85591235",
        },
    )
    assert report.provenance["contact.address"].line == 4


def test_pdf_wrapped_label_joins() -> None:
    head = (
        f"{TITLE}\n{PERIOD}如对本报告有疑问，请与谏壁镇党政办公室联系，办公时间为工作日，联系地\n"
        "址：谏壁路66号。"
    )
    assert_values(report_text(head), {"contact.address": "谏壁路66号"})


def test_pdf_wrapped_published_items() -> None:
    overview = (
        "全年在镇江市京口区人民政府门户网站谏壁镇信息公开专栏主动公开各类\n"
        "政府信息 342 条，其中工作动态186条。"
    )
    assert_values(
        report_text(f"{TITLE}\n{PERIOD}", overview=overview), {"proactive.published_items": 342}
    )


def test_a_line_without_a_full_stop_does_not_run_across_a_blank_line() -> None:
    # A web copy: paragraphs are lines of their own, separated by blank lines.
    head = (
        f"{TITLE}\n{PERIOD}\n联系人：党政办公室，地址：谏壁路66号，请在工作日前来咨询办理\n\n"
        "邮编：212006"
    )
    assert_values(
        report_text(head), {"contact.address": "谏壁路66号", "contact.postcode": "212006"}
    )


def test_a_contact_block_line_does_not_run_into_the_next_field() -> None:
    tail = (
        "联系方式\n通讯地址：浙江省宁波市宁海县桃源街道桃源北路1号\n联系人：张三\n"
        "电话：0574-65561234"
    )
    assert_values(
        report_text(f"{TITLE}\n{PERIOD}", tail),
        {
            "contact.address": "浙江省宁波市宁海县桃源街道桃源北路1号",
            "contact.phones": ["0574-65561234"],
        },
    )


def test_a_phone_in_the_attachment_list_is_not_the_body_s() -> None:
    tail = (
        "联系电话：0511-85321234\n"
        "附件：1.谏壁镇2023年政府信息公开工作年度报告（图解版）\n"
        "　　2.镇江市政府信息公开申请表（联系电话：0511-85011111）\n"
        "谏壁镇人民政府\n2024年1月15日\n传真：0511-85321235\n"
    )
    text = report_text(f"{TITLE}\n{PERIOD}", tail=tail)
    assert_values(text, {"contact.phones": ["0511-85321234"], "contact.fax": "0511-85321235"})
