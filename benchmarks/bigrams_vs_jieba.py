"""Recall of the bigram index against jieba's word-segmenting analyser, on the samples.

For each query, the truth is the set of sample reports whose normalised text contains it; the
table shows how many of them each index finds (and how many wrong ones). jieba is not a
dependency of gongkai: install it aside to run this, for example

    .venv/bin/pip install --target /tmp/jieba jieba==0.42.1
    PYTHONPATH=/tmp/jieba .venv/bin/python benchmarks/bigrams_vs_jieba.py
"""

from __future__ import annotations

import logging
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from whoosh import index  # noqa: E402
from whoosh import query as wq  # noqa: E402
from whoosh.fields import ID, TEXT, Schema  # noqa: E402

from indexer.indexing.analysis import normalise, parse_query  # noqa: E402
from indexer.indexing.store_whoosh import WhooshStore  # noqa: E402
from indexer.models import Report, Source  # noqa: E402

QUERIES = (
    "胜乡", "长胜乡", "升昌", "升昌镇", "东沟", "东沟乡", "幸福乡", "长生镇", "依申请公开",
    "三审三校", "微信公众号", "政务新媒体", "行政许可", "行政处罚", "政府信息公开", "乡", "镇",
    "公众号",
)  # fmt: skip


def _jieba_index(texts: dict[str, str], analyzer: object) -> index.Index:
    schema = Schema(id=ID(stored=True), body=TEXT(analyzer=analyzer, phrase=True))
    ix = index.create_in(tempfile.mkdtemp(), schema)
    with ix.writer() as writer:
        for key, text in texts.items():
            writer.add_document(id=key, body=text)
    return ix


def _bigram_store(texts: dict[str, str]) -> WhooshStore:
    store = WhooshStore.create(Path(tempfile.mkdtemp()))
    with store.writer() as writer:
        for key, text in texts.items():
            source = Source(path=key, sha256="", format="txt")
            writer.put(Report(id=key, source=source, sections={"overview": text}))
    return store


def _jieba_ids(ix: index.Index, analyzer: object, words: str, phrase: bool) -> set[str]:
    tokens = [t.text for t in analyzer(words)]  # type: ignore[operator]
    if phrase and len(tokens) > 1:
        query: wq.Query = wq.Phrase("body", tokens)
    else:
        query = wq.And([wq.Term("body", t) for t in tokens])
    with ix.searcher() as searcher:
        return {hit["id"] for hit in searcher.search(query, limit=None)}


def main() -> None:
    """Print one row per query: truth, bigrams, jieba words AND, jieba phrase."""
    logging.disable(logging.CRITICAL)
    from jieba.analyse import ChineseAnalyzer

    analyzer = ChineseAnalyzer()
    texts = {p.name[:3]: p.read_text(encoding="utf-8") for p in sorted(ROOT.glob("samples/*"))}
    ix, store = _jieba_index(texts, analyzer), _bigram_store(texts)
    totals = [0, 0, 0, 0]
    print(f"{'query':12} truth  bigrams  jieba-AND  jieba-phrase")
    for words in QUERIES:
        truth = {k for k, t in texts.items() if words in normalise(t).replace(" ", "")}
        found = [
            {hit.report_id for hit in store.search(parse_query(words))},
            _jieba_ids(ix, analyzer, words, phrase=False),
            _jieba_ids(ix, analyzer, words, phrase=True),
        ]
        cells = [f"{len(f & truth)}" + (f"+{len(f - truth)}" if f - truth else "") for f in found]
        row = [len(truth), *(len(f & truth) for f in found)]
        totals = [a + b for a, b in zip(totals, row, strict=True)]
        print(f"{words:12} {len(truth):5}  {cells[0]:>7}  {cells[1]:>9}  {cells[2]:>12}")
    print(f"{'all':12} {totals[0]:5}  {totals[1]:>7}  {totals[2]:>9}  {totals[3]:>12}")


if __name__ == "__main__":
    main()
