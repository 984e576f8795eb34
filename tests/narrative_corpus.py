"""Build whole report texts of the kinds real townships publish, for the narrative corpus tests.

Each corpus case is a head (title block and opening paragraph), optional section texts and a
tail, with the record values a reader of that text would expect. The tables are left out: the
narrative is read from prose alone, and a missing table only adds a ``missing.*`` check.
"""

from __future__ import annotations

from typing import Any

from indexer import parse_text
from indexer.models import Report

HEADINGS = {
    "overview": "一、总体情况",
    "proactive": "二、主动公开政府信息情况",
    "applications": "三、收到和处理政府信息公开申请情况",
    "reviews_lawsuits": "四、政府信息公开行政复议、行政诉讼情况",
    "problems": "五、存在的主要问题及改进情况",
    "other": "六、其他需要报告的事项",
}

FILLER = {
    "overview": "本年度，我单位认真贯彻落实《中华人民共和国政府信息公开条例》，扎实推进政务公开。",
    "proactive": "严格落实“三审三校”制度，及时公开各类政府信息。",
    "applications": "认真规范办理依申请公开工作。",
    "reviews_lawsuits": "本年度未发生政府信息公开行政复议、行政诉讼。",
    "problems": "一是公开内容不够丰富；二是工作人员业务能力有待提高。",
    "other": "无其他需要报告的事项。",
}


def report_text(head: str, tail: str = "", **parts: str) -> str:
    """A report: ``head``, the six numbered sections (``parts`` override their text), ``tail``."""
    lines = [head.strip("\n")]
    for key, heading in HEADINGS.items():
        lines += [heading, parts.get(key, FILLER[key])]
    if tail:
        lines.append(tail.strip("\n"))
    return "\n".join(lines) + "\n"


def value(report: Report, path: str) -> Any:
    """The record value at a dotted path (``contact.phones``, ``proactive.published_items``)."""
    current: Any = report.model_dump()
    for part in path.split("."):
        current = current[part]
    return current


def assert_values(text: str, expected: dict[str, Any]) -> Report:
    """Parse ``text`` and compare each expected dotted path; every mismatch is listed at once."""
    report = parse_text(text)
    wrong = {
        path: (value(report, path), want)
        for path, want in expected.items()
        if value(report, path) != want
    }
    assert not wrong, "got / expected: " + repr(wrong)
    return report


def check_codes(report: Report) -> set[str]:
    """The codes of the checks on a record."""
    return {c.code for c in report.checks}
