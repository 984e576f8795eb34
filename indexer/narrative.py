"""Read what a report states in prose: title, agency, township, year, contact, counts.

Every phrasing is rule data (``rules/narrative.toml``). Each value found keeps the line it came
from (`Provenance`), so a wrong value can be traced to its source line.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from indexer.document import Section
from indexer.models import Contact, Provenance
from indexer.rules import load_rules

__all__ = [
    "Narrative",
    "fullest_agency",
    "normalise_phone",
    "read_narrative",
    "stated_applications",
    "title_year",
    "township_of",
]

Line = tuple[int, str]  # (1-based line number, normalised line)


@dataclass
class Narrative:
    """Values read from the prose of one report, with where each came from."""

    title: str | None = None
    agency: str | None = None
    township: str | None = None
    year: int | None = None
    title_year: int | None = None
    contact: Contact = field(default_factory=Contact)
    published_items: int | None = None
    applications_stated: int | None = None
    provenance: dict[str, Provenance] = field(default_factory=dict)

    def note(self, key: str, line: Line) -> None:
        """Record that ``key`` was read from ``line``."""
        self.provenance[key] = Provenance(line=line[0], text=line[1].strip())


@cache
def _rules() -> dict[str, Any]:
    return load_rules("narrative")


@cache
def _rx(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)


def _lines(sections: Mapping[str, Section], keys: Iterable[str]) -> list[Line]:
    """The numbered lines of the named sections, in the order of ``keys``."""
    out: list[Line] = []
    for key in keys:
        section = sections.get(key)
        if section is not None:
            out += [(section.start_line + i, text) for i, text in enumerate(section.lines)]
    return out


def _scoped(sections: Mapping[str, Section]) -> list[Line]:
    return _lines(sections, _rules()["scope"])


# --- title, agency, township -------------------------------------------------------------


def _is_title(text: str) -> bool:
    rules = _rules()["title"]
    return (
        len(text) <= rules["max_length"]
        and any(w in text for w in rules["words"])
        and not _rx(rules["skip"]).match(text)
    )


def _find_title(preamble: list[Line]) -> tuple[str, Line] | None:
    """The report's title: the first title-like preamble line, one naming a year first."""
    rules = _rules()["title"]
    nonempty = [line for line in preamble if line[1].strip()]
    found = [i for i, line in enumerate(nonempty) if _is_title(line[1].strip())]
    dated = [i for i in found if _rx(rules["year"]).search(nonempty[i][1])]
    if not found:
        return None
    index = (dated or found)[0]
    text = nonempty[index][1].strip().replace("\t", "")
    if index > 0:
        lead = nonempty[index - 1][1].strip()
        if (
            len(lead) <= rules["max_lead_length"]
            and not _rx(rules["lead_forbidden"]).search(lead)
            and not any(w in lead for w in rules["words"])
        ):
            text = lead + text
    return _rx(rules["lead_noise"]).sub("", text), nonempty[index]


def _agency_in_title(title: str) -> tuple[str | None, str | None]:
    """Return (agency, place) named by a title: the body if written, else the bare place."""
    rules = _rules()["agency"]
    core = _rx(rules["year"]).sub("", title)
    hits = [(core.find(body), -len(body), body) for body in rules["bodies"] if body in core]
    if hits:
        start, _, body = min(hits)
        return core[: start + len(body)], None
    place = _rx(rules["title_tail"]).sub("", core).strip()
    return None, place or None


def _agency_for_place(place: str, lines: list[Line]) -> tuple[str, Line] | None:
    """The first ``<place><body>`` written in the text (e.g. 东沟乡人民政府)."""
    bodies = "|".join(map(re.escape, _rules()["agency"]["place_bodies"]))
    pattern = _rx(re.escape(place) + f"(?:{bodies})")
    for line in lines:
        match = pattern.search(line[1])
        if match:
            return match.group(0), line
    return None


def township_of(name: str | None) -> str | None:
    """The 乡/镇/街道 alone from an agency or place name; None for a non-township body."""
    if not name:
        return None
    rules = _rules()["township"]
    for body in rules["bodies"]:
        if name.endswith(body):
            name = name[: -len(body)]
            break
    suffix = next((s for s in rules["suffixes"] if name.endswith(s)), None)
    if suffix is None:
        return None
    minimum = rules["min_name_chars"] + len(suffix)
    cuts = [m.end() for b in rules["boundaries"] for m in re.finditer(re.escape(b), name)]
    for cut in sorted(set(cuts), reverse=True):
        if len(name) - cut >= minimum:
            return name[cut:]
    return name if len(name) >= minimum else None


def fullest_agency(agency: str, names: Iterable[str | None], text: str) -> str:
    """Extend ``agency`` by the place names written just before it in ``text`` (长春市 + …)."""
    known = sorted({n for n in names if n}, key=len, reverse=True)
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


def _read_identity(narrative: Narrative, sections: Mapping[str, Section]) -> None:
    preamble = _lines(sections, ["preamble"])
    found = _find_title(preamble)
    if found is None:
        return
    narrative.title, title_line = found
    narrative.note("title", title_line)
    agency, place = _agency_in_title(narrative.title)
    if agency:
        narrative.agency = agency
        narrative.note("agency", title_line)
    elif place:
        hit = _agency_for_place(place, _scoped(sections))
        narrative.agency = hit[0] if hit else place
        narrative.note("agency", hit[1] if hit else title_line)
    narrative.township = township_of(narrative.agency)
    if narrative.township:
        narrative.provenance["township"] = narrative.provenance["agency"]


# --- year --------------------------------------------------------------------------------


def title_year(title: str | None) -> int | None:
    """The year a title names (``2023年…报告`` → 2023), if any."""
    match = _rx(_rules()["year"]["title"]).search(title or "")
    return int(match.group(1)) if match else None


def _read_year(narrative: Narrative, sections: Mapping[str, Section]) -> None:
    rules = _rules()["year"]
    narrative.title_year = title_year(narrative.title)
    for line in _lines(sections, ["preamble", "overview"]):
        match = _rx(rules["period"]).search(line[1])
        if match:
            narrative.year = int(match.group(2))
            narrative.note("year", line)
            return
    if narrative.title_year is not None:
        narrative.year = narrative.title_year
        narrative.provenance["year"] = narrative.provenance["title"]


# --- contact -----------------------------------------------------------------------------


def normalise_phone(raw: str) -> str:
    """``0972—8390165`` / ``(0469) 6101183`` → ``0972-8390165``; mobiles stay bare digits."""
    parts = [p for p in _rx(_rules()["contact"]["phone_separators"]).split(raw) if p]
    return "-".join(parts)


def _first(pattern: str, lines: list[Line]) -> tuple[str, Line] | None:
    for line in lines:
        match = _rx(pattern).search(line[1])
        if match:
            return (match.group(1) if match.groups() else match.group(0)).strip(), line
    return None


def _phones(lines: list[Line]) -> tuple[list[str], Line | None]:
    rules = _rules()["contact"]
    phones: list[str] = []
    where = None
    for line in lines:
        for run in _rx(rules["phone_run"]).finditer(line[1]):
            for raw in _rx(rules["phone"]).findall(run.group(1)):
                phone = normalise_phone(raw)
                if phone not in phones:
                    phones.append(phone)
                    where = where or line
    return phones, where


def _read_contact(narrative: Narrative, sections: Mapping[str, Section]) -> None:
    rules = _rules()["contact"]
    lines = _scoped(sections)
    values: dict[str, Any] = {}
    for key in ("address", "postcode", "email", "website"):
        hit = _first(rules[key], lines)
        if hit:
            values[key] = hit[0]
            narrative.note(f"contact.{key}", hit[1])
    phones, where = _phones(lines)
    if where:
        narrative.note("contact.phones", where)
    narrative.contact = Contact(phones=phones, **values)


# --- counts stated in prose --------------------------------------------------------------


def _read_published(narrative: Narrative, sections: Mapping[str, Section]) -> None:
    rules = _rules()["published_items"]
    statements = []
    for line in _lines(sections, ["preamble", "overview", "proactive"]):
        for match in _rx(rules["statement"]).finditer(line[1]):
            said = match.group(0)
            total = bool(_rx(rules["total"]).search(said))
            vague = bool(_rx(rules["vague"]).search(said))
            statements.append((int(match.group(1)), total, vague, line))
    totals = [s for s in statements if s[1] and not s[2]]
    if len({s[0] for s in totals}) == 1:
        chosen = totals[0]
    elif len({s[0] for s in statements}) == 1 and not any(s[2] for s in statements):
        chosen = statements[0]
    else:
        return
    narrative.published_items = chosen[0]
    narrative.note("proactive.published_items", chosen[3])


def stated_applications(sections: Mapping[str, Section]) -> tuple[int, Line] | None:
    """Applications received as stated in prose ("未收到…申请" → 0), with the line."""
    rules = _rules()["applications_stated"]
    for line in _scoped(sections):
        for pattern in rules["none"]:
            if _rx(pattern).search(line[1]):
                return 0, line
        for pattern in rules["count"]:
            match = _rx(pattern).search(line[1])
            if match:
                return int(match.group(1)), line
    return None


def read_narrative(sections: Mapping[str, Section]) -> Narrative:
    """Read title, agency, township, year, contact and prose counts from the sections."""
    narrative = Narrative()
    _read_identity(narrative, sections)
    _read_year(narrative, sections)
    _read_contact(narrative, sections)
    _read_published(narrative, sections)
    stated = stated_applications(sections)
    if stated is not None:
        narrative.applications_stated = stated[0]
    return narrative
