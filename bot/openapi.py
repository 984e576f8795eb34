"""The OpenAPI 3.1 description of the HTTP API, generated from `bot.api_models`.

The parameter and response schemas are the JSON Schemas of the same pydantic models the
handlers validate with; the bounds that come from settings are written in from the settings.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel
from pydantic.json_schema import models_json_schema

from bot.api_models import (
    QUERY_PATTERN,
    AnswerResponse,
    CoverageParams,
    ErrorResponse,
    Health,
    QueryParams,
    ReportFilters,
    ReportsResponse,
    RowFilters,
    TownshipParams,
    TownshipsResponse,
)
from gongkai.config import Settings
from indexer.models import Report
from search.coverage import Coverage

_REF = "#/components/schemas/{model}"
_RESPONSE_MODELS: tuple[type[BaseModel], ...] = (
    AnswerResponse,
    CoverageParams,
    ErrorResponse,
    Health,
    ReportsResponse,
    TownshipsResponse,
    Report,
    Coverage,
)
# Operation id, path, summary, query model (or None), success model (or media type), errors.
_OPERATIONS: tuple[
    tuple[str, str, str, type[BaseModel] | None, type[BaseModel] | str, tuple[int, ...]], ...
] = (
    ("healthz", "/healthz", "Is an index open; how many reports; index age", None, Health, (503,)),
    ("ask", "/api/ask", "Answer a question", QueryParams, AnswerResponse, (400, 503)),
    (
        "ask_chart",
        "/api/ask.svg",
        "The answer's chart as SVG: bars for a ranking, lines for a series; 404 for others",
        QueryParams,
        "image/svg+xml",
        (400, 404, 503),
    ),
    (
        "search",
        "/api/search",
        "Keyword search with highlighted snippets",
        QueryParams,
        AnswerResponse,
        (400, 503),
    ),
    (
        "reports",
        "/api/reports",
        "Records filtered by year and place, with facet counts",
        ReportFilters,
        ReportsResponse,
        (400, 503),
    ),
    (
        "reports_csv",
        "/api/reports.csv",
        "The filtered records as CSV (UTF-8 with BOM); facet, page and size are ignored",
        RowFilters,
        "text/csv",
        (400, 503),
    ),
    ("report", "/api/reports/{id}", "One full record", None, Report, (404, 503)),
    (
        "coverage",
        "/api/coverage",
        "Which townships of a county (or of each county of a city or province) have a "
        "report of the year: reported, missing, n / N per county and in all",
        CoverageParams,
        Coverage,
        (400, 404, 503),
    ),
    (
        "townships",
        "/api/townships",
        "Townships by partial name, with contact details",
        TownshipParams,
        TownshipsResponse,
        (400, 503),
    ),
)
_ERROR_TEXT = {400: "Bad query", 404: "Not found", 503: "No index yet"}


def _bounded(name: str, schema: dict[str, Any], settings: Settings) -> dict[str, Any]:
    schema = dict(schema)
    schema.pop("title", None)
    if name == "q":
        schema["maxLength"] = settings.server.max_query_length
        schema["pattern"] = QUERY_PATTERN  # no NUL, and not only space: what the server takes
    if name == "size":
        schema["maximum"] = settings.server.max_page_size
    return schema


def _parameters(model: type[BaseModel], settings: Settings) -> list[dict[str, Any]]:
    """Query parameters from a params model: one per field, with its schema and description."""
    schema = model.model_json_schema(ref_template=_REF)
    required = set(schema.get("required", []))
    params = []
    for name, prop in schema["properties"].items():
        param: dict[str, Any] = {
            "name": name,
            "in": "query",
            "required": name in required,
            "schema": _bounded(name, prop, settings),
        }
        if "description" in prop:
            param["description"] = prop["description"]
        if prop.get("type") == "array":
            param.update(style="form", explode=True)
        params.append(param)
    return params


def _responses(success: type[BaseModel] | str, errors: tuple[int, ...]) -> dict[str, Any]:
    if isinstance(success, str):
        ok = {"description": "OK", "content": {success: {"schema": {"type": "string"}}}}
    else:
        ref = {"$ref": _REF.format(model=success.__name__)}
        ok = {"description": "OK", "content": {"application/json": {"schema": ref}}}
    error = {"$ref": _REF.format(model="ErrorResponse")}
    out: dict[str, Any] = {"200": ok}
    for status in errors:
        schema = {"$ref": _REF.format(model="Health")} if success is Health else error
        out[str(status)] = {
            "description": _ERROR_TEXT[status],
            "content": {"application/json": {"schema": schema}},
        }
    out["500"] = {
        "description": "Unexpected error (logged on the server)",
        "content": {"application/json": {"schema": error}},
    }
    return out


def _path_id() -> dict[str, Any]:
    return {
        "name": "id",
        "in": "path",
        "required": True,
        "schema": {"type": "string"},
        "description": "Report id, as in `/api/reports` rows",
    }


def build_openapi(settings: Settings) -> dict[str, Any]:
    """The OpenAPI 3.1 document for an app built with ``settings``."""
    _, defs = models_json_schema(
        [(m, "serialization") for m in _RESPONSE_MODELS], ref_template=_REF
    )
    paths: dict[str, Any] = {}
    for op_id, path, summary, query, success, errors in _OPERATIONS:
        params = _parameters(query, settings) if query else []
        if "{id}" in path:
            params.append(_path_id())
        paths[path] = {
            "get": {
                "operationId": op_id,
                "summary": summary,
                "parameters": params,
                "responses": _responses(success, errors),
            }
        }
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "gongkai",
            "version": "0.1.0",
            "description": "Questions, keyword search and contact lookup over "
            "政府信息公开工作年度报告 (government information-disclosure annual reports).",
        },
        "paths": paths,
        "components": {"schemas": defs.get("$defs", {})},
    }
