"""Read what a report states in prose: title, agency, township, year, contact, counts.

Every phrasing is rule data (``rules/narrative.toml``); who issued the report is read by
`indexer.identity`, the contact details by `indexer.contact`. Each value found keeps the line
it came from (`Provenance`), so a wrong value can be traced to its source line.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from indexer.contact import normalise_phone, read_contact
from indexer.document import Section
from indexer.identity import (
    Line,
    agency_for_place,
    agency_in_title,
    find_title,
    fullest_agency,
    signed_agency,
    township_of,
)
from indexer.models import Contact, Provenance
from indexer.rules import load_rules

__all__ = [
    "Narrative",
    "fullest_agency",
    "normalise_phone",
    "period_year",
    "prose_text",
    "read_narrative",
    "stated_applications",
    "title_year",
    "township_of",
]


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
    return _prose(sections, _rules()["scope"])


def _prose(sections: Mapping[str, Section], keys: Iterable[str]) -> list[Line]:
    """The lines of the named sections with wrapping undone within each section."""
    return [line for key in keys for line in unwrap(_lines(sections, [key]))]


def prose_text(sections: Mapping[str, Section], keys: Iterable[str]) -> str:
    """The text of the named sections with a PDF's wrapping undone (see `unwrap`)."""
    return "\n".join(text for _, text in _prose(sections, keys))


def _runs_on(raw: str, width: int) -> bool:
    """Whether ``raw`` is a line that a PDF's wrapping cut in the middle of a sentence, in a
    block whose longest prose line is ``width`` characters long."""
    rules = _rules()["unwrap"]
    text = raw.strip()
    return (
        _width(text) >= max(rules["min_length"], rules["width_share"] * width)
        and not _rx(rules["ends"]).search(text)
        and not _is_table_row(raw)
    )


def _width(text: str) -> int:
    """How wide ``text`` is printed: a Chinese character takes two columns, a digit one."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _is_table_row(raw: str) -> bool:
    return "\t" in raw or bool(_rx(_rules()["unwrap"]["table_row"]).search(raw.strip()))


def unwrap(lines: list[Line]) -> list[Line]:
    """Prose lines with a PDF's wrapping undone: a line cut mid-sentence is joined to the next
    line, across a page number but not across a blank line alone; a joined line keeps its
    first line's number."""
    rules = _rules()["unwrap"]
    width = max((_width(raw.strip()) for _, raw in lines if not _is_table_row(raw)), default=0)
    out: list[Line] = []
    joining, gap = False, ""
    for number, raw in lines:
        text = raw.strip()
        if joining and _rx(rules["page_mark"]).match(text):
            gap = "page"
            continue
        if not text:
            gap = gap or "blank"
            out.append((number, raw))
            continue
        new = _is_table_row(raw) or _rx(rules["starts_new"]).match(text)
        if not new and out and _rx(rules["label_start"]).match(text):
            new = not _completes_label(_last_text(out), text)
        if joining and gap != "blank" and not new:
            while not out[-1][1].strip():  # blank lines around the page number
                out.pop()
            out[-1] = (out[-1][0], out[-1][1] + text)
        else:
            out.append((number, raw))
        joining, gap = _runs_on(raw, width), ""
    return out


def _last_text(out: list[Line]) -> str:
    """The last non-empty line in ``out``."""
    return next((text.strip() for _, text in reversed(out) if text.strip()), "")


def _completes_label(before: str, text: str) -> bool:
    """Whether a contact label is cut between ``before`` and ``text`` ("联系地" / "址:…")."""
    for entry in _rules()["contact"]["labels"]:
        for label in entry["words"]:
            for cut in range(1, len(label)):
                if before.endswith(label[:cut]) and text.startswith(label[cut:]):
                    return True
    return False


def _closing(sections: Mapping[str, Section]) -> list[Line]:
    """The last few non-empty lines of the report, where a signature stands."""
    ordered = sorted(sections.values(), key=lambda section: section.start_line)
    lines = [line for line in _lines_of(ordered) if line[1].strip()]
    return lines[-_rules()["agency"]["signature_lines"] :]


def _lines_of(sections: Iterable[Section]) -> list[Line]:
    return [(s.start_line + i, text) for s in sections for i, text in enumerate(s.lines)]


def _read_identity(narrative: Narrative, sections: Mapping[str, Section]) -> None:
    preamble = _lines(sections, ["preamble"])
    found = find_title(preamble)
    hit: tuple[str, Line] | None = None
    after_title = preamble
    if found is not None:
        narrative.title, title_line = found
        narrative.note("title", title_line)
        after_title = [line for line in preamble if line[0] > title_line[0]]
        agency, place = agency_in_title(narrative.title)
        if agency:
            hit = (agency, title_line)
        elif place:
            hit = agency_for_place(place, _scoped(sections)) or (place, title_line)
    if hit is None:  # a title naming no body: the body on a line of its own, or the signature
        hit = signed_agency([*after_title[:2], *_closing(sections)])
    if hit is None:
        return
    narrative.agency = hit[0]
    narrative.note("agency", hit[1])
    narrative.township = township_of(narrative.agency)
    if narrative.township:
        narrative.provenance["township"] = narrative.provenance["agency"]


# --- year --------------------------------------------------------------------------------


def title_year(title: str | None) -> int | None:
    """The year a title names (``2023年…报告`` → 2023), if any."""
    match = _rx(_rules()["year"]["title"]).search(title or "")
    return int(match.group(1)) if match else None


def _year_stated(patterns: list[str], lines: list[Line]) -> tuple[int, Line] | None:
    """The first line matching one of ``patterns``, read as a period's end (or start) year."""
    for line in lines:
        for pattern in patterns:
            match = _rx(pattern).search(line[1])
            if match:
                groups = match.groupdict()
                return int(groups.get("end") or groups["start"]), line
    return None


def period_year(sections: Mapping[str, Section]) -> tuple[int, Line] | None:
    """The year of the statistics period the opening text states, with its line."""
    lines = _prose(sections, ["preamble", "overview"])
    return _year_stated(_rules()["year"]["period"], lines)


def _published_in(sections: Mapping[str, Section]) -> int | None:
    """The year the report was published: a date line of its own, or the page's date label."""
    lines = [*_lines(sections, ["preamble"]), *_closing(sections)]
    found = _year_stated(_rules()["year"]["published"], lines)
    return found[0] if found else None


def _read_year(narrative: Narrative, sections: Mapping[str, Section]) -> None:
    """Period first; the title when there is no period, or when the period is a stale copy
    (it disagrees with the title, and the report was published the year after the title's)."""
    narrative.title_year = title_year(narrative.title)
    said = narrative.title_year
    period = period_year(sections)
    stale = period is not None and said not in (None, period[0])
    if said is not None and (period is None or (stale and _published_in(sections) == said + 1)):
        narrative.year = said
        narrative.provenance["year"] = narrative.provenance["title"]
        return
    found = period or _year_stated(_rules()["year"]["stated"], _lines(sections, ["preamble"]))
    found = found or _year_opening(sections)
    if found is not None:
        narrative.year = found[0]
        narrative.note("year", found[1])


def _year_opening(sections: Mapping[str, Section]) -> tuple[int, Line] | None:
    """The year the overview opens with ("2023年，我镇…"), from its first few lines."""
    rules = _rules()["year"]
    lines = [line for line in _lines(sections, ["overview"]) if line[1].strip()]
    return _year_stated(rules["opening"], lines[: rules["opening_lines"]])


# --- counts stated in prose --------------------------------------------------------------


def _count(text: str) -> int | None:
    """A count written in digits or in Chinese numerals up to 99 (三, 十二, 二十五)."""
    if text.isdigit():
        return int(text)
    digits = _rules()["numerals"]
    if not all(c in digits for c in text):
        return None
    tens, _, units = text.rpartition("十")
    if "十" not in text:
        return digits[text] if len(text) == 1 else None
    return (digits.get(tens, 1) if tens else 1) * 10 + (digits.get(units, 0) if units else 0)


def _read_published(narrative: Narrative, sections: Mapping[str, Section]) -> None:
    rules = _rules()["published_items"]
    statements = []
    for line in _prose(sections, ["preamble", "overview", "proactive"]):
        for match in _rx(rules["statement"]).finditer(line[1]):
            said, after = match.group(0), line[1][match.end() : match.end() + 8]
            total = bool(_rx(rules["total"]).search(said) or _rx(rules["total_after"]).match(after))
            vague = bool(_rx(rules["vague"]).search(said))
            statements.append((int(match.group(1).replace(",", "")), total, vague, line))
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
            if match and (count := _count(match.group(1))) is not None:
                return count, line
    return None


def read_narrative(sections: Mapping[str, Section]) -> Narrative:
    """Read title, agency, township, year, contact and prose counts from the sections."""
    narrative = Narrative()
    _read_identity(narrative, sections)
    _read_year(narrative, sections)
    narrative.contact, where = read_contact(_scoped(sections))
    narrative.provenance.update(where)
    _read_published(narrative, sections)
    stated = stated_applications(sections)
    if stated is not None:
        narrative.applications_stated = stated[0]
    return narrative
