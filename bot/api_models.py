"""Request and response models of the HTTP API.

The handlers validate every query string through these models, and `bot.openapi` builds the
OpenAPI description from the very same classes, so the two cannot drift apart. The bounds
that come from settings (query length, page size) are checked against a validation context
and written into the OpenAPI description from the same settings.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator

from search.answer import Answer, Result

FacetName = Literal["year", "province", "city", "county", "township"]
FACET_NAMES: tuple[str, ...] = ("year", "province", "city", "county", "township")
MAX_PAGE = 10_000


def _bound(info: ValidationInfo, key: str, default: int) -> int:
    context = info.context or {}
    return int(context.get(key, default))


# The characters trimmed from both ends of every string parameter: Unicode's White_Space
# property, which is what pydantic's `str_strip_whitespace` trims (not Python's `str.isspace`,
# which adds U+001C..U+001F). Spelled out so the OpenAPI pattern for `q` can say the same.
SPACE = (
    "\t\n\v\f\r \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007"
    "\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
)
_SPACE_CLASS = "".join(f"\\u{ord(c):04x}" for c in SPACE)
# Exactly the values of `q` the server takes: no NUL anywhere, and at least one character
# that is neither NUL nor space. Only escapes and classes that ECMA-262 (JSON Schema) and
# Python's `re` read alike; anchored, since a JSON Schema pattern may match anywhere.
QUERY_PATTERN = f"^[^\\u0000]*[^\\u0000{_SPACE_CLASS}][^\\u0000]*$"


def _check_query(value: Any, info: ValidationInfo) -> Any:
    """Refuse a query that is too long (as sent), holds a NUL, or is nothing but space."""
    if not isinstance(value, str):
        return value  # pydantic's own type check says what is wrong
    limit = _bound(info, "max_query_length", 500)
    if len(value) > limit:
        raise ValueError(f"the query is longer than {limit} characters")
    if "\x00" in value:
        raise ValueError("the query contains a NUL character")
    if not value.strip(SPACE):
        raise ValueError("the query is empty")
    return value


def _check_size(value: int, info: ValidationInfo) -> int:
    limit = _bound(info, "max_page_size", 50)
    if value > limit:
        raise ValueError(f"size may be at most {limit}")
    return value


def _blank_is_unset(value: Any) -> Any:
    # A form submits an empty field as `township=`: that means no filter, not "no name".
    return None if isinstance(value, str) and not value.strip() else value


class _Params(BaseModel):
    model_config = ConfigDict(extra="ignore", str_strip_whitespace=True)


class QueryParams(_Params):
    """`q` (a question or keywords), `page` from 1, `size` results per page."""

    q: str = Field(min_length=1, description="A question or keywords, in Chinese or English.")
    page: int = Field(default=1, ge=1, le=MAX_PAGE, description="Page number, from 1.")
    size: int = Field(default=10, ge=1, description="Results per page.")

    _q = field_validator("q", mode="before")(_check_query)
    _size = field_validator("size")(_check_size)


class TownshipParams(_Params):
    """`q`: part of a township's name (Chinese, pinyin or traditional); `limit` suggestions."""

    q: str = Field(min_length=1, description="Part of a township name.")
    limit: int = Field(default=8, ge=1, le=50, description="At most this many suggestions.")

    _q = field_validator("q", mode="before")(_check_query)


class RowFilters(_Params):
    """Exact-value filters over the records (the CSV takes these and ignores anything else)."""

    year: int | None = Field(default=None, ge=1900, le=2200, description="Report year.")
    province: str | None = Field(default=None, max_length=100)
    city: str | None = Field(default=None, max_length=100)
    county: str | None = Field(default=None, max_length=100)
    township: str | None = Field(default=None, max_length=100)

    _blank = field_validator("province", "city", "county", "township", mode="before")(
        _blank_is_unset
    )

    def filters(self) -> dict[str, str | int]:
        """The filters that are set, by field name."""
        return {name: value for name in FACET_NAMES if (value := getattr(self, name)) is not None}


class CoverageParams(_Params):
    """The place whose coverage is asked (the narrowest given decides) and the year."""

    county: str | None = Field(default=None, max_length=100, description="A county (县/区).")
    city: str | None = Field(default=None, max_length=100, description="A city (市/州/盟).")
    province: str | None = Field(default=None, max_length=100, description="A province.")
    year: int | None = Field(
        default=None, ge=1900, le=2200, description="Report year; the newest when not given."
    )

    _blank = field_validator("county", "city", "province", mode="before")(_blank_is_unset)


class ReportFilters(RowFilters):
    """Exact-value filters over the records, the facets to count, and paging."""

    facet: list[FacetName] = Field(
        default_factory=list, description="Fields to count values of (repeatable)."
    )
    page: int = Field(default=1, ge=1, le=MAX_PAGE)
    size: int = Field(default=50, ge=1)

    _size = field_validator("size")(_check_size)


class Health(BaseModel):
    """`/healthz`: whether an index is open, how many reports it has, and its age."""

    ok: bool
    reports: int = 0
    townships: int = 0
    years: list[int] = Field(default_factory=list)
    index_age_seconds: float | None = None
    message: str | None = None


class AnswerResponse(Answer):
    """An `Answer` with links to the next and previous pages, when there are any."""

    next: str | None = None
    previous: str | None = None


class ReportRow(BaseModel):
    """One report in a list: who, where, when, and its headline numbers."""

    id: str
    title: str | None = None
    agency: str | None = None
    township: str | None = None
    county: str | None = None
    city: str | None = None
    province: str | None = None
    year: int | None = None
    applications_new: int | None = Field(default=None, description="本年新收 政府信息公开申请")
    licensing: int | None = Field(default=None, description="行政许可 处理决定数量")
    penalties: int | None = Field(default=None, description="行政处罚 处理决定数量")
    reviews: int | None = Field(default=None, description="行政复议 总计")
    checks: int = Field(default=0, description="Consistency checks that failed")
    url: str = Field(description="Link to the full record")


class FacetValue(BaseModel):
    """One value of a facet: how many rows have it, and a link that applies (or removes) it."""

    value: str | int
    count: int
    selected: bool = False
    url: str


class Facet(BaseModel):
    """Counts of each value of one field over the filtered rows."""

    name: FacetName
    values: list[FacetValue]


class ReportsResponse(BaseModel):
    """Filtered rows, one page of them, with facet counts and links."""

    filters: dict[str, str | int]
    total: int
    page: int
    page_size: int
    rows: list[ReportRow]
    facets: list[Facet] = Field(default_factory=list)
    next: str | None = None
    csv: str = Field(description="The same rows, all pages, as CSV")


class TownshipsResponse(BaseModel):
    """Townships matching a partial name, with contact details."""

    query: str
    results: list[Result]


class ErrorDetail(BaseModel):
    """What went wrong, in a sentence safe to show."""

    code: str
    message: str


class ErrorResponse(BaseModel):
    """The body of every error response."""

    error: ErrorDetail


def error_body(code: str, message: str) -> dict[str, Any]:
    """The JSON body of an error response."""
    return ErrorResponse(error=ErrorDetail(code=code, message=message)).model_dump()
