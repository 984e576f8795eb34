"""A third corpus of whole reports, written apart from the first two, parsed end to end.

``tests/corpus/reports3/`` holds reports of 镇 and a 街道办事处 in plain text, PDF-like text with
space-separated cells and Markdown pipe tables: a corrected edition ("（更正版）") whose fax is
the same number as its phone ("（传真同号）"), a "咨询电话及传真" line, phones joined by ";" or
written with an em dash and a space ("0898—6666 8888"), a postcode inside the address's bracket
("（邮编：212143）") or after a comma, an e-mail with an underscore, a contact block after the
signature and an "附件：" list naming another office's phone; a non-zero 行政复议 and a pending
行政诉讼; a 2021 report whose 第二十条第（一）项 has only the 行政规范性文件 row and whose
法人或其他组织 columns are all blank. Beside each, ``<name>.expected.json`` holds what a careful
reader takes from the text: a partial record, only its keys are compared. Each stated field is
its own case (``<file>:<dotted.field>``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.corpus_fields import Corpus

# Known failures, per file and field: "<file>:<dotted.field>" -> why it fails today.
KNOWN: dict[str, str] = {}

CORPUS = Corpus(Path(__file__).parent / "corpus" / "reports3", KNOWN)


def test_every_report_has_its_expected_values() -> None:
    CORPUS.check_layout(at_least=6)


@pytest.mark.parametrize(("name", "field", "want"), CORPUS.cases())
def test_corpus_report_field(name: str, field: str, want: Any) -> None:
    CORPUS.compare(name, field, want)
