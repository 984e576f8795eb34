"""Question → `Question`: what is asked (intent), about what, and where.

The question is normalised (NFKC, Traditional → Simplified, lower case), then read left to
right against one lexicon built from the rule data (metrics, comparisons, superlatives,
totals, contact fields, negations, filler words) and from the names in the records
(townships, provinces, cities, counties). What the lexicon does not cover is left over:
numbers become years or comparison bounds, latin words and Chinese runs may still name a
township with a typo, and anything else substantive makes the question a keyword search.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass, field
from typing import Any

from search.errors import QueryError
from search.intent import blank, intent, overview_asked
from search.names import NameIndex, PinyinNames
from search.numbers import bind_ranges, is_year, nearest
from search.rules import Kind, Metric, Overview, Rules, load_rules
from search.sounds import SoundAlikes
from search.text import has_cjk, normalise, simplify

MAX_QUESTION_LENGTH = 500
_OPERATORS = frozenset({"and", "or", "not", "andnot", "andmaybe", "to"})
_WORD_CHAR = re.compile(r"[^\W_]")
_LATIN = re.compile(r"[a-z0-9]")
_LETTERS = re.compile(r"[a-z]")  # a question that may name a place in pinyin
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
_GAP_TOKEN = re.compile(
    r"(?P<num>\d+(?:\.\d+)?)|(?P<cnum>[零〇一二两三四五六七八九十百]+)|(?P<latin>[a-z]+)"
    r"|(?P<cjk>[\u3400-\u9fff]+)"
)
_END_MARKS = "?？!！。.,，、;；:： "
_QUOTES = "\"'“”‘’「」『』《》"
_CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4}
_CN_DIGITS |= {"五": 5, "六": 6, "七": 7, "八": 8, "九": 9}


@dataclass(frozen=True)
class Question:
    """A question, understood."""

    asked: str
    kind: str  # keyword | contact | filter | rank | count | unknown
    lang: str  # zh | en: the language to answer in
    metric: Metric | None = None
    year: int | None = None
    places: tuple[tuple[tuple[str, str], ...], ...] = ()  # each mention: its (field, value)s
    townships: tuple[str, ...] = ()
    contact_field: str | None = None
    contact_fields: tuple[str, ...] = ()  # every specific field asked, in order (邮编和电话)
    comparison: tuple[str, float] | None = None
    negated: bool = False
    superlative: str | None = None  # max | min
    count_units: bool = False
    words: str = ""  # the text for a keyword search
    between: tuple[float, float] | None = None  # a range of the metric, both ends included
    kinds: tuple[Kind, ...] = ()  # kinds of township asked for (街道, 镇, 乡)
    latest: bool = False  # the newest year in scope
    overview: Overview | None = None  # several figures side by side
    each: bool = False  # every township's figure, zeros and blanks included
    blank: bool = False  # the reports that give no figure for the metric
    years: tuple[int, ...] = ()  # two or more years named (a span counts each of its years)
    series: bool = False  # every year in scope, side by side (历年, over the years)
    change: str | None = None  # rise | fall: a change between two years, ranked
    coverage: bool = False  # which townships have (no) report: n / N per county
    timeliness: str | None = None  # late | on_time: published after (by) the due date
    zeros: bool = False  # list a ranking's zeros too


@dataclass
class _Reading:
    """What the lexicon pass found, before the intent is decided."""

    found: dict[str, list[Any]] = field(default_factory=dict)
    numbers: list[tuple[float, int, int]] = field(default_factory=list)  # value, start, end
    spans: list[tuple[str, Any, int, int]] = field(default_factory=list)
    latin: list[str] = field(default_factory=list)
    cjk: list[tuple[str, int, int]] = field(default_factory=list)  # run, start, end
    residual: bool = False
    text: str = ""

    def add(self, kind: str, payload: Any) -> None:
        self.found.setdefault(kind, []).append(payload)


def check_question(question: object) -> str:
    """The question stripped of control characters; `QueryError` when it cannot be asked."""
    if not isinstance(question, str):
        raise QueryError("请输入问题或关键词。Please type a question or some words to search for.")
    text = _CONTROL.sub(" ", question).strip()
    if not text:
        raise QueryError("请输入问题或关键词。Please type a question or some words to search for.")
    if len(text) > MAX_QUESTION_LENGTH:
        raise QueryError(
            f"问题太长（最多 {MAX_QUESTION_LENGTH} 个字符）。"
            f"The question is too long: at most {MAX_QUESTION_LENGTH} characters."
        )
    words = [w for w in re.split(r"[\W_]+", normalise(text)) if w]
    if not words or all(w in _OPERATORS for w in words):
        raise QueryError(
            "问题里没有可以查找的文字（只有标点、表情或检索运算符）。"
            "There is nothing to search for: only punctuation, emoji or search operators."
        )
    return text


def chinese_number(text: str) -> int | None:
    """The value of a small Chinese numeral (三, 十, 二十五, 一百); ``None`` if not one."""
    if not text or any(ch not in _CN_DIGITS and ch not in "十百" for ch in text):
        return None
    total, digit = 0, 0
    for ch in text:
        if ch in _CN_DIGITS:
            digit = _CN_DIGITS[ch]
        else:
            total += (digit or 1) * (10 if ch == "十" else 100)
            digit = 0
    return total + digit


class Understander:
    """Reads questions against the rule data and the names of one set of records."""

    def __init__(self, names: NameIndex, rules: Rules | None = None) -> None:
        """Build the lexicon from ``rules`` and ``names``."""
        self.rules = rules or load_rules()
        self.names = names
        self._lexicon = self._build_lexicon()
        self._longest = max(map(len, self._lexicon), default=0)
        self._pinyin: PinyinNames | None = None  # made when a question has latin letters
        self._sounds_made: SoundAlikes | None = None
        self._lock = threading.Lock()

    def warm(self) -> None:
        """Make now what is otherwise made on first use: pinyin names, words by sound."""
        self._with_pinyin()
        self._sounds()

    def _with_pinyin(self) -> PinyinNames:
        """The pinyin names (made once)."""
        with self._lock:
            if self._pinyin is None:
                self._pinyin = self.names.pinyin_phrases()
            return self._pinyin

    def _known(self, phrase: str, pinyin: PinyinNames | None) -> bool:
        return phrase in self._lexicon or (
            pinyin is not None and phrase.isascii() and phrase in pinyin
        )

    def _entry(self, phrase: str) -> tuple[str, Any]:
        """What a phrase found by `_spans` is: a pinyin name wins over a rule word, as a
        Chinese name does (only a phrase with latin letters can be a pinyin name)."""
        if self._pinyin is not None and _LETTERS.search(phrase):
            hit = self._pinyin.get(phrase)
            if hit is not None:
                return hit
        return self._lexicon[phrase]

    def _sounds(self) -> SoundAlikes:
        with self._lock:
            if self._sounds_made is None:
                self._sounds_made = SoundAlikes(
                    w for w, (kind, _) in self._lexicon.items() if kind in ("contact", "metric")
                )
            return self._sounds_made

    def _build_lexicon(self) -> dict[str, tuple[str, Any]]:
        r = self.rules
        entries: list[tuple[str, Any, tuple[str, ...]]] = [
            ("filler", None, r.report_words + r.filler + r.place_en),
            *(("kind", k, k.words) for k in r.kinds),
            ("series", None, r.series),
            *(("change", direction, words) for direction, words in r.changes),
            *(("timeliness", which, words) for which, words in r.timeliness),
            ("coverage", None, r.coverage),
            ("zeros", None, r.zeros),
            ("listing", None, r.listing),
            ("asking", None, r.asking),
            ("latest", None, r.latest),
            *(("overview", o, o.words) for o in r.overviews),
            ("each", None, r.each),
            ("blank", None, r.blank),
            ("search", None, r.search),
            ("figure", None, r.figure),
            ("range", None, r.ranges),
            ("help", None, r.help),
            ("negation", None, r.negation),
            *(("contact", name, words) for name, words in r.contact),
            ("total", None, r.total),
            ("count_units", None, r.count_units),
            ("superlative", "min", r.superlative_min),
            ("superlative", "max", r.superlative_max),
            *(("comparison", c, c.words) for c in r.comparisons),
            *(("metric", m, m.words) for m in reversed(r.metrics)),
            *(("metric_none", m, m.none_words) for m in r.metrics),
        ]
        lexicon: dict[str, tuple[str, Any]] = {}
        for kind, payload, words in entries:  # later entries win a shared phrase
            for word in words:
                lexicon[normalise(word)] = (kind, payload)
        for phrase, hit in self.names.phrases().items():
            lexicon[phrase] = hit
        return lexicon

    def understand(self, question: str) -> Question:
        """Read one question (already checked with `check_question`)."""
        asked = check_question(question)
        text = normalise(asked)
        reading = self._read(text)
        self._place_numbers(reading)
        self._fuzzy_townships(reading)
        return self._decide(asked, text, reading)

    def respelled(self, question: str) -> str | None:
        """The question with words typed by sound put right (邮遍 → 邮编); None if none are."""
        text = normalise(check_question(question))
        known = [text[start:end] for start, end in self._spans(text)]
        again = self._sounds().respell(text, known)
        return again if again != text else None

    def _spans(self, text: str) -> list[tuple[int, int]]:
        """Lexicon phrases in ``text``, longest first, none overlapping, in text order."""
        pinyin, longest = None, self._longest
        if _LETTERS.search(text):
            pinyin = self._with_pinyin()
            longest = max(longest, pinyin.longest)
        found = []
        for start in range(len(text)):
            for end in range(min(len(text), start + longest), start, -1):
                if self._known(text[start:end], pinyin) and _bounded(text, start, end):
                    found.append((start, end))
        taken: list[tuple[int, int]] = []
        for start, end in sorted(found, key=lambda se: (se[0] - se[1], se[0])):
            if all(end <= s or start >= e for s, e in taken):
                taken.append((start, end))
        return sorted(taken)

    def _read(self, text: str) -> _Reading:
        reading = _Reading(text=text)
        at = 0
        for start, end in self._spans(text):
            self._read_gap(reading, text, at, start)
            kind, payload = self._entry(text[start:end])
            if kind == "metric_none":  # "数据没问题": the metric, negated
                reading.add("negation", True)
                kind = "metric"
            reading.spans.append((kind, payload, start, end))
            if kind not in ("filler", "comparison", "range"):
                reading.add(kind, payload)
            at = end
        self._read_gap(reading, text, at, len(text))
        return reading

    def _read_gap(self, reading: _Reading, text: str, start: int, end: int) -> None:
        for token in _GAP_TOKEN.finditer(text, start, end):
            if token.group("num"):
                reading.numbers.append((float(token.group("num")), token.start(), token.end()))
            elif token.group("cnum"):
                value = chinese_number(token.group("cnum"))
                reading.numbers.append((float(value or 0), token.start(), token.end()))
            elif token.group("latin"):
                reading.latin.append(token.group("latin"))
                reading.residual = True
            else:
                reading.cjk.append((token.group("cjk"), token.start(), token.end()))
                reading.residual = True

    def _place_numbers(self, reading: _Reading) -> None:
        """Bind numbers to the range or comparison next to them; take the rest as years."""
        used: set[int] = set()
        low, high = self.rules.year_range
        bind_ranges(reading, used, (low, high), years_only=True)  # 2021到2023年
        if reading.found.get("metric"):
            bind_ranges(reading, used)
        for kind, payload, start, end in reading.spans:
            if kind != "comparison":
                continue
            number = nearest(reading, payload, start, end, used)
            if number is not None:
                reading.add("comparison", (payload.op, number[0]))
                used.add(number[1])
        for value, start, _ in reading.numbers:
            if start in used:
                continue
            if is_year(value, (low, high)):
                reading.add("year", int(value))
            else:
                reading.residual = True

    def _fuzzy_townships(self, reading: _Reading) -> None:
        if "township" in reading.found:
            return
        found: set[str] = set()
        for run, _, end in reading.cjk:
            # A kind word right after the run may be the suffix of a mistyped name (长升乡).
            suffix = [p for k, p, s, _ in reading.spans if k == "kind" and s == end]
            typed = run + reading.text[end : end + 1] if suffix else run
            matched = self.names.homophones(typed)
            if matched and suffix and suffix[0] in reading.found.get("kind", []):
                reading.found["kind"].remove(suffix[0])
            found |= matched
        if reading.latin:
            found |= self.names.near_spellings(reading.latin)
        if found:
            reading.add("township", tuple(sorted(found)))
            reading.residual = False

    def _decide(self, asked: str, text: str, reading: _Reading) -> Question:
        f = reading.found
        townships = tuple(dict.fromkeys(n for hit in f.get("township", []) for n in hit))
        metric = _pick_metric(reading)
        comparison = f.get("comparison", [None])[0]
        years = sorted(set(f.get("year", [])))
        fields = dict(
            asked=asked,
            lang="zh" if has_cjk(text) else "en",
            metric=metric,
            year=years[0] if len(years) == 1 else None,
            years=tuple(years) if len(years) > 1 else (),
            places=tuple(f.get("place", [])),
            townships=townships,
            contact_field=_pick_contact(f.get("contact", [])),
            contact_fields=tuple(dict.fromkeys(c for c in f.get("contact", []) if c != "all")),
            comparison=comparison,
            negated=bool(f.get("negation")) and not blank(f),
            blank=blank(f),
            superlative=f.get("superlative", [None])[-1],
            count_units=bool(f.get("count_units")),
            between=f.get("range", [None])[0],
            kinds=tuple(dict.fromkeys(f.get("kind", []))),
            latest=bool(f.get("latest")),
            overview=f.get("overview", [None])[0],
            each=bool(f.get("each")),
            series=bool(f.get("series")),
            change=f.get("change", [None])[0],
            coverage=bool(f.get("coverage")) or self._no_report(reading, metric),
            timeliness=f.get("timeliness", [None])[0],
            zeros=bool(f.get("zeros")),
        )
        kind = intent(fields, f, reading.residual)
        if kind == "filter" and overview_asked(fields):
            fields["metric"] = None  # an absorbed metric word only names what is shown
        else:
            fields["overview"] = None
        words = ""
        if kind == "keyword":
            words = _search_text(reading) if f.get("search") else _keyword_text(asked)
        return Question(kind=kind, words=words, **fields)

    def _no_report(self, reading: _Reading, metric: Metric | None) -> bool:
        """Whether the question asks which townships have no report: a negation and a
        report word, and nothing else a report could lack (a figure, a contact field)."""
        f = reading.found
        if not f.get("negation") or metric or f.get("contact") or blank(f):
            return False
        words = self.rules.report_words
        return any(reading.text[s:e] in words for _, _, s, e in reading.spans)


def _bounded(text: str, start: int, end: int) -> bool:
    """A phrase with latin letters or digits at an edge must not run into more of them."""
    if _LATIN.match(text[start]) and start > 0 and _LATIN.match(text[start - 1]):
        return False
    return not (_LATIN.match(text[end - 1]) and end < len(text) and _LATIN.match(text[end]))


def _pick_metric(reading: _Reading) -> Metric | None:
    metrics = [(payload, e - s) for k, payload, s, e in reading.spans if k == "metric"]
    if not metrics:
        return None
    return max(metrics, key=lambda m: m[1])[0]


def _pick_contact(fields: list[str]) -> str | None:
    specific = [f for f in fields if f != "all"]
    return specific[0] if specific else ("all" if fields else None)


_NOT_SEARCHED = frozenset({"search", "filler", "listing", "asking", "each", "help"})


def _search_text(reading: _Reading) -> str:
    """The question without its search, filler and listing words: what to search for."""
    kept, at = [], 0
    for kind, _, start, end in reading.spans:
        if kind in _NOT_SEARCHED:
            kept.append(reading.text[at:start])
            at = end
    kept.append(reading.text[at:])
    pieces = [p.strip(_END_MARKS + _QUOTES) for p in kept]
    return " ".join(p for p in pieces if p.strip()) or reading.text


def _keyword_text(asked: str) -> str:
    """The question as keyword text: Simplified, half-width, end punctuation dropped."""
    text = simplify(asked).strip(_END_MARKS)
    return text.strip(_QUOTES).strip(_END_MARKS) or simplify(asked)
