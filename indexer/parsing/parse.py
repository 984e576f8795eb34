"""Parse one report file or text into a `Report`.

read (bytes → `Document`) → normalise → split sections → read tables → read narrative →
gazetteer place → checks. Raises only `ParseError` (text that is empty or not a disclosure
report at all: no section heading and no table label) and `ExtractError` (from reading). A
report with parts missing still parses; its ``checks`` say what is missing.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping, Sequence
from pathlib import Path

from indexer.errors import IndexerError, ParseError
from indexer.models import SECTION_KEYS, Check, Report, Source
from indexer.parsing.checks import run_checks
from indexer.parsing.document import Document, Grid, Section, read_checks
from indexer.parsing.gazetteer import Place, locate
from indexer.parsing.narrative import Narrative, fullest_agency, prose_text, read_narrative
from indexer.parsing.normalise import normalise
from indexer.parsing.prose import fill_record
from indexer.parsing.sections import is_report_like, split_sections
from indexer.parsing.tables import Tables, read_tables

__all__ = ["parse_document", "parse_file", "parse_text", "report_id"]

ID_LENGTH = 16
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
# Table-reader findings that the record's own checks already state (missing.*_table).
_RESTATED_BY_CHECKS = frozenset({"table_missing"})


def report_id(sha256: str) -> str:
    """A report's stable id: the first 16 hex digits of the sha256 of its file's bytes."""
    return sha256[:ID_LENGTH]


def _normalise_grids(grids: Sequence[Grid]) -> list[Grid]:
    return [[[None if c is None else normalise(c) for c in row] for row in grid] for grid in grids]


def _place(narrative: Narrative, sections: Mapping[str, Section]) -> Place:
    """Ask the gazetteer where the report comes from, from the text that names the body."""
    parts = [
        narrative.title,
        narrative.agency,
        narrative.contact.address,
        prose_text(sections, ["preamble"]),
    ]
    return locate("\n".join(p for p in parts if p), narrative.township)


def _problems(tables: Tables) -> list[Check]:
    """The table reader's own findings, as checks."""
    out = []
    for problem in tables.problems:
        if getattr(problem, "code", None) in _RESTATED_BY_CHECKS:
            continue
        if isinstance(problem, Check):
            out.append(problem)
        else:
            out.append(Check(code="tables.problem", message=str(problem)))
    return out


def _build(doc: Document, text: str) -> Report:
    sections = split_sections(text)
    if not is_report_like(text, sections):
        raise ParseError(doc.path, "not a disclosure report: no section heading or table label")
    tables = read_tables(sections, _normalise_grids(doc.grids))
    narrative = read_narrative(sections)
    place = _place(narrative, sections)
    agency = narrative.agency
    if agency:
        preamble = prose_text(sections, ["preamble"])
        named = "\n".join(p for p in (narrative.title, preamble) if p)
        agency = fullest_agency(agency, (place.province, place.city, place.county), named)
    report = Report(
        id=report_id(doc.sha256),
        source=Source(
            path=doc.path,
            sha256=doc.sha256,
            format=doc.format,
            encoding=doc.encoding,
            url=narrative.page.url,
            published=narrative.page.published,
        ),
        title=narrative.title,
        agency=agency,
        township=narrative.township,
        county=place.county,
        city=place.city,
        province=place.province,
        year=narrative.year,
        contact=narrative.contact,
        proactive=tables.proactive,
        applications=tables.applications,
        reviews=tables.reviews,
        lawsuits_direct=tables.lawsuits_direct,
        lawsuits_after_review=tables.lawsuits_after_review,
        sections={k: sections[k].text.strip() if k in sections else "" for k in SECTION_KEYS},
        provenance={**tables.provenance, **narrative.provenance},
    )
    report = fill_record(report, narrative.figures)  # prose figures where the tables gave none
    report.checks = [*_problems(tables), *run_checks(report, sections), *read_checks(doc)]
    return report


def parse_document(doc: Document) -> Report:
    """Parse a read `Document`; raises `ParseError` when it is empty or not a report."""
    text = normalise(doc.text)
    if not text.strip():
        raise ParseError(doc.path, "empty: the file holds no text")
    try:
        return _build(doc, text)
    except IndexerError:
        raise
    except Exception as exc:  # a parser bug must still name the file, never escape untyped
        raise ParseError(doc.path, f"unexpected {type(exc).__name__}: {exc}") from exc


def parse_text(text: str, path: str = "<text>", fmt: str = "txt") -> Report:
    """Parse report text into a `Report`; the id hashes the text's UTF-8 bytes."""
    sha256 = hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()
    return parse_document(Document(path=path, format=fmt, encoding=None, text=text, sha256=sha256))


def parse_file(path: Path) -> Report:
    """Read, decode and parse one report file; `ExtractError` / `ParseError` on bad input."""
    from indexer.parsing.read import read_document  # the readers only when a file is read

    return _with_sidecar(parse_document(read_document(Path(path))), Path(path))


def _with_sidecar(report: Report, path: Path) -> Report:
    """The sidecar's url and publication date win over what the page text says, if it has any."""
    from indexer.parsing.read import SIDECAR_SUFFIX

    try:
        meta = json.loads(path.with_name(path.name + SIDECAR_SUFFIX).read_bytes())
    except (OSError, ValueError):
        return report
    if not isinstance(meta, dict) or meta.get("generator") != "gongkai fetch":
        return report
    url, published = meta.get("url"), meta.get("published")
    if isinstance(url, str) and url:
        report.source.url = url
        report.provenance.pop("source.url", None)  # not read from a line of the text
    if isinstance(published, str) and _ISO_DATE.fullmatch(published):
        report.source.published = published
        report.provenance.pop("source.published", None)
    return report
