"""`Engine`: the one entry point that turns questions into `Answer` objects.

Interface contract for the HTTP endpoint and the bot (they call nothing else in `search`).
Blocking; callers on an event loop run it with ``asyncio.to_thread``.

Structured questions are answered from the index's rows and figure columns (full records
are read only for what an answer shows); keyword search goes to the index's full-text
store. Reads are thread-safe: each call takes the current `_State` once, and
`reload_if_changed` swaps in a new one; an old snapshot is closed only after the last read
still using it has finished.
"""

from __future__ import annotations

import gc
import logging
import re
import threading
from collections.abc import Iterable, Sequence
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

from indexer.errors import IndexMissing
from indexer.indexing.records import ReportRow
from indexer.indexing.snapshot import IndexSnapshot, open_index
from indexer.models import Report
from search import answers, coverage, filters, prepared, ranking, render
from search.answer import Answer, Result, Snippet
from search.coverage import Coverage
from search.errors import IndexMissingError, NotFoundError, QueryError
from search.keyword import KeywordSearch
from search.memory import MemoryRecords
from search.names import NameIndex, place_short_form
from search.rules import load_rules
from search.text import has_cjk, primary_pinyin, simplify
from search.understand import Question, Understander, check_question

MAX_PAGE_SIZE = 100
_FILTER_FIELDS = ("year", "province", "city", "county", "township")
_STRUCTURED = {
    "contact": answers.contact,
    "filter": filters.filter_records,
    "rank": ranking.ranked,
    "count": filters.count,
}


class _State:
    """One generation of records, with what is derived from them, and its text search."""

    def __init__(
        self,
        corpus: answers.Corpus,
        names: NameIndex,
        snapshot: IndexSnapshot | None,
        built_at: datetime | None,
    ) -> None:
        self.corpus = corpus
        self.records = self.corpus.records
        self.by_id = self.corpus.by_id
        self.names = names
        self.understander = Understander(self.names)
        self.text = KeywordSearch(corpus.source, self.by_id)
        self.snapshot = snapshot
        self.built_at = built_at
        self._readers = 0
        self._retired = False
        self._lock = threading.Lock()

    def warm(self) -> None:
        """Make ahead what questions otherwise make on first use (in a background thread)."""
        self.enter()
        try:
            self.understander.warm()
            self.corpus.read_figures(load_rules().metrics)
            self.corpus.township_keys(self.records[:1])
            gc.freeze()  # what the warm-up made lives as long as the generation, too
        except Exception:  # closed under us, or anything else: questions make it when asked
            logging.getLogger(__name__).debug("warming up stopped", exc_info=True)
        finally:
            self.leave()

    def enter(self) -> _State:
        with self._lock:
            self._readers += 1
        return self

    def leave(self) -> None:
        with self._lock:
            self._readers -= 1
            close = self._retired and self._readers == 0
        if close:
            self._close()

    def retire(self) -> None:
        with self._lock:
            self._retired = True
            close = self._readers == 0
        if close:
            self._close()

    def _close(self) -> None:
        if self.snapshot is not None:
            self.snapshot.close()
            self.snapshot = None


def _state_of(snapshot: IndexSnapshot, warm: bool = False) -> _State:
    corpus, names = prepared.open_state(snapshot)
    state = _State(corpus, names, snapshot, snapshot.built_at)
    # Rows, names and lexicon live as long as the generation: a full collection need not
    # walk them (it paused requests for seconds when whole records were held).
    gc.freeze()
    if warm:
        threading.Thread(target=state.warm, name="warm", daemon=True).start()
    return state


class Engine:
    """Answers questions over one index directory (rows and figure columns + full-text store)."""

    def __init__(self, index_dir: Path, warm: bool = True) -> None:
        """Open the index at ``index_dir``; raise `IndexMissingError` when there is none.

        With ``warm``, what is otherwise made on first use (pinyin names, figure columns) is
        made in a background thread; a one-off question (`gongkai ask`) goes without.
        """
        self.index_dir: Path | None = Path(index_dir)
        self._swap = threading.Lock()
        self._warm = warm
        self._state = _state_of(_open(self.index_dir), warm)

    @classmethod
    def from_records(cls, records: Iterable[Report]) -> Engine:
        """An engine over records in memory, searching their text by plain substring."""
        engine = cls.__new__(cls)
        engine.index_dir = None
        engine._warm = False
        engine._swap = threading.Lock()
        corpus = answers.Corpus(MemoryRecords(records))
        engine._state = _State(corpus, NameIndex(corpus.records), None, None)
        return engine

    def _enter(self) -> _State:
        with self._swap:
            return self._state.enter()

    def ask(self, question: str, page: int = 1, size: int = 10) -> Answer:
        """Answer any question (contact, filter, rank, count or keyword); `QueryError` if bad."""
        _check_page(page, size)
        state = self._enter()
        try:
            q = state.understander.understand(question)
            if q.kind == "keyword":
                return _keyword_or_unknown(state, q, page, size)
            if q.kind == "unknown":
                return _unknown(state, q, "")
            q = answers.settle(q, state.corpus)
            return _STRUCTURED[q.kind](q, state.corpus, page, size)
        finally:
            state.leave()

    def search(self, words: str, page: int = 1, size: int = 10) -> Answer:
        """Keyword search with highlighted snippets, best first, paged."""
        _check_page(page, size)
        text = check_question(words)
        state = self._enter()
        try:
            q = Question(asked=text, kind="keyword", lang=_lang(text), words=simplify(text))
            return _keyword(state, q, page, size)
        finally:
            state.leave()

    def contact(self, name: str) -> Answer:
        """Contact details of the townships matching ``name`` (Chinese, pinyin, traditional)."""
        text = check_question(name)
        state = self._enter()
        try:
            found = tuple(state.names.lookup(text))
            q = Question(asked=text, kind="contact", lang=_lang(text), townships=found)
            return answers.contact(q, state.corpus, 1, MAX_PAGE_SIZE)
        finally:
            state.leave()

    def townships(self, query: str, limit: int = 10) -> list[Result]:
        """Name lookup for autocomplete: matching townships with their contact details."""
        if not query or not query.strip():
            return []
        text = check_question(query)
        state = self._enter()
        try:
            names = state.names.lookup(text, limit)
            q = Question(asked=text, kind="contact", lang=_lang(text), townships=tuple(names))
            return answers.contact(q, state.corpus, 1, max(limit, 1)).results
        finally:
            state.leave()

    def report(self, report_id: str) -> Report:
        """One full record; `NotFoundError` for an unknown id."""
        state = self._enter()
        try:
            found = state.corpus.reports([report_id]).get(report_id)
        finally:
            state.leave()
        if found is None:
            raise NotFoundError(f"no report with id {report_id!r}")
        return found

    def reports(self, **filters: str | int | None) -> list[Report]:
        """Records filtered by exact field values (year, province, city, county, township)."""
        wanted = _wanted(filters)
        state = self._enter()
        try:
            ids = [
                r.id for r in state.records if all(getattr(r, k) == v for k, v in wanted.items())
            ]
            found = state.corpus.reports(ids)
        finally:
            state.leave()
        return [found[i] for i in ids if i in found]

    def summaries(
        self, paths: Sequence[str], **filters: str | int | None
    ) -> list[tuple[ReportRow, tuple[int | float | None, ...]]]:
        """The rows filtered as `reports` filters, each with its figures at ``paths``
        (dotted record paths of `indexer.indexing.records.FIGURE_PATHS`); no full record
        is read, so a whole province lists quickly."""
        wanted = _wanted(filters)
        state = self._enter()
        try:
            rows = [r for r in state.records if all(getattr(r, k) == v for k, v in wanted.items())]
            figures = state.corpus.source.figures(paths)
        finally:
            state.leave()
        blank = (None,) * len(paths)
        return [(r, figures.get(r.id, blank)) for r in rows]

    def coverage(
        self,
        county: str | None = None,
        city: str | None = None,
        province: str | None = None,
        year: int | str | None = None,
    ) -> Coverage:
        """Which townships of a county (or of every county of a city or a province) have a
        report of ``year`` — the newest year the place has reports for when not given.

        Each county's townships are the gazetteer's (镇, 乡, 街道, 苏木), so the answer names
        the ones that have not published (`CountyCoverage.missing`) and gives n / N per
        county and in all. The narrowest place given decides (a county within the city or
        province given, which tells apart counties of the same name); with no place, the
        counties the index holds reports from. `QueryError` for a place the gazetteer does
        not know or a year that is not a number. Reads only the rows of the counties asked
        about, no full record.
        """
        wanted = _wanted({"year": year}) if year not in (None, "") else {}
        state = self._enter()
        try:
            return coverage.coverage(
                state.corpus, county or None, city or None, province or None, wanted.get("year")
            )
        finally:
            state.leave()

    def stats(self) -> dict[str, object]:
        """Counts for /healthz and /stats: reports, townships, years, index age in seconds."""
        state = self._state
        built = state.built_at
        age = (datetime.now(UTC) - _aware(built)).total_seconds() if built else None
        return {
            "reports": len(state.records),
            "townships": len(state.corpus.by_township),
            "years": list(state.corpus.years),
            "index_age_seconds": round(age, 1) if age is not None else None,
            "built_at": built.isoformat() if built else None,
        }

    def reload_if_changed(self) -> bool:
        """Re-open the index if an index run has replaced it since; return whether it did."""
        current = self._state.snapshot
        if self.index_dir is None or (current is not None and current.is_current()):
            return False
        try:
            fresh = _state_of(_open(self.index_dir), self._warm)
        except IndexMissingError:
            return False
        with self._swap:
            old, self._state = self._state, fresh
        old.retire()
        return True

    def close(self) -> None:
        """Release the index files (the engine answers nothing afterwards)."""
        self._state.retire()


def _open(index_dir: Path) -> IndexSnapshot:
    try:
        return open_index(index_dir)
    except IndexMissing as exc:
        raise IndexMissingError(str(exc)) from None


def _wanted(filters: dict[str, str | int | None]) -> dict[str, str | int]:
    """Exact-value filters with blanks dropped and the year a number; QueryError if bad."""
    unknown = set(filters) - set(_FILTER_FIELDS)
    if unknown:
        raise QueryError(f"unknown filter: {', '.join(sorted(unknown))}")
    wanted = {k: v for k, v in filters.items() if v is not None and v != ""}
    if "year" in wanted:
        try:
            wanted["year"] = int(wanted["year"])
        except ValueError:
            raise QueryError("year must be a number, e.g. 2023") from None
    return wanted


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _lang(text: str) -> str:
    return "zh" if has_cjk(simplify(text)) else "en"


def _check_page(page: int, size: int) -> None:
    if not isinstance(page, int) or page < 1:
        raise QueryError("page must be 1 or more")
    if not isinstance(size, int) or not 1 <= size <= MAX_PAGE_SIZE:
        raise QueryError(f"size must be between 1 and {MAX_PAGE_SIZE}")


def _keyword(state: _State, q: Question, page: int, size: int) -> Answer:
    """Keyword hits, best first, with highlighted snippets."""
    try:
        found = state.text(q.words, page, size)
    except ValueError as exc:
        raise QueryError(str(exc)) from None
    results = []
    for hit in found.hits:
        report = state.by_id.get(hit.report_id)
        if report is None:
            continue
        snippets = _best_first(
            [Snippet(section=s.section, text=s.text, html=s.html) for s in hit.snippets]
        )
        results.append(answers.result_of(report, snippets=snippets, score=hit.score))
    w = render.words(q.lang)
    if found.total:
        s = "" if found.total == 1 else "s"
        lines = [w["keyword"].format(words=q.words, n=found.total, s=s)]
        offset = (page - 1) * size
        lines += render.result_lines(results, found.total, None, q.lang, offset=offset)
    else:
        lines = [w["keyword_none"].format(words=q.words)]
    return Answer(
        question=q.asked,
        intent="keyword",
        text="\n".join(lines),
        results=results,
        total=found.total,
        page=page,
        page_size=size,
    )


_MARKED = re.compile(r"<mark>(.*?)</mark>")


def _best_first(snippets: list[Snippet]) -> list[Snippet]:
    """Snippets marking the most different words first; the title only when nothing else is
    better (a township name in the title says less than the passage holding the phrase)."""

    def key(snippet: Snippet) -> tuple[int, int]:
        return (-len(set(_MARKED.findall(snippet.html))), snippet.section is None)

    return sorted(snippets, key=key)


def _keyword_or_unknown(state: _State, q: Question, page: int, size: int) -> Answer:
    """A question that read as plain words: keyword hits, or say plainly we do not know."""
    answer = _keyword(state, q, page, size)
    if answer.total or page > 1:
        return answer
    again = state.understander.respelled(q.asked)
    if again is not None:  # a rule word typed by sound (升昌镇邮遍): read it put right
        fixed = replace(state.understander.understand(again), asked=q.asked)
        if fixed.kind in _STRUCTURED:
            return _STRUCTURED[fixed.kind](
                answers.settle(fixed, state.corpus), state.corpus, page, size
            )
    return _unknown(state, q, render.words(q.lang)["unknown_words"].format(words=q.words))


def _unknown(state: _State, q: Question, lead: str) -> Answer:
    """What gongkai can answer, with examples taken from the records loaded."""
    example = next((r for r in state.records if r.township), None)
    township = example.township if example and example.township else "某某乡"
    entry = state.names.townships.get(township)
    spelled = primary_pinyin(entry.stem if entry else township)
    province = next((r.province for r in state.records if r.province), "")
    if q.lang == "en" and province:
        province = primary_pinyin(place_short_form(province, load_rules()) or province)
    year = max((r.year for r in state.records if r.year), default=datetime.now().year - 1)
    text = lead + render.help_text(q.lang, township, spelled, province, year)
    return Answer(question=q.asked, intent="unknown", text=text)
