"""Write the Word and PDF reports of ``tests/corpus/reports/`` (run by hand; the files are kept).

Reports reach us as Word files and as PDFs printed from Word as well as web pages. These two
are made the way an office makes them: a Word document with real tables (merged label cells,
the applicant header over two rows), and a PDF with ruled tables, a table running over a page
break with its header repeated, and page numbers. Their texts and figures are written out
here in full; the values a reader takes from them are in their ``.expected.json`` files.

    .venv/bin/python tests/corpus/make_binary_reports.py
"""

from __future__ import annotations

import io
from pathlib import Path

from docx import Document
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

OUT = Path(__file__).parent / "reports"
LEFT, UP = "<", "^"  # a cell merged into the one on its left / above it

APPLICANTS = ["自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计"]
# (group, subgroup, item) labels of table 三, in the national order of 2021.
ROWS = [
    ("一、本年新收政府信息公开申请数量", "", ""),
    ("二、上年结转政府信息公开申请数量", "", ""),
    ("三、本年度办理结果", "（一）予以公开", ""),
    ("三、本年度办理结果", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）", ""),
    ("三、本年度办理结果", "（三）不予公开", "1.属于国家秘密"),
    ("三、本年度办理结果", "（三）不予公开", "2.其他法律行政法规禁止公开"),
    ("三、本年度办理结果", "（三）不予公开", "3.危及“三安全一稳定”"),
    ("三、本年度办理结果", "（三）不予公开", "4.保护第三方合法权益"),
    ("三、本年度办理结果", "（三）不予公开", "5.属于三类内部事务信息"),
    ("三、本年度办理结果", "（三）不予公开", "6.属于四类过程性信息"),
    ("三、本年度办理结果", "（三）不予公开", "7.属于行政执法案卷"),
    ("三、本年度办理结果", "（三）不予公开", "8.属于行政查询事项"),
    ("三、本年度办理结果", "（四）无法提供", "1.本机关不掌握相关政府信息"),
    ("三、本年度办理结果", "（四）无法提供", "2.没有现成信息需要另行制作"),
    ("三、本年度办理结果", "（四）无法提供", "3.补正后申请内容仍不明确"),
    ("三、本年度办理结果", "（五）不予处理", "1.信访举报投诉类申请"),
    ("三、本年度办理结果", "（五）不予处理", "2.重复申请"),
    ("三、本年度办理结果", "（五）不予处理", "3.要求提供公开出版物"),
    ("三、本年度办理结果", "（五）不予处理", "4.无正当理由大量反复申请"),
    ("三、本年度办理结果", "（五）不予处理", "5.要求行政机关确认或重新出具已获取信息"),
    (
        "三、本年度办理结果",
        "（六）其他处理",
        "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
    ),
    (
        "三、本年度办理结果",
        "（六）其他处理",
        "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
    ),
    ("三、本年度办理结果", "（六）其他处理", "3.其他"),
    ("三、本年度办理结果", "（七）总计", ""),
    ("四、结转下年度继续办理", "", ""),
]
OUTCOMES = ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]


def _table3_cells(figures: list[list[int]]) -> list[list[str]]:
    """Table 三 as a grid of 10 columns: three label columns, then the seven applicants."""
    note = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
    head = [
        [note, LEFT, LEFT, "申请人情况", LEFT, LEFT, LEFT, LEFT, LEFT, LEFT],
        [UP, UP, UP, "自然人", "法人或其他组织", LEFT, LEFT, LEFT, LEFT, "总计"],
        [UP, UP, UP, UP, *APPLICANTS[1:6], UP],
    ]
    body = []
    for index, ((group, sub, item), row) in enumerate(zip(ROWS, figures, strict=True)):
        above = ROWS[index - 1] if index else ("", "", "")
        if not sub:
            labels = [group, LEFT, LEFT]
        elif not item:
            labels = [UP if group == above[0] else group, sub, LEFT]
        else:
            labels = [
                UP if group == above[0] else group,
                UP if sub == above[1] else sub,
                item,
            ]
        body.append(labels + [str(n) for n in row])
    return head + body


def _table4_cells(outcomes: list[int]) -> list[list[str]]:
    return [
        ["行政复议", LEFT, LEFT, LEFT, LEFT, "行政诉讼", *[LEFT] * 9],
        [*OUTCOMES, "未经复议直接起诉", *[LEFT] * 4, "复议后起诉", *[LEFT] * 4],
        [UP] * 5 + OUTCOMES + OUTCOMES,
        [str(n) for n in outcomes],
    ]


# --- a Word file: 福建省 南平市 武夷山市 星村镇, 2023 -------------------------------------------

XINGCUN = {
    "title": "武夷山市星村镇人民政府2023年政府信息公开工作年度报告",
    "paragraphs": [
        "根据《中华人民共和国政府信息公开条例》（以下简称《条例》）要求，现公布武夷山市星村镇"
        "人民政府2023年政府信息公开工作年度报告。本报告中所列数据的统计期限自2023年1月1日起至"
        "2023年12月31日止。本报告电子版可在武夷山市人民政府网站（http://www.wys.gov.cn）查阅。"
        "如对本报告有疑问，请与星村镇党政办联系（地址：武夷山市星村镇星村街128号，"
        "邮编：354315，电话：0599-5251234，电子邮箱：wysxcz@163.com）。",
        "一、总体情况",
        "2023年，星村镇围绕茶产业发展和国家公园建设，认真贯彻落实《条例》，扎实推进政务公开。"
        "全年主动公开政府信息共计236条，其中工作动态97条，通知公告58条，其他81条。",
        "二、主动公开政府信息情况",
    ],
    "proactive": [
        ["第二十条第（一）项", LEFT, LEFT, LEFT],
        ["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"],
        ["规章", "0", "0", "0"],
        ["行政规范性文件", "0", "0", "0"],
        ["第二十条第（五）项", LEFT, LEFT, LEFT],
        ["信息内容", "本年处理决定数量", LEFT, LEFT],
        ["行政许可", "75", LEFT, LEFT],
        ["第二十条第（六）项", LEFT, LEFT, LEFT],
        ["信息内容", "本年处理决定数量", LEFT, LEFT],
        ["行政处罚", "31", LEFT, LEFT],
        ["行政强制", "2", LEFT, LEFT],
        ["第二十条第（八）项", LEFT, LEFT, LEFT],
        ["信息内容", "本年收费金额（单位：万元）", LEFT, LEFT],
        ["行政事业性收费", "0.5", LEFT, LEFT],
    ],
    "figures": {
        0: [13, 2, 0, 0, 1, 0, 16],
        1: [1, 0, 0, 0, 0, 0, 1],
        2: [7, 1, 0, 0, 0, 0, 8],
        3: [2, 0, 0, 0, 0, 0, 2],
        7: [1, 0, 0, 0, 0, 0, 1],
        12: [2, 1, 0, 0, 1, 0, 4],
        16: [1, 0, 0, 0, 0, 0, 1],
        23: [13, 2, 0, 0, 1, 0, 16],
        24: [1, 0, 0, 0, 0, 0, 1],
    },
    "outcomes": [1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0],
    "closing": [
        "五、存在的主要问题及改进情况",
        "一是政策解读形式不够丰富；二是村级公开栏更新不够及时。2024年，我镇将丰富解读形式，"
        "督促各村按时更新公开栏。",
        "六、其他需要报告的事项",
        "本机关2023年度未收取信息处理费。",
        "武夷山市星村镇人民政府",
        "2024年1月22日",
    ],
}


def _figures(report: dict) -> list[list[int]]:
    return [report["figures"].get(i, [0] * 7) for i in range(len(ROWS))]


def _spans(cells: list[list[str]]) -> list[tuple[int, int, int, int]]:
    """The merged ranges (top, left, bottom, right) that ``LEFT`` and ``UP`` marks draw."""
    spans = []
    for r, row in enumerate(cells):
        for c, text in enumerate(row):
            if text in (LEFT, UP):
                continue
            right = c
            while right + 1 < len(row) and row[right + 1] == LEFT:
                right += 1
            bottom = r
            while bottom + 1 < len(cells) and cells[bottom + 1][c] == UP:
                bottom += 1
            if (right, bottom) != (c, r):
                spans.append((r, c, bottom, right))
    return spans


def _word_table(document, cells: list[list[str]]) -> None:
    table = document.add_table(rows=len(cells), cols=len(cells[0]))
    table.style = "Table Grid"
    for r, row in enumerate(cells):
        for c, text in enumerate(row):
            if text not in (LEFT, UP):
                table.cell(r, c).text = text
    for top, left, bottom, right in _spans(cells):
        table.cell(top, left).merge(table.cell(bottom, right))


def write_docx(report: dict, path: Path) -> None:
    """A Word file of ``report``: paragraphs and the three tables as Word tables."""
    document = Document()
    document.add_heading(report["title"], level=1)
    for text in report["paragraphs"]:
        document.add_paragraph(text)
    _word_table(document, report["proactive"])
    document.add_paragraph("三、收到和处理政府信息公开申请情况")
    _word_table(document, _table3_cells(_figures(report)))
    document.add_paragraph("四、政府信息公开行政复议、行政诉讼情况")
    _word_table(document, _table4_cells(report["outcomes"]))
    for text in report["closing"]:
        document.add_paragraph(text)
    document.save(path)


# --- a PDF printed from Word: 江西省 赣州市 瑞金市 叶坪乡, 2023 --------------------------------

YEPING = {
    "title": ["瑞金市叶坪乡人民政府", "2023年政府信息公开工作年度报告"],
    "paragraphs": [
        "根据《中华人民共和国政府信息公开条例》（以下简称《条例》）规定，现将瑞金市叶坪乡人民政府"
        "2023年政府信息公开工作情况报告如下。本报告中所列数据的统计期限自2023年1月1日起至2023年"
        "12月31日止。如对本报告有疑问，请与叶坪乡党政办联系（地址：瑞金市叶坪乡叶坪村，"
        "邮编：342500，联系电话：0797-2521234）。",
        "一、总体情况",
        "2023年，叶坪乡坚持以习近平新时代中国特色社会主义思想为指导，围绕红色旅游和乡村振兴，"
        "认真贯彻落实《条例》，全面推进政务公开。全年通过瑞金市人民政府网站叶坪乡专栏主动公开"
        "政府信息共计158条，其中工作动态72条，通知公告39条，其他47条。",
        "（一）主动公开。重点公开惠民惠农补贴、红色旅游服务、防汛救灾等信息。",
        "（二）依申请公开。全年共收到政府信息公开申请11件，均在法定期限内答复。",
        "（三）政府信息管理。严格落实信息发布审核制度。",
        "（四）平台建设。用好乡政务公开栏和“红都叶坪”微信公众号。",
        "（五）监督保障。将政务公开纳入村级年度考核。",
        "二、主动公开政府信息情况",
    ],
    "proactive": [
        ["第二十条第（一）项", LEFT, LEFT, LEFT],
        ["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"],
        ["规章", "0", "0", "0"],
        ["行政规范性文件", "0", "0", "0"],
        ["第二十条第（五）项", LEFT, LEFT, LEFT],
        ["信息内容", "本年处理决定数量", LEFT, LEFT],
        ["行政许可", "28", LEFT, LEFT],
        ["第二十条第（六）项", LEFT, LEFT, LEFT],
        ["信息内容", "本年处理决定数量", LEFT, LEFT],
        ["行政处罚", "5", LEFT, LEFT],
        ["行政强制", "0", LEFT, LEFT],
        ["第二十条第（八）项", LEFT, LEFT, LEFT],
        ["信息内容", "本年收费金额（单位：万元）", LEFT, LEFT],
        ["行政事业性收费", "0", LEFT, LEFT],
    ],
    "figures": {
        0: [9, 1, 0, 0, 0, 1, 11],
        2: [5, 1, 0, 0, 0, 0, 6],
        3: [1, 0, 0, 0, 0, 0, 1],
        9: [1, 0, 0, 0, 0, 0, 1],
        12: [1, 0, 0, 0, 0, 1, 2],
        13: [1, 0, 0, 0, 0, 0, 1],
        23: [9, 1, 0, 0, 0, 1, 11],
    },
    "outcomes": [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 0, 0, 0, 0, 0],
    "closing": [
        "五、存在的主要问题及改进情况",
        "一是政务公开工作人员业务能力有待提升；二是政策解读形式较为单一。2024年，我乡将加强业务"
        "培训，丰富政策解读形式。",
        "六、其他需要报告的事项",
        "本机关2023年度未收取信息处理费。",
        "瑞金市叶坪乡人民政府",
        "2024年1月25日",
    ],
}

FONT = "STSong-Light"


def _pdf_table(cells: list[list[str]], widths: list[float], header_rows: int = 0) -> Table:
    style = ParagraphStyle("cell", fontName=FONT, fontSize=7.5, leading=9.5)
    data = [[Paragraph(t, style) if t not in (LEFT, UP) else "" for t in row] for row in cells]
    commands = [
        ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
    ]
    for top, left, bottom, right in _spans(cells):
        commands.append(("SPAN", (left, top), (right, bottom)))
    return Table(data, colWidths=widths, repeatRows=header_rows, style=TableStyle(commands))


def _page_number(canvas, document) -> None:
    canvas.setFont(FONT, 10)
    canvas.drawCentredString(A4[0] / 2, 30, f"- {document.page} -")


def write_pdf(report: dict, path: Path) -> None:
    """A PDF of ``report`` as Word prints one: ruled tables, page numbers, a table over a page."""
    pdfmetrics.registerFont(UnicodeCIDFont(FONT))
    body = ParagraphStyle("body", fontName=FONT, fontSize=11, leading=17, firstLineIndent=22)
    title = ParagraphStyle("title", fontName=FONT, fontSize=16, leading=24, alignment=1)
    width = A4[0] - 120
    story: list = [Paragraph(line, title) for line in report["title"]]
    story.append(Spacer(1, 12))
    story += [Paragraph(text, body) for text in report["paragraphs"]]
    story.append(_pdf_table(report["proactive"], [width / 4] * 4))
    story.append(Paragraph("三、收到和处理政府信息公开申请情况", body))
    label = [width * 0.16, width * 0.16, width * 0.26]
    story.append(_pdf_table(_table3_cells(_figures(report)), label + [width * 0.06] * 7, 3))
    story.append(Paragraph("四、政府信息公开行政复议、行政诉讼情况", body))
    story.append(_pdf_table(_table4_cells(report["outcomes"]), [width / 15] * 15))
    story += [Paragraph(text, body) for text in report["closing"]]
    buffer = io.BytesIO()
    document = SimpleDocTemplate(buffer, pagesize=A4, leftMargin=60, rightMargin=60)
    document.build(story, onFirstPage=_page_number, onLaterPages=_page_number)
    path.write_bytes(buffer.getvalue())


if __name__ == "__main__":
    write_docx(XINGCUN, OUT / "fj_xingcun_word.docx")
    write_pdf(YEPING, OUT / "jx_yeping_word_print.pdf")
