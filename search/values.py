"""The figures of the townships a question names: one metric, or several side by side.

"长生镇行政许可多少件" is answered with 长生镇's own figure, not a sum over one report;
"比较长胜乡和升昌镇" with the figures the rule data lists for an overview, for each.
A figure the report does not give is said so in words, never shown as 0.
"""

from __future__ import annotations

from search import render
from search.answer import Answer
from search.answers import (
    Corpus,
    make_answer,
    missing_line,
    page_of,
    result_of,
    scope_text,
)
from search.rules import load_rules
from search.understand import Question


def named(q: Question, corpus: Corpus, page: int, size: int, intent: str) -> Answer:
    """The metric of each township named in the question, or that its report gives none."""
    assert q.metric is not None
    w = render.words(q.lang)
    valued = [(r, corpus.figure(q.metric, r)) for r in corpus.scoped(q)]
    missing = sum(1 for _, v in valued if v is None)
    results = [result_of(r, value=v) for r, v in page_of(valued, page, size)]
    label = q.metric.label_zh if q.lang == "zh" else q.metric.label_en
    extra: dict[str, object] = {"missing": missing}
    if len(valued) == 1:
        only = results[0] if results else result_of(valued[0][0], value=valued[0][1])
        value = render.value_text(only.value, q.metric, q.lang)
        text = w["value_of"].format(name=render.label(only, q.lang), label=label, value=value)
        extra["value"] = only.value
        return make_answer(q, intent, text, results, 1, page=page, page_size=size, extra=extra)
    if not valued:
        text = w["no_report"].format(names="、".join(q.townships), scope=scope_text(q))
        return make_answer(q, intent, text, [], 0, extra=extra)
    lines = [w["values"].format(label=render.capital(label, q.lang), scope=scope_text(q))]
    lines += render.result_lines(results, len(valued), q.metric, q.lang, (page - 1) * size)
    lines += missing_line(q, missing)
    return make_answer(
        q, intent, "\n".join(lines), results, len(valued), page=page, page_size=size, extra=extra
    )


def overview(q: Question, corpus: Corpus, page: int, size: int) -> Answer:
    """Several figures of each report in scope, side by side (the metrics named in the rules)."""
    assert q.overview is not None
    by_key = {m.key: m for m in load_rules().metrics}
    metrics = [by_key[k] for k in q.overview.metrics]
    found = corpus.scoped(q)
    w = render.words(q.lang)
    figures = {r.id: {m.key: corpus.figure(m, r) for m in metrics} for r in found}
    results = [result_of(r) for r in page_of(found, page, size)]
    if not found:
        text = w["no_report"].format(names="、".join(q.townships), scope=scope_text(q))
        return make_answer(q, "filter", text, [], 0, extra={"figures": {}})
    plural = "" if len(found) == 1 else "s"
    lines = [w["figures"].format(scope=scope_text(q), n=len(found), s=plural)]
    for result in results:
        parts = [
            f"{m.label_zh if q.lang == 'zh' else m.label_en} "
            + render.value_text(figures[result.report_id][m.key], m, q.lang, short=True)
            for m in metrics
        ]
        lines.append(f"· {render.label(result, q.lang)}{w['colon']}" + w["sep"].join(parts))
    after = len(found) - (page - 1) * size - len(results)
    if after > 0:
        lines.append(w["more"].format(n=after))
    return make_answer(
        q,
        "filter",
        "\n".join(lines),
        results,
        len(found),
        page=page,
        page_size=size,
        extra={"figures": {r.report_id: figures[r.report_id] for r in results}},
    )
