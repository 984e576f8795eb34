"""The `Answer`: what search returns for any question (contract, see DESIGN.md)."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field

from indexer.models import Contact

Intent = Literal["keyword", "contact", "filter", "rank", "count", "unknown"]


class Snippet(BaseModel):
    """A highlighted passage: ``text`` is plain; ``html`` marks hits with <mark>, escaped."""

    section: str | None = None
    text: str
    html: str


class Result(BaseModel):
    """One item of an answer."""

    report_id: str
    township: str | None = None
    agency: str | None = None
    year: int | None = None
    county: str | None = None
    city: str | None = None
    province: str | None = None
    value: int | float | None = None
    contact: Contact | None = None
    snippets: list[Snippet] = Field(default_factory=list)
    score: float | None = None


class Answer(BaseModel):
    """The answer to one question: plain ``text`` ready to send, and the results behind it."""

    question: str
    intent: Intent
    text: str
    results: list[Result] = Field(default_factory=list)
    total: int = 0
    page: int = 1
    page_size: int = 10
    metric: str | None = None  # the metric key asked about, e.g. "penalties"
    extra: dict[str, Any] = Field(default_factory=dict)
