"""A small HTML builder for the server-rendered pages: every string is escaped unless it is
`Html` already, so report text can never become markup.

`tag("td", value)` escapes ``value``; `tag("td", Html("<b>x</b>"))` keeps it. Attributes are
escaped too (quotes included); `None` or `False` leaves an attribute out, `True` writes it bare.
"""

from __future__ import annotations

from collections.abc import Iterable
from html import escape
from typing import Union

Child = Union["Html", str, int, float, None, Iterable["Child"]]
_VOID = frozenset({"br", "hr", "img", "input", "link", "meta", "col"})


class Html(str):
    """Markup that is already safe: inserted as is, never escaped again."""

    __slots__ = ()


def esc(text: object) -> Html:
    """``text`` as safe markup: ``<``, ``>``, ``&`` and both quotes escaped."""
    return text if isinstance(text, Html) else Html(escape(str(text), quote=True))


def join(children: Iterable[Child]) -> Html:
    """The children as one piece of markup (strings escaped, None skipped, lists flattened)."""
    parts: list[str] = []
    for child in children:
        if child is None or child is False:
            continue
        if isinstance(child, (str, int, float)):
            parts.append(esc(child))
        else:
            parts.append(join(child))
    return Html("".join(parts))


def attrs(**values: object) -> Html:
    """Attributes as markup: ``class_`` is ``class``, ``aria_label`` is ``aria-label``."""
    out = []
    for key, value in values.items():
        if value is None or value is False:
            continue
        name = key.rstrip("_").replace("_", "-")
        out.append(f" {name}" if value is True else f' {name}="{esc(value)}"')
    return Html("".join(out))


def tag(element: str, /, *children: Child, **attributes: object) -> Html:
    """One element with escaped attributes and children."""
    if element in _VOID:
        return Html(f"<{element}{attrs(**attributes)}>")
    return Html(f"<{element}{attrs(**attributes)}>{join(children)}</{element}>")


def document(title: str, *body: Child, lang: str = "zh-CN", description: str = "") -> Html:
    """A whole page: the site's masthead and footer around ``body``, styles from /static/."""
    head = join(
        [
            Html('<meta charset="utf-8">'),
            tag("meta", name="viewport", content="width=device-width, initial-scale=1"),
            tag("meta", name="color-scheme", content="light dark"),
            tag("meta", name="description", content=description) if description else None,
            tag("title", title),
            tag("link", rel="icon", href="data:,"),
            tag("link", rel="stylesheet", href="/static/style.css"),
            tag("link", rel="stylesheet", href="/static/pages.css"),
        ]
    )
    return Html(
        f"<!doctype html>\n<html{attrs(lang=lang)}>\n<head>{head}</head>\n"
        f"<body>{_masthead()}{tag('main', *body, class_='wrap wide', id='main')}{_footer()}"
        "</body>\n</html>\n"
    )


def _masthead() -> Html:
    skip = tag("a", "跳到正文 Skip to content", href="#main", class_="skip")
    brand = tag(
        "div",
        tag("span", "公开", class_="seal", aria_hidden="true"),
        tag(
            "div",
            tag("p", tag("a", "政府信息公开年报问答", href="/"), class_="site"),
            tag(
                "nav",
                tag("a", "提问 Ask", href="/"),
                " · ",
                tag("a", "浏览报告 Browse", href="/reports"),
                class_="sitenav",
                aria_label="网站 site",
            ),
        ),
        class_="wrap wide brand",
    )
    return tag("header", skip, brand, class_="masthead slim")


def _footer() -> Html:
    links = tag(
        "span",
        tag("a", "报告列表", href="/reports"),
        " · ",
        tag("a", "API (OpenAPI)", href="/openapi.json"),
        class_="links",
    )
    return tag(
        "footer", tag("div", tag("span", "gongkai"), links, class_="wrap wide"), class_="footer"
    )


def error_page(status: int, message: str) -> Html:
    """A page saying what went wrong (the same words as the JSON error), with a way back."""
    heading = {404: "找不到这个页面", 400: "请求有误", 503: "索引尚未建立"}.get(status, "出错了")
    return document(
        f"{heading} — 政府信息公开年报问答",
        tag("h1", heading, " ", tag("span", f"({status})", class_="en")),
        tag("p", message, class_="error-message"),
        tag(
            "p",
            tag("a", "返回首页提问", href="/"),
            " · ",
            tag("a", "浏览全部报告", href="/reports"),
        ),
    )
