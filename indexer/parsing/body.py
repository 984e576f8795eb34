"""Find the township that issued a report from its text, and the fullest name written for it.

Real pages often lose their title with the page chrome. The text still names its body: in a
sentence ("现公布某某镇人民政府2023年…", "请与某某街道办事处联系", "2023年，某某乡坚持…"), a
metadata line (发布机构), a contact address, or the body's own document titles; and it says
"我镇 / 本乡" of itself. The gazetteer's township names are looked for in one multi-pattern
scan (Aho-Corasick); each name found is scored by how the text names it, and one name is
taken only when the text names it as its own body. Phrasings are rule data
(``rules/body.toml``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from typing import Any

import ahocorasick

from indexer.parsing.gazetteer import city_names, county_names, divisions, province_names
from indexer.parsing.identity import Line, township_of
from indexer.parsing.needle import Rx, compile_guarded
from indexer.rules import load_rules

__all__ = ["find_township", "fullest_form", "written_forms"]

_LOOK_BEHIND = 24  # characters before a mention that may say how the text names it


@cache
def _rules() -> dict[str, Any]:
    return load_rules("body")


@cache
def _rx(pattern: str) -> Rx:
    return compile_guarded(pattern)


@cache
def _automaton() -> ahocorasick.Automaton:
    """Every township name of the gazetteer with a township ending, ready to scan text."""
    suffixes = tuple(_rules()["suffixes"])
    automaton = ahocorasick.Automaton()
    for d in divisions(4):
        if d.name.endswith(suffixes) and d.name not in suffixes:  # the data has a bare "街道"
            automaton.add_word(d.name, d.name)
    automaton.make_automaton()
    return automaton


@cache
def _higher_names() -> frozenset[str]:
    """Province, city and county names, full and short, that may stand before a township."""
    return province_names() | city_names() | county_names()


@cache
def _higher_lengths() -> tuple[int, ...]:
    return tuple(sorted({len(n) for n in _higher_names()}, reverse=True))


@dataclass
class _Candidate:
    """One township name and how the text names it."""

    name: str
    first: Line
    mentions: int = 0
    naming: int = 0  # mentions in a naming position (a subject, a label, "请与…联系")
    bodied: int = 0  # mentions followed by a body or an office of it
    lines: list[Line] = field(default_factory=list)

    def score(self, referred: set[str]) -> int:
        own = 3 if any(self.name.endswith(s) for s in referred) else 0
        return self.mentions + 2 * self.naming + 2 * self.bodied + own

    def named(self, referred: set[str]) -> bool:
        return bool(self.naming or self.bodied or any(self.name.endswith(s) for s in referred))


def _higher_at_end(text: str) -> str | None:
    """The longest province, city or county name that ends ``text``, if one does."""
    names = _higher_names()
    return next((text[-n:] for n in _higher_lengths() if text[-n:] in names), None)


def _mentions(text: str) -> Iterable[tuple[str, int]]:
    """Township names in ``text``: the gazetteer's (leftmost-longest) and unknown ones."""
    seen: set[int] = set()
    for end, name in _automaton().iter_long(text):
        start = end - len(name) + 1
        seen.add(start)
        yield name, start
    for match in _rx(_rules()["unknown_name"]).finditer(text):
        name = township_of(_after_boundary(match.group("name")))
        start = match.end("name") - len(name) if name else -1
        if name and start not in seen:
            yield name, start


def _after_boundary(text: str) -> str:
    """The part of a run of characters after its last non-name word (a year, a verb)."""
    words = _rules()["name_openers"]
    cuts = [text.rindex(w) + len(w) for w in words if w in text]
    return text[max(cuts) :] if cuts else text


def _collect(lines: list[Line]) -> dict[str, _Candidate]:
    rules = _rules()
    candidates: dict[str, _Candidate] = {}
    for line in lines:
        text = line[1]
        for name, start in _mentions(text):
            after = text[start + len(name) :]
            before = text[max(0, start - _LOOK_BEHIND) : start]
            bodied = any(_rx(rules[key]).match(after) for key in ("bodies", "owned_after"))
            if len(name) <= rules["short_name_length"] and not (bodied or _higher_at_end(before)):
                continue
            candidate = candidates.setdefault(name, _Candidate(name, line))
            candidate.mentions += 1
            candidate.naming += bool(_rx(rules["naming_before"]).search(before))
            candidate.bodied += bodied
    return candidates


def _referred(lines: list[Line]) -> set[str]:
    """The township endings the text uses of itself ("我镇" → 镇)."""
    pattern = _rx(_rules()["self_reference"])
    return {m.group(1) for _, text in lines for m in pattern.finditer(text)}


def find_township(lines: list[Line]) -> tuple[str, Line] | None:
    """The township the text names as its own body, and the first line naming it.

    ``None`` when no township is named so, or two are named equally strongly."""
    candidates = _collect(lines)
    referred = _referred(lines)
    named = [c for c in candidates.values() if c.named(referred)]
    if not named:
        return None
    scores = sorted((c.score(referred) for c in named), reverse=True)
    best = max(named, key=lambda c: c.score(referred))
    if scores[0] < _rules()["min_score"] or (len(scores) > 1 and scores[1] == scores[0]):
        return None
    return best.name, best.first


def written_forms(township: str, lines: list[Line]) -> list[tuple[str, bool, Line]]:
    """Each name written for ``township``: the places before it, a body after it.

    Returns ``(form, has_body, line)``; "南通市通州区" + "某某街道" + "办事处" as written."""
    rules = _rules()
    out = []
    for line in lines:
        text = line[1]
        start = text.find(township)
        while start != -1:
            head = _places_before(text[:start])
            body = _rx(rules["bodies"]).match(text[start + len(township) :])
            form = head + township + (body.group(0) if body else "")
            out.append((form, bool(body), line))
            start = text.find(township, start + 1)
    return out


def _places_before(before: str) -> str:
    """The run of province, city and county names (joined directly or by 人民政府) that ends
    ``before``: the higher levels written as part of the body's name."""
    joiner = _rules()["place_joiner"]
    head = ""
    while True:
        rest = before[: -len(joiner)] if before.endswith(joiner) else before
        taken = _higher_at_end(rest)
        if taken is None:
            return head
        head = before[len(rest) - len(taken) :] + head
        before = rest[: -len(taken)]


def fullest_form(
    township: str, lines: list[Line], current: str, titled: bool = False
) -> tuple[str, Line | None]:
    """The fullest name the text writes for the body of ``township``, read so far as ``current``.

    ``current`` stands when it is written (or ``titled``: put together from a title line) and
    no longer name ending with it is written ("某某市" + "某某街道办事处"); a bare township's
    name gives way to a body's name. A name not written as such (a title's place joined to a
    body written elsewhere) gives way to the fullest written one: a body's name first, then
    the longest; the line it is written on is returned with it (``None``: ``current`` stands).
    """
    forms = written_forms(township, lines)
    has_body = _rank(current)[0]
    if titled or any(current in text for _, text in lines):
        better = [f for f in forms if f[0].endswith(current) and len(f[0]) > len(current)]
        if not has_body:
            better += [f for f in forms if f[1]]
    else:
        better = forms
    if not better:
        return current, None
    form, _, line = max(better, key=lambda f: (f[1], len(f[0])))
    return form, line


def _rank(name: str) -> tuple[bool, int]:
    rules = _rules()
    suffixes = tuple(rules["suffixes"])
    has_body = not name.endswith(suffixes)
    return has_body, len(name)
