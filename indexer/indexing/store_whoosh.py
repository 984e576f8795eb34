"""Whoosh behind the store interface: schema, tokenizer adapter, query objects, writer."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

from whoosh import index as whoosh_index
from whoosh import query as wq
from whoosh.analysis import Token as WhooshToken
from whoosh.analysis import Tokenizer
from whoosh.fields import ID, TEXT, Schema

from indexer.indexing.analysis import BIGRAMS, CHARS, Query, QueryTerm, tokens
from indexer.indexing.store import BatchNames, StoreHit, WriterBatch, full_text
from indexer.models import Report

# Fields: ``body`` (bigrams of everything), ``chars`` (single characters of everything, for
# queries holding a lone character) and ``title`` (bigrams of title and agency, for ranking).
_BODY, _CHARS, _TITLE = "body", "chars", "title"
_TITLE_BOOST = 2.0


class _AnalysisTokenizer(Tokenizer):
    """Feeds `analysis.tokens` to Whoosh (pickled into the index schema by name)."""

    def __init__(self, mode: str = BIGRAMS) -> None:
        self.mode = mode

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _AnalysisTokenizer) and other.mode == self.mode

    def __hash__(self) -> int:
        return hash((type(self), self.mode))

    def __call__(
        self,
        value: str,
        positions: bool = False,
        chars: bool = False,
        keeporiginal: bool = False,
        removestops: bool = True,
        start_pos: int = 0,
        start_char: int = 0,
        mode: str = "",
        **kwargs: object,
    ) -> Iterator[WhooshToken]:
        out = WhooshToken(positions, chars, removestops=removestops, mode=mode, **kwargs)
        for token in tokens(value, self.mode):
            out.text = token.text
            out.boost = 1.0
            out.stopped = False
            if keeporiginal:
                out.original = token.text
            if positions:
                out.pos = start_pos + token.pos
            if chars:
                out.startchar = start_char + token.start
                out.endchar = start_char + token.end
            yield out


def _schema() -> Schema:
    return Schema(
        id=ID(stored=True, unique=True),
        body=TEXT(analyzer=_AnalysisTokenizer(BIGRAMS), phrase=True),
        chars=TEXT(analyzer=_AnalysisTokenizer(CHARS), phrase=True),
        title=TEXT(analyzer=_AnalysisTokenizer(BIGRAMS), phrase=True, field_boost=_TITLE_BOOST),
    )


def prepare(report: Report) -> dict[str, str]:
    """What the Whoosh writer adds for ``report`` (picklable: a parse worker can make it)."""
    head, body = full_text(report)
    return {"id": report.id, "head": head, "body": body}


class _WhooshWriter(WriterBatch):
    """`StoreWriter` over a Whoosh index writer."""

    def __init__(self, ix: whoosh_index.Index) -> None:
        self._writer = ix.writer(limitmb=128)
        self._empty = ix.doc_count_all() == 0  # then adding needs no lookup to replace
        # Whoosh replaces and deletes only committed documents, not ones added in this batch.
        self._names = BatchNames()

    def put(self, report: Report) -> None:
        """Add ``report``, replacing the committed report with the same id."""
        self.put_prepared(prepare(report))

    def put_prepared(self, prepared: dict[str, str]) -> None:
        """Add a report `prepare` made, replacing the committed report with the same id."""
        self._names.name(prepared["id"])
        add = self._writer.add_document if self._empty else self._writer.update_document
        head, body = prepared["head"], prepared["body"]
        add(id=prepared["id"], body=body, chars=body, title=head)

    def delete(self, report_id: str) -> None:
        """Remove the committed report with ``report_id`` (nothing happens if there is none)."""
        self._names.name(report_id)
        self._writer.delete_by_term("id", report_id)

    def commit(self) -> None:
        """Make every change visible at once."""
        self._writer.commit()

    def cancel(self) -> None:
        """Drop every change."""
        self._writer.cancel()


def _group_query(field: str, group: tuple[str, ...]) -> wq.Query:
    """One run of consecutive tokens: a phrase (a lone token: a term)."""
    if len(group) == 1:
        return wq.Term(field, group[0])
    return wq.Phrase(field, list(group), slop=1)


def _all_groups(field: str, term: QueryTerm) -> wq.Query:
    groups = list(dict.fromkeys(term.groups))
    if len(groups) == 1:
        return _group_query(field, groups[0])
    return wq.And([_group_query(field, group) for group in groups])


def _term_query(term: QueryTerm) -> wq.Query:
    """Every group of the term as a phrase; a bigram term also scores on the title field.

    The body field holds the title and agency too, so the title is an optional extra for
    ranking (`AndMaybe`), never needed for a match.
    """
    if term.mode == CHARS:
        return _all_groups(_CHARS, term)
    return wq.AndMaybe(_all_groups(_BODY, term), _all_groups(_TITLE, term))


def _whoosh_query(query: Query) -> wq.Query:
    if len(query.terms) == 1:
        return _term_query(query.terms[0])
    return wq.And([_term_query(t) for t in query.terms])


class WhooshStore:
    """`TextStore` in a Whoosh index directory."""

    def __init__(self, ix: whoosh_index.Index) -> None:
        self._ix = ix
        self._searcher = ix.searcher()
        self._lock = threading.Lock()  # one Whoosh searcher, shared by reader threads

    @classmethod
    def create(cls, path: Path) -> WhooshStore:
        """A new, empty store in ``path`` (created)."""
        path.mkdir(parents=True, exist_ok=True)
        return cls(whoosh_index.create_in(str(path), _schema()))

    @classmethod
    def open(cls, path: Path) -> WhooshStore:
        """The store in ``path``; `FileNotFoundError` when there is none."""
        if not cls.exists(path):
            raise FileNotFoundError(f"no full-text index in {path}")
        return cls(whoosh_index.open_dir(str(path)))

    @staticmethod
    def exists(path: Path) -> bool:
        """Whether ``path`` holds a Whoosh store."""
        return path.is_dir() and whoosh_index.exists_in(str(path))

    def writer(self) -> _WhooshWriter:
        """A writer for a batch of changes (use as a context manager: commits on success)."""
        return _WhooshWriter(self._ix)

    def search(self, query: Query, limit: int | None = None) -> tuple[int, list[StoreHit]]:
        """The number of reports holding every query term as phrases, and the best ``limit``
        of them (all when None), best first."""
        if limit is not None and limit < 0:
            raise ValueError("limit must be 0 or more")
        with self._lock:
            if not self._searcher.up_to_date():  # a writer committed since
                self._searcher.close()
                self._searcher = self._ix.searcher()
            # optimize=False: no skipping of low-scoring blocks, so the count comes exact from
            # the same pass instead of a second run of the phrase matchers.
            results = self._searcher.search(
                _whoosh_query(query), limit=None if limit is None else max(limit, 1), optimize=False
            )
            hits = [StoreHit(hit["id"], float(hit.score or 0.0)) for hit in results]
            return len(results), hits[:limit]

    def close(self) -> None:
        """Release files."""
        with self._lock:
            self._searcher.close()
            self._ix.close()
