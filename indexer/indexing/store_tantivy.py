"""The full-text store on tantivy: the same fields and analyser as the Whoosh store.

Reports are indexed pre-tokenised: `analysis.tokens` makes the tokens (character bigrams, or
single characters, with their positions and the gaps punctuation leaves), and tantivy stores
them as given, so normalisation, Traditional → Simplified, spaces inside Chinese and phrase
breaks are exactly those of the Whoosh store. A query term becomes a phrase query per group of
consecutive tokens (a term query for a lone token); tantivy checks positions itself, so matches
are exact and counted in the same pass as the BM25 scoring.

Fields: ``id`` (raw, stored, for delete), ``body`` (bigrams of everything), ``chars`` (single
characters of everything, for a query term holding a lone character) and ``title`` (bigrams of
title and agency, an optional clause boosted for ranking).
"""

from __future__ import annotations

import threading
from pathlib import Path
from types import TracebackType

import tantivy

from indexer.indexing.analysis import BIGRAMS, CHARS, Query, QueryTerm, tokens
from indexer.indexing.store import BatchNames, StoreHit, full_text
from indexer.models import Report

_ID, _BODY, _CHARS, _TITLE = "id", "body", "chars", "title"
_TITLE_BOOST = 2.0

# One indexing thread: the tokens are made in Python (under the GIL) one report at a time, so
# a second thread would wait; on a 2-core machine the other core runs the parser workers.
# 64 MB buffers a few thousand reports (one segment) before a flush; the minimum is 15 MB a
# thread.
_WRITER_THREADS = 1
_WRITER_HEAP = 64_000_000


def _schema() -> tantivy.Schema:
    builder = tantivy.SchemaBuilder()
    builder.add_text_field(_ID, stored=True, tokenizer_name="raw", index_option="basic")
    for field in (_BODY, _CHARS, _TITLE):
        builder.add_text_field(field, tokenizer_name="raw", index_option="position")
    return builder.build()


def _pre_tokenised(text: str, mode: str) -> tantivy.PreTokenizedString:
    return tantivy.PreTokenizedString(text, tokens(text, mode, tantivy.Token))


def _document(report: Report) -> tantivy.Document:
    head, body = full_text(report)
    doc = tantivy.Document()
    doc.add_text(_ID, report.id)
    doc.add_pre_tokenized_text(_BODY, _pre_tokenised(body, BIGRAMS))
    doc.add_pre_tokenized_text(_CHARS, _pre_tokenised(body, CHARS))
    doc.add_pre_tokenized_text(_TITLE, _pre_tokenised(head, BIGRAMS))
    return doc


class _TantivyWriter:
    """`StoreWriter` over a tantivy index writer (holds the index's writer lock until done)."""

    def __init__(self, store: TantivyStore) -> None:
        self._store = store
        self._writer = store.index.writer(heap_size=_WRITER_HEAP, num_threads=_WRITER_THREADS)
        self._names = BatchNames()
        self._done = False

    def put(self, report: Report) -> None:
        """Add ``report``, replacing the committed report with the same id."""
        self._names.name(report.id)
        self._writer.delete_documents_by_term(_ID, report.id)  # applies to earlier documents
        self._writer.add_document(_document(report))

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

    def __enter__(self) -> _TantivyWriter:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if kind is None:
            self.commit()
        else:
            self.cancel()


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
        return cls(tantivy.Index(_schema(), str(path), reuse=False))

    @classmethod
    def open(cls, path: Path) -> TantivyStore:
        """The store in ``path``; `FileNotFoundError` when there is none."""
        if not cls.exists(path):
            raise FileNotFoundError(f"no full-text index in {path}")
        return cls(tantivy.Index.open(str(path)))

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
