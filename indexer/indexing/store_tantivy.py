"""The full-text store on tantivy: the same fields and analyser as the Whoosh store.

Reports are indexed as the analyser's tokens: `analysis.spaced` makes them (character
bigrams, or single characters, with their positions and the gaps punctuation leaves), and
`prepare` writes them out as one space-separated string per field, with a filler token (``|``,
which no query can hold) at each gap, which tantivy splits on whitespace into the same tokens
at the same positions. So normalisation, Traditional → Simplified, spaces inside Chinese and
phrase breaks are exactly those of the Whoosh store, and the Python work of tokenising is done
by `prepare` — in the parse workers during an index run — not by the single writer. A query
term becomes a phrase query per group of consecutive tokens (a term query for a lone token);
tantivy checks positions itself, so matches are exact and counted in the same pass as the BM25
scoring.

Fields: ``id`` (raw, stored, for delete), ``body`` (bigrams of everything), ``chars`` (single
characters of everything, for a query term holding a lone character) and ``title`` (bigrams of
title and agency, an optional clause boosted for ranking).
"""

from __future__ import annotations

import threading
from pathlib import Path

import tantivy

from indexer.indexing.analysis import BIGRAMS, CHARS, Query, QueryTerm, spaced
from indexer.indexing.store import BatchNames, StoreHit, WriterBatch, full_text
from indexer.models import Report

_ID, _BODY, _CHARS, _TITLE = "id", "body", "chars", "title"
_TITLE_BOOST = 2.0

# One indexing thread: the tokens are made in Python (under the GIL) one report at a time, so
# a second thread would wait; on a 2-core machine the other core runs the parser workers.
# 64 MB buffers a few thousand reports (one segment) before a flush; the minimum is 15 MB a
# thread.
_WRITER_THREADS = 1
_WRITER_HEAP = 64_000_000


_SPACED = "gongkai_spaced"  # our analyser's tokens, written out with spaces between them
_GAP = "|"  # a filler token where the analyser leaves a position empty (punctuation)


def _schema() -> tantivy.Schema:
    builder = tantivy.SchemaBuilder()
    builder.add_text_field(_ID, stored=True, tokenizer_name="raw", index_option="basic")
    for field in (_BODY, _CHARS, _TITLE):
        builder.add_text_field(field, tokenizer_name=_SPACED, index_option="position")
    return builder.build()


def _with_analyser(index: tantivy.Index) -> tantivy.Index:
    """The index with our whitespace analyser registered (tantivy does not keep it on disk)."""
    index.register_tokenizer(
        _SPACED, tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.whitespace()).build()
    )
    return index


def _spaced(text: str, mode: str) -> str:
    """The tokens of ``text`` separated by spaces, a filler at each skipped position."""
    return spaced(text, mode, _GAP)


def prepare(report: Report) -> dict[str, str]:
    """What the writer adds for ``report``: its id and each field's tokens (picklable, so a
    parse worker can make it)."""
    head, body = full_text(report)
    return {
        _ID: report.id,
        _BODY: _spaced(body, BIGRAMS),
        _CHARS: _spaced(body, CHARS),
        _TITLE: _spaced(head, BIGRAMS),
    }


def _document(prepared: dict[str, str]) -> tantivy.Document:
    doc = tantivy.Document()
    for field in (_ID, _BODY, _CHARS, _TITLE):
        doc.add_text(field, prepared[field])
    return doc


class _TantivyWriter(WriterBatch):
    """`StoreWriter` over a tantivy index writer (holds the index's writer lock until done)."""

    def __init__(self, store: TantivyStore) -> None:
        self._store = store
        self._writer = store.index.writer(heap_size=_WRITER_HEAP, num_threads=_WRITER_THREADS)
        self._names = BatchNames()
        self._done = False

    def put(self, report: Report) -> None:
        """Add ``report``, replacing the committed report with the same id."""
        self.put_prepared(prepare(report))

    def put_prepared(self, prepared: dict[str, str]) -> None:
        """Add a report `prepare` made, replacing the committed report with the same id."""
        report_id = prepared[_ID]
        self._names.name(report_id)
        self._writer.delete_documents_by_term(_ID, report_id)  # applies to earlier documents
        self._writer.add_document(_document(prepared))

    def delete(self, report_id: str) -> None:
        """Remove the committed report with ``report_id`` (nothing happens if there is none)."""
        self._names.name(report_id)
        self._writer.delete_documents_by_term(_ID, report_id)

    def commit(self) -> None:
        """Make every change visible at once."""
        self._writer.commit()
        self._finish()
        self._store.reload()

    def cancel(self) -> None:
        """Drop every change."""
        if not self._done:
            self._writer.rollback()
            self._finish()

    def _finish(self) -> None:
        # Merges started by the commit end before the store's files are flushed or linked,
        # and the writer lock is released.
        self._done = True
        self._writer.wait_merging_threads()


def _group_query(schema: tantivy.Schema, field: str, group: tuple[str, ...]) -> tantivy.Query:
    """One run of consecutive tokens: a phrase (a lone token: a term)."""
    if len(group) == 1:
        return tantivy.Query.term_query(schema, field, group[0])
    return tantivy.Query.phrase_query(schema, field, list(group))


def _all_groups(schema: tantivy.Schema, field: str, term: QueryTerm) -> tantivy.Query:
    groups = list(dict.fromkeys(term.groups))
    if len(groups) == 1:
        return _group_query(schema, field, groups[0])
    must = tantivy.Occur.Must
    return tantivy.Query.boolean_query([(must, _group_query(schema, field, g)) for g in groups])


def _term_query(schema: tantivy.Schema, term: QueryTerm) -> tantivy.Query:
    """Every group of the term; a bigram term also scores (boosted) on the title field."""
    if term.mode == CHARS:
        return _all_groups(schema, _CHARS, term)
    title = tantivy.Query.boost_query(_all_groups(schema, _TITLE, term), _TITLE_BOOST)
    return tantivy.Query.boolean_query(
        [
            (tantivy.Occur.Must, _all_groups(schema, _BODY, term)),
            (tantivy.Occur.Should, title),
        ]
    )


def _tantivy_query(schema: tantivy.Schema, query: Query) -> tantivy.Query:
    if len(query.terms) == 1:
        return _term_query(schema, query.terms[0])
    must = tantivy.Occur.Must
    return tantivy.Query.boolean_query([(must, _term_query(schema, t)) for t in query.terms])


class TantivyStore:
    """`TextStore` in a tantivy index directory."""

    def __init__(self, index: tantivy.Index) -> None:
        self.index = index
        self._schema = index.schema
        self._lock = threading.Lock()  # guards reloading; searches run side by side
        # Reloaded by our own writers on commit (a committed generation never changes).
        index.config_reader(reload_policy="manual")
        self._searcher = index.searcher()

    @classmethod
    def create(cls, path: Path) -> TantivyStore:
        """A new, empty store in ``path`` (created)."""
        path.mkdir(parents=True, exist_ok=True)
        return cls(_with_analyser(tantivy.Index(_schema(), str(path), reuse=False)))

    @classmethod
    def open(cls, path: Path) -> TantivyStore:
        """The store in ``path``; `FileNotFoundError` when there is none."""
        if not cls.exists(path):
            raise FileNotFoundError(f"no full-text index in {path}")
        return cls(_with_analyser(tantivy.Index.open(str(path))))

    @staticmethod
    def exists(path: Path) -> bool:
        """Whether ``path`` holds a tantivy store."""
        return path.is_dir() and tantivy.Index.exists(str(path))

    def writer(self) -> _TantivyWriter:
        """A writer for a batch of changes (use as a context manager: commits on success)."""
        return _TantivyWriter(self)

    def reload(self) -> None:
        """See the last commit in searches from now on."""
        with self._lock:
            self.index.reload()
            self._searcher = self.index.searcher()

    def search(self, query: Query, limit: int | None = None) -> tuple[int, list[StoreHit]]:
        """The number of reports holding every query term as phrases, and the best ``limit``
        of them (all when None), best first."""
        if limit is not None and limit < 0:
            raise ValueError("limit must be 0 or more")
        with self._lock:
            searcher = self._searcher
        size = searcher.num_docs
        if size == 0:
            return 0, []
        wanted = size if limit is None else max(1, min(limit, size))
        result = searcher.search(_tantivy_query(self._schema, query), wanted, count=True)
        hits = [
            StoreHit(searcher.doc(address).get_first(_ID), float(score))
            for score, address in result.hits[:limit]
        ]
        return result.count, hits

    def close(self) -> None:
        """Release files (tantivy maps them; they are unmapped when the objects go)."""
        with self._lock:
            self._searcher = None  # type: ignore[assignment]
