"""Read what a report states in prose: title, agency, township, year, contact, counts.

Every phrasing is rule data (``rules/narrative.toml``); who issued the report is read by
`identity`, the contact details by `contact`. Each value found keeps the line
it came from (`Provenance`), so a wrong value can be traced to its source line.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache, lru_cache
from typing import Any

from indexer.models import Contact, Provenance
from indexer.parsing.body import find_township, fullest_form
from indexer.parsing.contact import normalise_phone, read_contact
from indexer.parsing.document import Section
from indexer.parsing.identity import (
    Line,
    agency_for_place,
    agency_in_title,
    find_title,
    fullest_agency,
    inline_title,
    signed_agency,
    township_of,
)
from indexer.parsing.needle import Rx, compile_guarded, lines_holding
from indexer.parsing.page import PageFacts, read_page
from indexer.parsing.prose import Figures, read_figures
from indexer.rules import load_rules

__all__ = [
    "Narrative",
    "fullest_agency",
    "normalise_phone",
    "period_year",
    "prose_text",
    "read_narrative",
    "share_unwrapped",
    "stated_applications",
    "stated_figures",
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
    page: PageFacts = field(default_factory=PageFacts)
    figures: Figures = field(default_factory=Figures)
    provenance: dict[str, Provenance] = field(default_factory=dict)

    @property
    def published_items(self) -> int | None:
        """The overall number of items published, as the prose states it."""
        found = self.figures.published_items
        return None if found is None else found.value

    @property
    def applications_stated(self) -> int | None:
        """The number of applications received, as the prose states it."""
        found = self.figures.applications
        return None if found is None else found.value

    def note(self, key: str, line: Line) -> None:
        """Record that ``key`` was read from ``line``."""
        self.provenance[key] = Provenance(line=line[0], text=line[1].strip())

    def provenance_line(self, key: str) -> Line:
        """The line ``key`` was read from, as a `Line`."""
        where = self.provenance[key]
        return where.line, where.text


@cache
def _rules() -> dict[str, Any]:
    return load_rules("narrative")


@cache
def _rx(pattern: str) -> Rx:
    return compile_guarded(pattern)


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
    return [line for key in keys if key in sections for line in _unwrapped(sections[key])]


def _unwrapped(section: Section) -> tuple[Line, ...]:
    """The section's lines with wrapping undone, worked out once per section."""
    found = section.derived.get("unwrapped")
    if found is None:
        found = section.derived["unwrapped"] = tuple(unwrap(_lines({"": section}, [""])))
    return found


def share_unwrapped(section: Section, source: Section) -> None:
    """Give ``section`` the unwrapped prose of ``source`` when its lines are those of
    ``source`` without the blank lines at its start and end (a record keeps a section's text
    stripped).

    Unwrapping only carries line numbers along, and blank lines at either end add nothing
    but themselves (no line is joined across a blank line alone), so the prose is
    ``source``'s, cut and renumbered.
    """
    kept, lead = len(section.lines), 0
    while lead < len(source.lines) - kept and not source.lines[lead].strip():
        lead += 1
    tail = source.lines[lead + kept :]
    if source.lines[lead : lead + kept] != section.lines or any(line.strip() for line in tail):
        return
    first = source.start_line + lead
    shift, end = section.start_line - first, first + kept
    lines = tuple(
        (number + shift, text) for number, text in _unwrapped(source) if first <= number < end
    )
    section.derived["unwrapped"] = lines


def prose_text(sections: Mapping[str, Section], keys: Iterable[str]) -> str:
    """The text of the named sections with a PDF's wrapping undone (see `unwrap`)."""
    return "\n".join(text for _, text in _prose(sections, keys))


@lru_cache(maxsize=8192)  # the same lines are unwrapped for every field read from prose
def _width(text: str) -> int:
    """How wide ``text`` is printed: a Chinese character takes two columns, a digit one."""
    return len(text) if text.isascii() else len(text) + sum(map(_wide, text))


@cache
def _wide(char: str) -> bool:
    """Whether ``char`` is printed two columns wide (East Asian Wide or Fullwidth)."""
    return unicodedata.east_asian_width(char) in "WF"


def unwrap(lines: list[Line]) -> list[Line]:
    """Prose lines with a PDF's wrapping undone: a line cut mid-sentence is joined to the next
    line, across a page number but not across a blank line alone; a joined line keeps its
    first line's number."""
    rules = _rules()["unwrap"]
    page_mark, starts_new = _rx(rules["page_mark"]), _rx(rules["starts_new"])
    label_start, ends = _rx(rules["label_start"]), _rx(rules["ends"])
    row_rx = _rx(rules["table_row"])
    texts = [raw.strip() for _, raw in lines]
    table = [
        "\t" in raw or row_rx.search(text) is not None
        for (_, raw), text in zip(lines, texts, strict=True)
    ]
    width = max((_width(t) for t, row in zip(texts, table, strict=True) if not row), default=0)
    # A line runs on when the wrapping cut it mid-sentence: a prose line nearly as wide as
    # the block's widest (a Chinese character takes two columns) that ends no sentence.
    wide = max(rules["min_length"], rules["width_share"] * width)
    out: list[Line] = []
    joining, gap = False, ""
    for (number, raw), text, table_row in zip(lines, texts, table, strict=True):
        if joining and page_mark.match(text):
            gap = "page"
            continue
        if not text:
            gap = gap or "blank"
            out.append((number, raw))
            continue
        new = table_row or starts_new.match(text)
        if not new and out and label_start.match(text):
            new = not _completes_label(_last_text(out), text)
        if joining and gap != "blank" and not new:
            while not out[-1][1].strip():  # blank lines around the page number
                out.pop()
            out[-1] = (out[-1][0], out[-1][1] + text)
        else:
            out.append((number, raw))
        joining = not table_row and _width(text) >= wide and not ends.search(text)
        gap = ""
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
    every = _lines_of(sorted(sections.values(), key=lambda section: section.start_line))
    found = find_title(preamble)
    if found is None and (found := inline_title(every[: _rules()["agency"]["inline_lines"]])):
        narrative.title = found[0]  # the opening sentence's own title
        narrative.note("title", found[1])
        found = None
    hit = _titled_agency(narrative, found, sections)
    after_title = [line for line in preamble if found is None or line[0] > found[1][0]]
    if hit is None:  # no body in a title: the township the text names as its own body
        hit = find_township(every)
    if hit is None:  # nor in the text: a line of its own below the title, or the signature
        hit = signed_agency([*after_title[:2], *_closing(sections)])
    if hit is None:
        return
    narrative.agency = hit[0]
    narrative.note("agency", hit[1])
    narrative.township = township_of(narrative.agency)
    if narrative.township:
        narrative.provenance["township"] = narrative.provenance["agency"]
        fullest, line = fullest_form(
            narrative.township, every, narrative.agency, titled=found is not None
        )
        if line is not None and not fullest.endswith(narrative.agency):
            narrative.note("agency", line)  # another name; places before it keep its line
        narrative.agency = fullest


def _titled_agency(
    narrative: Narrative, found: tuple[str, Line] | None, sections: Mapping[str, Section]
) -> tuple[str, Line] | None:
    """The body a title names (its line), or the fullest body written for the title's place."""
    if found is None:
        if narrative.title is None:
            return None
        found = (narrative.title, narrative.provenance_line("title"))
    else:
        narrative.title, title_line = found
        narrative.note("title", title_line)
    title, title_line = found[0], found[1]
    agency, place = agency_in_title(narrative.title or title)
    if agency:
        return agency, title_line
    if place:
        return agency_for_place(place, _scoped(sections)) or (place, title_line)
    return None


# --- year --------------------------------------------------------------------------------


def title_year(title: str | None) -> int | None:
    """The year a title names (``2023年…报告`` → 2023), if any."""
    match = _rx(_rules()["year"]["title"]).search(title or "")
    return int(match.group(1)) if match else None


def _year_stated(patterns: list[str], lines: list[Line]) -> tuple[int, Line] | None:
    """The first line matching one of ``patterns``, read as a period's end (or start) year."""
    compiled = [_rx(pattern) for pattern in patterns]
    for line in lines_holding(tuple(patterns), lines):
        for pattern in compiled:
            match = pattern.search(line[1])
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
    """The year the overview or the preamble opens with ("2023年，我镇…"), from its first few
    lines; else the year the text names most often, when it names one most often."""
    rules = _rules()["year"]
    for key in ("overview", "preamble"):
        lines = [line for line in _lines(sections, [key]) if line[1].strip()]
        found = _year_stated(rules["opening"], lines[: rules["opening_lines"]])
        if found is not None:
            return found
    return _year_most_named(_scoped(sections))


def _year_most_named(lines: list[Line]) -> tuple[int, Line] | None:
    """The year named most often ("2021年…", at least `most_named_min` times, strictly more
    than any other), with the first line naming it."""
    pattern, minimum = _rx(_rules()["year"]["named"]), _rules()["year"]["most_named_min"]
    counts: dict[int, list[Line]] = {}
    for line in lines:
        for match in pattern.finditer(line[1]):
            counts.setdefault(int(match.group(1)), []).append(line)
    ranked = sorted(counts.items(), key=lambda item: len(item[1]), reverse=True)
    if not ranked or len(ranked[0][1]) < minimum:
        return None
    if len(ranked) > 1 and len(ranked[1][1]) == len(ranked[0][1]):
        return None
    return ranked[0][0], ranked[0][1][0]


# --- counts stated in prose --------------------------------------------------------------


def stated_figures(sections: Mapping[str, Section], items: bool = True) -> Figures:
    """The figures the prose states (items published, unless not ``items``; applications,
    reviews, lawsuits)."""
    return read_figures({key: _prose(sections, [key]) for key in sections}, items)


def stated_applications(sections: Mapping[str, Section]) -> tuple[int, Line] | None:
    """Applications received as stated in prose ("未收到…申请" → 0), with the line."""
    found = stated_figures(sections, items=False).applications
    return None if found is None else (found.value, found.line)


def read_narrative(sections: Mapping[str, Section]) -> Narrative:
    """Read title, agency, township, year, contact and prose counts from the sections."""
    narrative = Narrative()
    _read_identity(narrative, sections)
    _read_year(narrative, sections)
    narrative.contact, where = read_contact(_scoped(sections))
    narrative.provenance.update(where)
    narrative.page = read_page(_lines(sections, ["preamble"]), _closing(sections))
    narrative.provenance.update(narrative.page.provenance)
    narrative.figures = stated_figures(sections)
    return narrative
