"""Who issued a report: its title, the issuing body (agency) and the township alone.

Every phrasing is rule data (``rules/narrative.toml``, tables ``title``, ``agency`` and
``township``); this module only applies it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache
from typing import Any

from indexer.parsing.gazetteer import county_names, lookup
from indexer.parsing.needle import Rx, compile_guarded
from indexer.rules import load_rules

__all__ = ["Line", "agency_for_place", "agency_in_title", "find_title", "fullest_agency"]
__all__ += ["inline_title", "signed_agency", "township_of"]

Line = tuple[int, str]  # (1-based line number, normalised line)


@cache
def _rules() -> dict[str, Any]:
    return load_rules("narrative")


@cache
def _rx(pattern: str) -> Rx:
    return compile_guarded(pattern)


# --- title -------------------------------------------------------------------------------


def _has_title_words(text: str) -> bool:
    return any(w in text for w in _rules()["title"]["words"])


def _is_title(text: str) -> bool:
    rules = _rules()["title"]
    return (
        len(text) <= rules["max_length"]
        and _has_title_words(text)
        and not _rx(rules["skip"]).match(text)
        and not _rx(rules["sentence"]).search(_title_cell(text))
    )


def _title_cell(text: str) -> str:
    """The cell holding the title words of a line drawn as table cells ("标题 | …报告 | |")."""
    if "|" not in text:
        return text
    cells = [cell.strip() for cell in text.split("|")]
    return next((cell for cell in cells if _has_title_words(cell)), text)


def _is_lead(text: str) -> bool:
    """A short line that may begin a title written over two or three lines."""
    rules = _rules()["title"]
    return (
        len(text) <= rules["max_lead_length"]
        and not _rx(rules["lead_forbidden"]).search(text)
        and not _rx(rules["skip"]).match(text)
        and not _has_title_words(text)
        and bool(_rx(rules["lead_required"]).search(text))
    )


def _title_at(lines: list[Line], start: int) -> tuple[str, Line] | None:
    """The title that begins at ``lines[start]``: that line alone or joined to the next ones."""
    max_lines = _rules()["title"]["max_lines"]
    joined = ""
    window = lines[start : start + max_lines]
    for index, line in enumerate(window):
        text = line[1].strip().replace("\t", "")
        if joined and (joined in text or (_dated(joined) and _dated(text))):
            return None  # the line repeats its lead, or both name a year: not one title
        joined += text
        if _is_title(joined):
            return joined, line
        following = window[index + 1][1].strip() if index + 1 < len(window) else ""
        if not (_is_lead(text) or _cut_word(joined, following)):
            return None
    return None


def _cut_word(text: str, following: str) -> bool:
    """Whether a line break between ``text`` and ``following`` cuts a body's or a title's word
    in two ("…大河家镇人民政" / "府2023年…"): the lines are one title wrapped at the page width."""
    words = [*_rules()["agency"]["bodies"], *_rules()["title"]["words"]]
    joined = text + following
    for word in words:
        for cut in range(1, len(word)):
            if text.endswith(word[:cut]) and following.startswith(word[cut:]):
                return len(joined) <= _rules()["title"]["max_length"]
    return False


def _dated(text: str) -> bool:
    return bool(_rx(_rules()["title"]["year"]).search(text))


def _clean_title(text: str) -> str:
    rules = _rules()["title"]
    text = _title_cell(text)
    text = _rx(rules["trailing_noise"]).sub("", text)
    text = _rx(rules["trailing_marks"]).sub("", text)
    return _rx(rules["lead_noise"]).sub("", text)


def find_title(preamble: list[Line]) -> tuple[str, Line] | None:
    """The report's title and the line it ends on: the first title-like text, dated first."""
    nonempty = [line for line in preamble if line[1].strip()]
    found = [hit for i in range(len(nonempty)) if (hit := _title_at(nonempty, i))]
    if not found:
        return None
    dated = [hit for hit in found if _dated(hit[0])]
    text, line = (dated or found)[0]
    return _clean_title(text), line


def inline_title(lines: list[Line]) -> tuple[str, Line] | None:
    """A title written inside the opening sentence ("现公布某某镇人民政府2023年政府信息公开
    工作年度报告"), for a page whose title line was lost with its chrome."""
    pattern = _rx(_rules()["title"]["inline"])
    for line in lines:
        match = pattern.search(line[1])
        if match:
            return match.group("title"), line
    return None


# --- agency ------------------------------------------------------------------------------


def agency_in_title(title: str) -> tuple[str | None, str | None]:
    """Return (agency, place) named by a title: the body if written, else the bare place."""
    rules = _rules()["agency"]
    core = _rx(rules["year"]).sub("", title)
    for pattern in rules["drop"]:
        core = _rx(pattern).sub("", core)
    words = _rx(rules["title_words"]).search(core)
    limit = words.start() if words else len(core)
    hits = [
        (m.end(), len(body))
        for body in rules["bodies"]
        for m in re.finditer(re.escape(body), core)
        if m.start() < limit
    ]
    if hits:
        end, _ = max(hits)
        extension = next((e for e in rules["extensions"] if core.startswith(e, end)), "")
        return core[: end + len(extension)], None
    place = _rx(rules["title_tail"]).sub("", core).strip()
    return None, None if _rx(rules["generic_place"]).match(place) else place


def agency_for_place(place: str, lines: list[Line]) -> tuple[str, Line] | None:
    """The fullest ``<place><body>`` written in the text (东沟乡人民政府 before 东沟乡政府);
    a title's "某某区某某街道" also finds "某某街道办事处" and keeps the title's fuller place."""
    short = township_of(place)
    guards = _rules()["agency"]["body_not_before"]
    for name in dict.fromkeys(n for n in (place, short) if n):
        for body in _rules()["agency"]["place_bodies"]:
            guard = _rx(guards.get(body, "(?!)"))
            for line in lines:
                for match in re.finditer(re.escape(name + body), line[1]):
                    if not guard.match(line[1], match.end()):
                        return place + body, line
    return None


def signed_agency(lines: list[Line]) -> tuple[str, Line] | None:
    """The first line that is nothing but a body's name (a signature: "某某镇人民政府")."""
    pattern = _rx(_rules()["agency"]["signature"])
    for line in lines:
        match = pattern.match(line[1].strip())
        if match:
            return match.group("name"), line
    return None


def fullest_agency(agency: str, names: Iterable[str | None], text: str) -> str:
    """Extend ``agency`` by the place names written just before it in ``text`` (长春市 + …).

    An agency put together from a title's place and a body written elsewhere ("积石山县大河家镇"
    + "…大河家镇人民政府") and written nowhere as a whole gives way to the township's body as
    the text writes it, extended the same way, when that is fuller."""
    known = sorted({n for n in names if n}, key=len, reverse=True)
    best = _extended(agency, known, text)
    township = township_of(agency)
    if township and agency not in text and not agency.startswith(township):
        written = _extended(agency[agency.rindex(township) :], known, text)
        if len(written) > len(best):
            best = written
    return best


def _extended(agency: str, known: list[str], text: str) -> str:
    """The longest ``<known names…><agency>`` written in ``text``; ``agency`` if none is."""
    best = agency
    start = text.find(agency)
    while start != -1:
        before, extended = text[:start], agency
        grown = True
        while grown:
            grown = False
            for name in known:
                if before.endswith(name) and not extended.startswith(name):
                    before, extended, grown = before[: -len(name)], name + extended, True
                    break
        if len(extended) > len(best):
            best = extended
        start = text.find(agency, start + 1)
    return best


# --- township ----------------------------------------------------------------------------


def _strip_body(name: str) -> tuple[str, str | None]:
    """Remove an office (办公室) and then a body (人民政府) from the end of a name."""
    rules = _rules()["township"]
    for extension in _rules()["agency"]["extensions"]:
        if name.endswith(extension):
            name = name[: -len(extension)]
            break
    for body in rules["bodies"]:
        if name.endswith(body):
            return name[: -len(body)], body
    return name, None


def township_of(name: str | None) -> str | None:
    """The 乡/镇/街道 alone from an agency or place name; None for a non-township body."""
    if not name:
        return None
    rules = _rules()["township"]
    name, body = _strip_body(name)
    suffixes = [*rules["suffixes"], *rules["body_suffixes"].get(body or "", [])]
    suffix = next((s for s in suffixes if name.endswith(s)), None)
    if suffix is None:
        return None
    minimum = rules["min_name_chars"] + len(suffix)
    cuts = [m.end() for b in rules["boundaries"] for m in re.finditer(re.escape(b), name)]
    for cut in sorted(set(cuts), reverse=True):
        if len(name) - cut >= minimum or _known_after_county(name[:cut], name[cut:], suffix):
            return name[cut:]
    return name if len(name) >= minimum else None


def _known_after_county(before: str, rest: str, suffix: str) -> bool:
    """A one-character township (夏镇) after a county's name ("某某县夏镇"): the gazetteer
    knows it as a township of that county, so the county's name is not part of it."""
    length = _longest_county(before)
    if len(rest) <= len(suffix) or not length:
        return False
    counties = {d.code for d in lookup(before[-length:])}
    return any(d.level == 4 and d.code[:6] in counties for d in lookup(rest))


def _longest_county(before: str) -> int:
    """The length of the longest county-level name ending ``before`` (0 when none does)."""
    names = county_names()
    return next((n for n in range(min(len(before), 16), 1, -1) if before[-n:] in names), 0)
