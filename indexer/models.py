"""The `Report` record: the contract shared by the indexer, search, HTTP API and CLI.

Key names follow ../shared/DESIGN.md ("The record"). Add fields freely; rename none.
A number is an ``int`` (a float for 万元); a blank cell is ``None``, never a guessed 0.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, SerializerFunctionWrapHandler, model_serializer

APPLICANT_COLUMNS: tuple[str, ...] = (
    "natural_person",
    "commercial",
    "research",
    "social",
    "legal_service",
    "other",
    "total",
)

APPLICATION_ROWS: tuple[str, ...] = (
    "new",
    "carried_over",
    "granted",
    "partially_granted",
    "withheld_state_secret",
    "withheld_prohibited_by_law",
    "withheld_security_stability",
    "withheld_third_party",
    "withheld_internal_affairs",
    "withheld_process_info",
    "withheld_enforcement_file",
    "withheld_query_matter",
    "unavailable_not_held",
    "unavailable_needs_creation",
    "unavailable_unclear",
    "rejected_complaint",
    "rejected_duplicate",
    "rejected_publication",
    "rejected_excessive",
    "rejected_confirmation",
    "other_overdue_correction",
    "other_overdue_fee",
    "other_other",
    "total_processed",
    "carried_forward",
)

OUTCOME_KEYS: tuple[str, ...] = ("upheld", "corrected", "other", "pending", "total")

SECTION_KEYS: tuple[str, ...] = (
    "preamble",  # title block and opening paragraph, before section 一
    "overview",
    "proactive",
    "applications",
    "reviews_lawsuits",
    "problems",
    "other",
)


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Source(_Model):
    """Where a record came from."""

    path: str
    sha256: str
    format: str  # txt | md | html | docx | pdf
    encoding: str | None = None
    # The page's own address where the text (a crawler header, 原文链接, 本文链接…) gives it;
    # never the body's portal, which is ``contact.website``.
    url: str | None = None
    # The publication date, YYYY-MM-DD (发布时间 / 发布日期 / 成文日期 / the signature's date).
    published: str | None = None


class Provenance(_Model):
    """Where in the normalised text a value was read: line number and the raw text.

    ``via`` says how a value was read when it was not read from its own table cell or
    labelled line: ``"prose"`` (a sentence of the narrative) or ``"arithmetic"`` (cells
    recovered from the table's sums). ``approximate`` marks a figure the text gives as
    approximate ("260余条" is 260). Both are left out of the JSON when not set.
    """

    line: int
    text: str
    via: Literal["prose", "arithmetic"] | None = None
    approximate: bool = False

    @model_serializer(mode="wrap")
    def _compact(self, handler: SerializerFunctionWrapHandler) -> dict[str, Any]:
        data = handler(self)
        if data.get("via") is None:
            data.pop("via", None)
        if not data.get("approximate"):
            data.pop("approximate", None)
        return data


class Contact(_Model):
    """Contact details stated in the report; absent values are ``None`` / empty list."""

    address: str | None = None
    postcode: str | None = None
    phones: list[str] = Field(default_factory=list)
    email: str | None = None
    website: str | None = None
    fax: str | None = None  # a fax number is not a phone: it is kept apart


class DocumentCounts(_Model):
    """第二十条第（一）项: rules or normative documents."""

    issued: int | None = None
    repealed: int | None = None
    in_force: int | None = None


class Proactive(_Model):
    """Section 二: proactive disclosure (第二十条)."""

    rules: DocumentCounts = Field(default_factory=DocumentCounts)
    normative_documents: DocumentCounts = Field(default_factory=DocumentCounts)
    licensing: int | None = None
    penalties: int | None = None
    coercion: int | None = None
    fees: float | None = None  # 万元
    published_items: int | None = None


class ApplicantCounts(_Model):
    """One row of the applications table, one cell per applicant column."""

    natural_person: int | None = None
    commercial: int | None = None
    research: int | None = None
    social: int | None = None
    legal_service: int | None = None
    other: int | None = None
    total: int | None = None


def _empty_applications() -> dict[str, ApplicantCounts]:
    return {row: ApplicantCounts() for row in APPLICATION_ROWS}


class Outcomes(_Model):
    """行政复议 / 行政诉讼 outcome counts."""

    upheld: int | None = None
    corrected: int | None = None
    other: int | None = None
    pending: int | None = None
    total: int | None = None


class Check(_Model):
    """A consistency rule that failed (or a part that is missing)."""

    code: str
    message: str


class Report(_Model):
    """One annual report, parsed."""

    id: str
    source: Source
    title: str | None = None
    agency: str | None = None
    township: str | None = None
    county: str | None = None
    city: str | None = None
    province: str | None = None
    year: int | None = None
    contact: Contact = Field(default_factory=Contact)
    proactive: Proactive = Field(default_factory=Proactive)
    applications: dict[str, ApplicantCounts] = Field(default_factory=_empty_applications)
    reviews: Outcomes = Field(default_factory=Outcomes)
    lawsuits_direct: Outcomes = Field(default_factory=Outcomes)
    lawsuits_after_review: Outcomes = Field(default_factory=Outcomes)
    # The overall number of 行政诉讼 the prose states where table 四 gives none: a count above 0
    # cannot be split between the two tables above, which then stay blank. Left out of the
    # JSON when not set.
    lawsuits_stated: int | None = None
    sections: dict[str, str] = Field(default_factory=dict)
    checks: list[Check] = Field(default_factory=list)
    # Where each derived value came from: dotted field path -> line and raw text.
    provenance: dict[str, Provenance] = Field(default_factory=dict)

    @model_serializer(mode="wrap")
    def _compact(self, handler: SerializerFunctionWrapHandler) -> dict[str, Any]:
        data = handler(self)
        if data.get("lawsuits_stated") is None:
            data.pop("lawsuits_stated", None)
        return data


def value_at(report: Report, path: str) -> Any:
    """The value at a dotted record path (``applications.new.total``); None where blank."""
    node: Any = report
    for part in path.split("."):
        node = node.get(part) if isinstance(node, dict) else getattr(node, part, None)
        if node is None:
            return None
    return node
