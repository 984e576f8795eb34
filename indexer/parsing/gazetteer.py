"""Administrative divisions of China: complete a report's county, city and province.

The data (``indexer/data/divisions.tsv.gz``, built by ``scripts/build_gazetteer.py``) holds
every province, prefecture, county and township with its statistical division code; a
code's prefixes are its parents (``230503200`` 长胜乡 → ``230503`` 岭东区 → ``2305`` 双鸭山市
→ ``23`` 黑龙江省). It is read once, on first use.

`locate` finds the division names in a text (longest first, left to right), lets each
name vote for the places it can mean, and keeps the most specific place the names agree
on. It only completes upwards and never overrides a name the text states; where the names
leave a level open it returns ``None`` for that level and says why in ``evidence``.
"""

from __future__ import annotations

import gzip
import re
from collections.abc import Iterable
from dataclasses import dataclass
from fractions import Fraction
from functools import cache
from importlib.resources import files

__all__ = [
    "Division",
    "Place",
    "city_names",
    "county_names",
    "division",
    "divisions",
    "locate",
    "lookup",
    "province_names",
]

DATA_FILE = "divisions.tsv.gz"
# Code length → level: 1 province, 2 prefecture (or municipality), 3 county, 4 township.
LEVEL_OF_CODE_LENGTH = {2: 1, 4: 2, 6: 3, 9: 4}
LEVEL_LABELS = {1: "province", 2: "city", 3: "county", 4: "township"}
# A township-level name proposes a place only with one of these endings; others
# (农场, 开发区, 林场 …) read too much like ordinary words and only confirm.
TOWNSHIP_SUFFIXES = ("镇", "乡", "街道", "苏木", "办事处")
_COUNTY_CODE_LENGTH = 6  # division codes: 2 province, 4 city, 6 county, 9 township
# Shorter names (东区, 城区, 和县 …) occur inside ordinary text; they only confirm.
MIN_PROPOSING_LENGTH = 3
_SPACES = re.compile(r"[^\S\n]+")


@dataclass(frozen=True)
class Place:
    """Where a report comes from; ``None`` for each level the text leaves uncertain."""

    province: str | None
    city: str | None  # prefecture-level; for 直辖市 the municipality itself
    county: str | None  # county-level: 县/区/县级市/自治县/旗…
    code: str | None  # the most specific division code found
    evidence: str  # which names in the text decided it


@dataclass(frozen=True)
class Division:
    """One administrative division of the dataset."""

    code: str
    name: str
    level: int  # 1 province, 2 city, 3 county, 4 township
    short_names: tuple[str, ...] = ()

    @property
    def parent_code(self) -> str | None:
        """Code of the division directly above (``None`` for a province)."""
        return {1: None, 2: self.code[:2], 3: self.code[:4], 4: self.code[:6]}[self.level]


@dataclass(frozen=True)
class _Mention:
    """A division name found in the text, with every division it can mean."""

    surface: str
    start: int
    codes: tuple[str, ...]
    proposals: tuple[str, ...]  # the meanings it may put forward; the others only confirm

    @property
    def proposing(self) -> bool:
        return bool(self.proposals)

    @property
    def end(self) -> int:
        return self.start + len(self.surface)


@dataclass(frozen=True)
class _Gazetteer:
    by_code: dict[str, Division]
    by_name: dict[str, tuple[str, ...]]  # full or short name → codes
    full_names: frozenset[str]
    # the first two characters (the name itself when it is one character long) → the
    # lengths of the names that open with them, longest first
    lengths: dict[str, tuple[int, ...]]
    single: bool  # whether any name is one character long


@cache
def _gazetteer() -> _Gazetteer:
    """Load the data file once."""
    raw = (files("indexer") / "data" / DATA_FILE).read_bytes()
    by_code: dict[str, Division] = {}
    by_name: dict[str, list[str]] = {}
    full: set[str] = set()
    for line in gzip.decompress(raw).decode("utf-8").splitlines():
        if not line or line.startswith("#"):
            continue
        code, name, short = line.split("\t")
        shorts = tuple(s for s in short.split(",") if s)
        by_code[code] = Division(code, name, LEVEL_OF_CODE_LENGTH[len(code)], shorts)
        full.add(name)
        if len(code) == 4 and by_code[code[:2]].name == name:
            continue  # a municipality's city rows: the name means the municipality
        for surface in (name, *shorts):
            by_name.setdefault(surface, []).append(code)
    lengths: dict[str, set[int]] = {}
    for surface in by_name:
        lengths.setdefault(surface[:2], set()).add(len(surface))
    return _Gazetteer(
        by_code=by_code,
        by_name={k: tuple(v) for k, v in by_name.items()},
        full_names=frozenset(full),
        lengths={k: tuple(sorted(v, reverse=True)) for k, v in lengths.items()},
        single=any(len(surface) == 1 for surface in by_name),
    )


def division(code: str) -> Division | None:
    """The division with this code, if the dataset has it."""
    return _gazetteer().by_code.get(code)


def divisions(level: int | None = None) -> tuple[Division, ...]:
    """All divisions (of one level: 1 province … 4 township), in code order."""
    every = _gazetteer().by_code.values()
    return tuple(d for d in every if level is None or d.level == level)


def lookup(name: str) -> tuple[Division, ...]:
    """Every division a full or short name can mean (``黑龙江`` → 黑龙江省)."""
    g = _gazetteer()
    return tuple(g.by_code[c] for c in g.by_name.get(name.strip(), ()))


def _names_of_level(level: int) -> frozenset[str]:
    return frozenset(surface for d in divisions(level) for surface in (d.name, *d.short_names))


@cache
def province_names() -> frozenset[str]:
    """Province names, full and short (黑龙江省, 黑龙江, 广西壮族自治区, 广西)."""
    return _names_of_level(1)


@cache
def city_names() -> frozenset[str]:
    """Prefecture names, full and short (双鸭山市, 双鸭山); municipalities included."""
    return _names_of_level(2)


@cache
def county_names() -> frozenset[str]:
    """County-level names, full and the usual short form of autonomous counties (互助县)."""
    return _names_of_level(3)


def _proposals(g: _Gazetteer, surface: str, codes: Iterable[str]) -> tuple[str, ...]:
    """The meanings of a name that it may put forward on its own."""
    if len(surface) < MIN_PROPOSING_LENGTH:
        return ()
    return tuple(
        c
        for c in codes
        if g.by_code[c].name == surface and (len(c) < 9 or surface.endswith(TOWNSHIP_SUFFIXES))
    )


def _scan(g: _Gazetteer, text: str) -> list[_Mention]:
    """Division names in ``text``, leftmost-longest, not overlapping (东区 not in 岭东区)."""
    found: list[_Mention] = []
    i = 0
    while i < len(text):
        pair = text[i : i + 2]
        opens = g.lengths.get(pair, ())
        if g.single and len(pair) == 2 and text[i] in g.lengths:  # a name of one character
            opens = (*opens, 1)
        for n in opens:
            codes = g.by_name.get(text[i : i + n])
            if codes:
                surface = text[i : i + n]
                found.append(_Mention(surface, i, codes, _proposals(g, surface, codes)))
                i += n
                break
        else:
            i += 1
    return found


def _under(code: str, ancestors: Iterable[str]) -> bool:
    return any(code != a and code.startswith(a) for a in ancestors)


def _confirm_children(mentions: list[_Mention]) -> list[_Mention]:
    """A name directly after its parent means that parent's child (攀枝花市东区, 魏都区东城区).

    Right after any other name a short name stays a mere confirmation: in
    ``双鸭山市东区东矿路`` the 东区 is a street-address part (东区 is a district of 攀枝花市).
    """
    out: list[_Mention] = []
    for m in mentions:
        prev = out[-1] if out else None
        if prev is not None and prev.end == m.start:
            children = tuple(c for c in m.codes if _under(c, prev.codes))
            if children:
                m = _Mention(m.surface, m.start, children, children)
        out.append(m)
    return out


def _distinct(mentions: list[_Mention]) -> list[_Mention]:
    """One vote per meaning: 双鸭山市 and 双鸭山, said twice, vote once."""
    seen: dict[tuple[str, ...], _Mention] = {}
    for m in mentions:
        key = tuple(sorted(m.codes))
        if key not in seen or (m.proposing and not seen[key].proposing):
            seen[key] = m
    return list(seen.values())


def _score(place: str, mentions: list[_Mention]) -> Fraction:
    """Votes for ``place``: each name splits one vote among its meanings; a proposing
    name that can mean nothing on the place's line of parents and children counts against."""
    total = Fraction(0)
    for m in mentions:
        agree = [c for c in m.codes if place.startswith(c)]
        if agree:
            total += Fraction(len(agree), len(m.codes))
        elif m.proposing and not any(c.startswith(place) for c in m.codes):
            total -= 1
    return total


def _place_of(g: _Gazetteer, code: str, evidence: str) -> Place:
    """The place of a division code, parents completed from the code's prefixes."""

    def name(prefix_len: int) -> str | None:
        d = g.by_code.get(code[:prefix_len]) if len(code) >= prefix_len else None
        return d.name if d else None

    city = name(4)
    if len(code) == 2 and (first := g.by_code.get(code + "01")) and first.name == name(2):
        city = first.name  # a municipality is its own city
    return Place(province=name(2), city=city, county=name(6), code=code, evidence=evidence)


def _common(g: _Gazetteer, best: list[str], evidence: str) -> Place:
    """Keep only what every equally good reading agrees on."""
    places = [_place_of(g, c, "") for c in best]

    def agreed(attr: str) -> str | None:
        values = {getattr(p, attr) for p in places}
        return values.pop() if len(values) == 1 else None

    return Place(agreed("province"), agreed("city"), agreed("county"), None, evidence)


def _describe(g: _Gazetteer, code: str) -> str:
    p = _place_of(g, code, "")
    parts = [p.province, p.city, p.county, g.by_code[code].name]
    return "".join(dict.fromkeys(x for x in parts if x))


def _decided(g: _Gazetteer, code: str, mentions: list[_Mention]) -> Place:
    """The place of ``code``, with the names that agree with it (and those set aside)."""
    agree = [m.surface for m in mentions if any(code.startswith(c) for c in m.codes)]
    aside = [m.surface for m in mentions if m.surface not in agree]
    note = f"{'、'.join(dict.fromkeys(agree))} → {_describe(g, code)}"
    if aside:
        note += f" (set aside: {'、'.join(dict.fromkeys(aside))})"
    return _place_of(g, code, note)


def _county_backed(tied: list[str], mentions: list[_Mention]) -> list[str]:
    """Of equally voted readings, prefer those backed by a county-level or higher name.

    Township names repeat and change far more than county names: when 郸城县 and a 白集镇
    that the gazetteer knows only in the next county tie, the county the text writes wins.
    Readings backed at the same level (黑龙江省 against 南关区) stay tied.
    """

    def backed(place: str) -> bool:
        return any(
            len(c) <= _COUNTY_CODE_LENGTH and place.startswith(c) for m in mentions for c in m.codes
        )

    kept = [c for c in tied if backed(c)]
    return sorted(kept or tied)


def locate(text: str, township: str | None = None) -> Place:
    """Find the most specific consistent place named in ``text`` and complete its parents."""
    g = _gazetteer()
    flat = _SPACES.sub("", text)  # 集贤县 升昌镇; a line break still separates names
    mentions = _confirm_children(_scan(g, flat))
    hint = township.strip() if township else ""
    if hint in g.by_name:
        mentions.append(_Mention(hint, len(flat), g.by_name[hint], g.by_name[hint]))
    mentions = _distinct(mentions)
    candidates = {c for m in mentions for c in m.proposals}
    if not candidates:
        weak = "、".join(dict.fromkeys(m.surface for m in mentions))
        note = f"only names too short or too common to decide alone: {weak}" if weak else ""
        return Place(None, None, None, None, note or "no division named in the text")
    scores = {c: _score(c, mentions) for c in candidates}
    top = max(scores.values())
    best = _county_backed([c for c, s in scores.items() if s == top], mentions)
    deepest = max(best, key=len)
    if all(deepest.startswith(c) for c in best):
        return _decided(g, deepest, mentions)
    names = "、".join(dict.fromkeys(m.surface for m in mentions))
    readings = "; ".join(_describe(g, c) for c in best[:4])
    more = f" and {len(best) - 4} more" if len(best) > 4 else ""
    note = f"{names}: ambiguous ({readings}{more}); kept only the levels all agree on"
    return _common(g, best, note)
