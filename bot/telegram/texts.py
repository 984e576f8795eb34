"""What the bot says on its own account: command menu, help, refusals (plain data).

Everything here is Telegram HTML written by us; nothing from a report is pasted in here.
"""

from __future__ import annotations

# (command, description) — registered with setMyCommands at start-up, shown as the menu.
COMMANDS: tuple[tuple[str, str], ...] = (
    ("ask", "提问 · ask a question"),
    ("search", "全文搜索 · keyword search"),
    ("contact", "乡镇联系方式 · contact details"),
    ("report", "一份报告的摘要 · a report in brief"),
    ("stats", "收录了什么 · what is indexed"),
    ("help", "用法和示例 · how to use"),
)

HELP = """<b>政府信息公开工作年度报告 · 问答</b>
I answer questions about township information-disclosure annual reports.

<b>提问</b> /ask 2023年有哪些乡镇收到了政府信息公开申请？
/ask 哪个乡镇行政处罚最多
/ask townships with disclosure applications in 2023
<b>全文搜索</b> /search 微信公众号
<b>联系方式</b> /contact 城关镇
<b>报告摘要</b> /report 城关镇 · /report 城关镇 2022
<b>统计</b> /stats

In a private chat just write your question. In a group, use the commands, mention me
(@{username} 浙江省的乡镇) or reply to one of my messages. Reply to anyone's message with
/ask to ask its text. Edit a question and I answer it again.
Inline: type <code>@{username} 城关镇</code> in any chat."""

START = "你好！我回答关于乡镇政府信息公开工作年度报告的问题。\n\n" + HELP

USAGE = {
    "ask": "请在命令后写上问题，例如：/ask 哪个乡镇行政处罚最多",
    "search": "请在命令后写上关键词，例如：/search 微信公众号",
    "contact": "请在命令后写上乡镇名称，例如：/contact 城关镇",
    "report": "请在命令后写上乡镇名称，可加年份，例如：/report 城关镇 2023",
}

RATE_LIMITED = "提问有点快了，请一分钟后再试。· You are asking a little fast; please wait a minute."
ERROR = "抱歉，出了点问题，请稍后再试。· Sorry, something went wrong; please try again later."
EMPTY_ANSWER = "没有找到答案。· No answer found."
EXPIRED = "这个结果已过期，请重新提问。· This result has expired; please ask again."
PREVIOUS_PAGE = "‹ 上一页"
NEXT_PAGE = "下一页 ›"
PAGE_LABEL = "第 {page}/{pages} 页"
REST_OF_ANSWER = "余下部分 · the rest ({part}/{parts}) ›"

STATS = (
    "<b>收录</b>\n"
    "报告 {reports} 份 · reports\n"
    "乡镇 {townships} 个 · townships\n"
    "年份 · years: {years}"
)

INLINE_ANSWER_TITLE = "回答 · answer"
INLINE_CONTACT_TITLE = "{township} · 联系方式"
# Offered for an empty inline query; {year} is the latest year in the index.
INLINE_EXAMPLES = (
    "哪个乡镇行政处罚最多",
    "{year}年有哪些乡镇收到了政府信息公开申请",
    "{year}年一共收到多少政府信息公开申请",
)
INLINE_EXAMPLE_TITLE = "例 · example: {question}"

# /report: a short summary of one report. Values are escaped before they are filled in.
REPORT_HEAD = "<b>{township}</b> · {year}年\n{agency}"
REPORT_PLACE = "（{place}）"
REPORT_APPLICATIONS = "政府信息公开申请 · applications：本年新收 {new}，办理 {processed}"
REPORT_REVIEWS = "行政复议 · reviews：{reviews}"
REPORT_CHECKS_NONE = "核对 · checks：全部通过 · all passed"
REPORT_CHECKS = "未通过的核对 · failed checks：{n} 项"
REPORT_CHECK_LINE = "· {message}"
REPORT_MORE_CHECKS = "…… 还有 {n} 项"
REPORT_OTHER_YEARS = "其他年份 · other years：{years}"
REPORT_LINK = '<a href="{url}">报告页 · the report</a>'
REPORT_NONE = "没有找到“{name}”的报告。· No report found for “{name}”."
REPORT_NO_YEAR = "没有找到{township}{year}年的报告；现有年份：{years}。"
REPORT_MORE_TOWNSHIPS = "…… 还有 {n} 个乡镇符合，请写得更具体些（加上县名）。"
COUNT = "{n} 件"
NOT_GIVEN = "报告中没有写"
