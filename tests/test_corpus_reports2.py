"""A second corpus of whole reports, written apart from the first and unlike it, parsed end to end.

``tests/corpus/reports2/`` holds reports of 乡, 镇, 街道, a 地区办事处, a 林场 and a 开发区管委会 as
their offices publish them: web pages of three CMS styles (a TRS editor div, a UCAP content
div, an old table-layout page in GBK) with their chrome (breadcrumbs, 发布时间/来源/字号,
related links to other years' reports, a site footer with the site's own phone, e-mail and
ICP number); a title naming no body, the body only in the signature; contact details only in
section 六, in a 七、联系方式 block or after the signature (座机 and 手机, a fax, an upper-case
e-mail, a website without http); big-city street offices; long ethnic place names in 新疆 and
黑龙江; the years 2020 (in the 2019 form), 2021, 2022 and 2024 (published the next year);
blank cells ("—" and empty) and non-zero figures in every table; and prose totals that
contradict the table. Beside each, ``<name>.expected.json`` holds what a careful reader takes
from the text: a partial record, only its keys are compared; ``checks_include`` lists check
codes the record must carry. Each stated field is its own case (``<file>:<dotted.field>``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.corpus_fields import Corpus

# Known failures, per file and field: "<file>:<dotted.field>" -> why it fails today.
KNOWN: dict[str, str] = {}

CORPUS = Corpus(Path(__file__).parent / "corpus" / "reports2", KNOWN)


def test_every_report_has_its_expected_values() -> None:
    CORPUS.check_layout(at_least=12)


@pytest.mark.parametrize(("name", "field", "want"), CORPUS.cases())
def test_corpus_report_field(name: str, field: str, want: Any) -> None:
    CORPUS.compare(name, field, want)
