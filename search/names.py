"""Township and place names, taken from the records at load time.

A township is found by its full name (长胜乡), its name without the suffix (长胜), its pinyin
without tones (changsheng, changshengxiang, "changsheng township"), in Traditional characters
(the question is made Simplified first), or with a small typo (a homophone typed in Chinese,
a near spelling in pinyin). Provinces, cities and counties are found by full name, short form
(黑龙江, 双鸭山, 互助) or pinyin. Nothing here is specific to one report: all names come from
the records, and suffixes from the rule data.
"""

from __future__ import annotations

import re
import threading
from collections import defaultdict
from collections.abc import Callable, Iterable
from typing import NamedTuple

from rapidfuzz import fuzz, process

from indexer.indexing.records import ReportRow
from indexer.models import Report
from search.rules import Rules, load_rules
from search.text import normalise, normalise_many, pinyin_keys

PLACE_FIELDS: tuple[str, ...] = ("province", "city", "county")
_FUZZY_CUTOFF = 85.0
_MIN_FUZZY_LENGTH = 5
_LATIN = re.compile(r"[a-z]")


class PinyinNames:
    """What a pinyin phrase names: a township by the toneless pinyin of its name without the
    suffix (changsheng), followed or not by the suffix's pinyin or English word (changshengxiang,
    "changsheng township"), or a place by the pinyin of its short form (heilongjiang).

    Only the bare spellings are kept; a phrase with a suffix word is read by taking the word
    off. (Keeping every spelling with every suffix word took some 8 MB per 1,000 townships.)
    """

    def __init__(
        self,
        bare: dict[str, tuple[str, ...]],
        places: dict[str, tuple[tuple[str, str], ...]],
        suffix_of: dict[str, str],
        rules: Rules,
    ) -> None:
        """Township names by bare pinyin, places by pinyin (each sorted), and each township's
        suffix."""
        self._bare = bare
        self._places = places
        self._suffix_of = suffix_of
        tails: dict[str, set[str]] = defaultdict(set)
        for suffix in rules.township_suffixes:
            for tail in (suffix.pinyin, *suffix.en):
                tails[tail].add(suffix.zh)
        self._tails = sorted(tails.items(), key=lambda item: -len(item[0]))
        self._place_tails = sorted(rules.place_en, key=len, reverse=True)
        longest_key = max(map(len, [*self._bare, *self._places]), default=0)
        longest_tail = max((len(t) for t in [*tails, *self._place_tails]), default=0)
        self.longest = longest_key + 1 + longest_tail

    def get(self, phrase: str) -> NameHit | None:
        """What ``phrase`` names, or None (a township wins over a place of the same spelling)."""
        names = set(self._bare.get(phrase, ()))
        for tail, suffixes in self._tails:
            if len(phrase) > len(tail) and phrase.endswith(tail):
                stem = phrase[: -len(tail)]
                stem = stem[:-1] if stem.endswith(" ") else stem
                names.update(n for n in self._bare.get(stem, ()) if self._suffix_of[n] in suffixes)
        if names:
            return ("township", tuple(sorted(names)))
        places = self._places.get(phrase) or self._place_with_word(phrase)
        return ("place", places) if places else None

    def _place_with_word(self, phrase: str) -> tuple[tuple[str, str], ...] | None:
        """The places a pinyin name followed by its kind names ("jixian county"): the kind
        word says it is the place, even where a township is spelled the same."""
        for tail in self._place_tails:
            if len(phrase) > len(tail) and phrase.endswith(tail):
                stem = phrase[: -len(tail)].rstrip(" ")
                if stem in self._places:
                    return self._places[stem]
        return None

    def __contains__(self, phrase: object) -> bool:
        return isinstance(phrase, str) and self.get(phrase) is not None


def _merge(phrases: dict[str, dict[str, set]]) -> dict[str, NameHit]:
    """One table of phrases; a township name wins over a place of the same text."""
    out: dict[str, NameHit] = {}
    for kind in ("place", "township"):
        for phrase, hits in phrases[kind].items():
            out[phrase] = (kind, tuple(hits) if len(hits) == 1 else tuple(sorted(hits)))
    return out


class Township(NamedTuple):
    """One township name and the reports that carry it."""

    name: str
    stem: str
    suffix: str
    report_ids: tuple[str, ...]


# A phrase found in a question: ("township", names) or ("place", ((field, value), ...)).
NameHit = tuple[str, tuple]


def _strip_suffix(name: str, suffixes: Iterable[str]) -> tuple[str, str]:
    """``name`` without its suffix, and the suffix (``suffixes`` longest first)."""
    for suffix in suffixes:
        if name.endswith(suffix) and len(name) > len(suffix):
            return name[: -len(suffix)], suffix
    return name, ""


def place_short_form(value: str, rules: Rules) -> str | None:
    """The place name without its administrative suffix (黑龙江省 → 黑龙江), if that leaves 2+."""
    for pattern in rules.place_suffixes:
        found = pattern.search(value, 2)  # the short form keeps at least two characters
        if found:
            return value[: found.start()]
    return None


class NameIndex:
    """Every township and place name of a set of records, with the phrases that find them.

    The Chinese phrases are made at once; the pinyin ones (about a hundred times the work,
    seconds for a province) when first needed, or ahead of time by `warm` in a background
    thread, so a server opens at once and a question in Chinese never waits for them.
    """

    def __init__(self, records: Iterable[ReportRow | Report], rules: Rules | None = None) -> None:
        """Collect names from ``records``; suffixes come from ``rules``."""
        self._rules = rules or load_rules()
        records = list(records)
        self.townships: dict[str, Township] = self._collect_townships(records)
        self._places: dict[tuple[str, str], None] = {}
        phrases: dict[str, dict[str, set]] = {
            "place": defaultdict(set),
            "township": defaultdict(set),
        }
        for township in self.townships.values():
            add = phrases["township"]
            add[township.name].add(township.name)
            if len(township.stem) >= 2:
                add[township.stem].add(township.name)
        for report in records:
            self._add_places(report, phrases["place"])
        self._all_phrases = _merge(phrases)
        self._start_pinyin()

    def _start_pinyin(
        self, saved: Callable[[], tuple[dict, dict, dict, dict] | None] | None = None
    ) -> None:
        """No pinyin phrases yet: they are read from ``saved`` or made, on first use."""
        self._pinyin: PinyinNames | None = None
        self._saved_pinyin = saved
        self._township_keys: dict[str, tuple[str, ...]] = {}  # pinyin key -> names
        self._pinyin_lock = threading.Lock()

    def saved(self) -> tuple[list[tuple], list[tuple[str, str]], dict[str, NameHit]]:
        """The townships, places and Chinese phrases as plain data (what `restored` takes)."""
        townships = [(t.name, t.stem, t.suffix, t.report_ids) for t in self.townships.values()]
        return townships, list(self._places), self._all_phrases

    def saved_pinyin(self) -> tuple[dict, dict, dict, dict]:
        """The pinyin phrases as plain data (made now if not yet): what ``pinyin`` of
        `restored` gives back."""
        pinyin = self._pinyin_phrases()
        return pinyin._bare, pinyin._places, pinyin._suffix_of, self._township_keys

    @classmethod
    def restored(
        cls,
        saved: tuple[list[tuple], list[tuple[str, str]], dict[str, NameHit]],
        pinyin: Callable[[], tuple[dict, dict, dict, dict] | None] | None = None,
        rules: Rules | None = None,
    ) -> NameIndex:
        """The index `saved` was taken from, without collecting the names again; its pinyin
        phrases from ``pinyin()`` when first needed (made afresh if that gives None)."""
        townships, places, phrases = saved
        index = cls.__new__(cls)
        index._rules = rules or load_rules()
        index.townships = {t[0]: Township._make(t) for t in townships}
        index._places = dict.fromkeys(map(tuple, places))
        index._all_phrases = phrases
        index._start_pinyin(pinyin)
        return index

    def _collect_townships(self, records: Iterable[ReportRow | Report]) -> dict[str, Township]:
        records = [r for r in records if r.township]
        normal = normalise_many(r.township for r in records)  # type: ignore[misc]
        ids: dict[str, list[str]] = defaultdict(list)
        for report in records:
            ids[normal[report.township]].append(report.id)  # type: ignore[index]
        suffixes = sorted((s.zh for s in self._rules.township_suffixes), key=len, reverse=True)
        found = {}
        for name, report_ids in sorted(ids.items()):
            stem, suffix = _strip_suffix(name, suffixes)
            found[name] = Township(name, stem, suffix, tuple(report_ids))
        return found

    def _add_places(self, report: ReportRow | Report, add: dict[str, set]) -> None:
        for field in PLACE_FIELDS:
            value = getattr(report, field)
            if not value or (field, value) in self._places:
                continue
            pair = (field, value)
            self._places[pair] = None
            add[normalise(value)].add(pair)
            short = place_short_form(value, self._rules)
            if short:
                add[normalise(short)].add(pair)

    def warm(self) -> None:
        """Make the pinyin phrases now (they are otherwise made on first use)."""
        self._pinyin_phrases()

    def _pinyin_phrases(self) -> PinyinNames:
        with self._pinyin_lock:
            if self._pinyin is None:
                found = self._saved_pinyin() if self._saved_pinyin is not None else None
                if found is None:
                    self._pinyin = self._make_pinyin()
                else:
                    bare, places, suffix_of, self._township_keys = found
                    self._pinyin = PinyinNames(bare, places, suffix_of, self._rules)
            return self._pinyin

    def _make_pinyin(self) -> PinyinNames:
        bare: dict[str, list[str]] = defaultdict(list)
        keys: dict[str, set[str]] = defaultdict(set)
        suffixes = {s.zh: s for s in self._rules.township_suffixes}
        for township in self.townships.values():
            suffix = suffixes.get(township.suffix)
            for key in pinyin_keys(township.stem):
                bare[key].append(township.name)
                keys[key].add(township.name)
                if suffix is not None:
                    keys[key + suffix.pinyin].add(township.name)
        self._township_keys = {key: tuple(sorted(names)) for key, names in keys.items()}
        places: dict[str, set[tuple[str, str]]] = defaultdict(set)
        for field, value in self._places:
            short = place_short_form(value, self._rules)
            for key in pinyin_keys(short) if short else ():
                places[key].add((field, value))
        suffix_of = {t.name: t.suffix for t in self.townships.values()}
        return PinyinNames(
            {key: tuple(sorted(set(names))) for key, names in bare.items()},
            {key: tuple(sorted(pairs)) for key, pairs in places.items()},
            suffix_of,
            self._rules,
        )

    def phrases(self) -> dict[str, NameHit]:
        """Every Chinese name phrase and what it names, for the question lexicon."""
        return dict(self._all_phrases)

    def pinyin_phrases(self) -> PinyinNames:
        """The pinyin names and what each phrase names (made on first use)."""
        return self._pinyin_phrases()

    def homophones(self, run: str) -> set[str]:
        """Townships whose pinyin equals some stretch of ``run`` followed by a suffix (typo)."""
        self._pinyin_phrases()
        found: set[str] = set()
        for size in range(3, min(len(run), 8) + 1):
            for start in range(len(run) - size + 1):
                for key in pinyin_keys(run[start : start + size]):
                    if key in self._township_keys and any(
                        key.endswith(s.pinyin) for s in self._rules.township_suffixes
                    ):
                        found.update(self._township_keys[key])
        return found

    def near_spellings(self, words: list[str]) -> set[str]:
        """Townships whose pinyin is within a small typo of one to three adjacent latin words."""
        self._pinyin_phrases()
        keys = list(self._township_keys)
        best: dict[str, float] = {}
        for start in range(len(words)):
            for end in range(start + 1, min(start + 3, len(words)) + 1):
                window = "".join(words[start:end])
                if len(window) < _MIN_FUZZY_LENGTH:
                    continue
                for key, score, _ in process.extract(
                    window, keys, scorer=fuzz.ratio, score_cutoff=_FUZZY_CUTOFF, limit=8
                ):
                    for name in self._township_keys[key]:
                        best[name] = max(best.get(name, 0.0), score)
        if not best:
            return set()
        top = max(best.values())
        return {name for name, score in best.items() if score >= top - 0.5}

    def lookup(self, query: str, limit: int = 10) -> list[str]:
        """Township names for a name typed alone: exact, stem, prefix, pinyin, then typo."""
        q = normalise(query).replace(" ", "")
        if not q:
            return []
        hit = self._all_phrases.get(q) or self._all_phrases.get(normalise(query))
        if not hit and _LATIN.search(q):
            pinyin = self._pinyin_phrases()
            hit = pinyin.get(q) or pinyin.get(normalise(query))
        if hit and hit[0] == "township":
            return list(hit[1])[:limit]
        prefixed = [
            t.name
            for t in self.townships.values()
            if t.name.startswith(q) or any(k.startswith(q) for k in pinyin_keys(t.stem))
        ]
        if prefixed:
            return sorted(prefixed)[:limit]
        found = self.homophones(q) or self.near_spellings(normalise(query).split())
        return sorted(found)[:limit]
