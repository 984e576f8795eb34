"""Imported by the parse worker's fork server only: fill the parser's caches once.

Rules, the gazetteer and the converters load on first use; parsing one small report here,
before any worker is forked, spares every worker (one per index run) that cost.
"""

from __future__ import annotations

import contextlib

from indexer.errors import IndexerError
from indexer.indexing.records import row_values
from indexer.indexing.stores import ENGINES, preparer
from indexer.parsing.parse import parse_text
from indexer.parsing.read import read_bytes

_PAGE = (
    "<html><body><p>2023年示例镇人民政府政府信息公开工作年度报告</p>"
    "<p>一、总体情况</p><p>示例镇做好依申请公开工作。</p>"
    "<p>二、主动公开政府信息情况</p><table><tr><td>行政许可</td><td>1</td></tr></table>"
    "<p>三、收到和处理政府信息公开申请情况</p><p>四、政府信息公开行政复议、行政诉讼情况</p>"
    "<p>五、存在的主要问题及改进情况</p><p>六、其他需要报告的事项</p>"
    "<p>联系电话：0000-1234567</p></body></html>"
)

with contextlib.suppress(IndexerError):  # warming up only: a failure costs nothing
    _report = parse_text(read_bytes(_PAGE.encode(), "warm.html").text)
    # What a worker makes of each report for the writer: the row and each engine's tokens.
    row_values(_report)
    for _engine in ENGINES:
        preparer(_engine)(_report)
