"""Read the issuing body's contact details from the lines of a report.

A line is cut into labelled values: each label (``联系电话``, ``邮编``, ``传真`` …, rule data in
``rules/narrative.toml`` ``[contact]``) owns the text after it up to the next label or the end
of its clause. A value is then read with its field's pattern. Labels of numbers that are not
the body's own (``举报电话``, ``服务热线``) own their text too, so that it is never read.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import Any

from indexer.models import Contact, Provenance
from indexer.parsing.identity import Line
from indexer.parsing.needle import Rx, compile_guarded, gated_sub, required_runs
from indexer.parsing.page import is_address_chrome
from indexer.rules import load_rules

__all__ = ["labelled_values", "normalise_phone", "phones_in", "read_contact"]

_FIELDS = ("address", "postcode", "email", "website", "phones", "fax")  # provenance order


@dataclass(frozen=True)
class _Labels:
    pattern: re.Pattern[str]  # every label, longest first, with its colon
    field_of: dict[str, tuple[str, ...]]  # label → the fields its value fills


@cache
def _rules() -> dict[str, Any]:
    return load_rules("narrative")["contact"]


@cache
def _rx(pattern: str) -> Rx:
    return compile_guarded(pattern)


@cache
def _rewrites() -> tuple[Callable[[str], str], ...]:
    """The ``rewrites``, each as a function of a line's text (see `needle.gated_sub`)."""
    return tuple(gated_sub(pattern, replacement) for pattern, replacement in _rules()["rewrites"])


@cache
def _labels() -> _Labels:
    field_of: dict[str, tuple[str, ...]] = {}
    for entry in _rules()["labels"]:
        for label in entry["words"]:
            field_of[label] = tuple(entry["fields"])
    words = sorted(field_of, key=len, reverse=True)
    colons = "|".join([":", *_rules()["colon_words"]])
    pattern = re.compile(f"({'|'.join(map(re.escape, words))})\\s*({colons})?\\s*")
    return _Labels(pattern, field_of)


@cache
def _may_state() -> re.Pattern[str] | None:
    """Text that every line stating a contact value holds once rewritten: a label, or a run
    each e-mail or web address has (see `needle.required_runs`); ``None`` when an address
    pattern has no such run, and every line is read."""
    runs = set(_labels().field_of)
    for key in ("email", "website"):
        found = required_runs(_rules()[key])
        if not found:
            return None
        runs |= found
    return re.compile("|".join(map(re.escape, sorted(runs, key=len, reverse=True))))


def labelled_values(text: str) -> list[tuple[tuple[str, ...], str]]:
    """The labelled values of one line: (fields, value text) in order of appearance."""
    labels = _labels()
    hits = list(labels.pattern.finditer(text))
    out = []
    for index, hit in enumerate(hits):
        fields = labels.field_of[hit.group(1)]
        if not hit.group(2) and _needs_colon(hit.group(1), fields):
            continue
        end = hits[index + 1].start() if index + 1 < len(hits) else len(text)
        value = text[hit.end() : end]
        out.append((fields, _clause(value, fields)))
    return out


def _needs_colon(label: str, fields: tuple[str, ...]) -> bool:
    rules = _rules()
    clipped = label in rules["colon_required_words"]
    return clipped or bool(set(fields) & set(rules["colon_required"]))


def _clause(value: str, fields: tuple[str, ...]) -> str:
    """``value`` up to the end of its clause; a list of numbers runs on across commas."""
    rules = _rules()
    numbers = bool({"phones", "fax"} & set(fields))
    start = 0
    while clause := _rx(rules["clause_end"]).search(value, start):
        rest = value[clause.end() :]
        if not (numbers and clause.group(0) in rules["list_separators"]):
            return value[: clause.start()]
        if not _rx(rules["number_follows"]).match(rest):
            return value[: clause.start()]
        start = clause.end()
    return value


def normalise_phone(raw: str) -> str:
    """``0972—8390165`` / ``(0469) 6101183`` → ``0972-8390165``; mobiles stay bare digits."""
    parts = [p for p in _rx(_rules()["phone_separators"]).split(raw) if p]
    return "-".join(parts)


def phones_in(value: str) -> list[str]:
    """The phone numbers in a labelled value, normalised, with a bare local number that follows
    a number with an area code completed from it when it has the same length (``0469-6101183、
    6101184`` → ``0469-6101184``)."""
    out: list[str] = []
    for match in _rx(_rules()["phone"]).finditer(value):
        area, local, ext, mobile = match.group("area", "local", "ext", "mobile")
        local = local and local.replace(" ", "")
        if mobile:
            phone = mobile
        else:
            phone = normalise_phone(f"{area or ''}-{local}")
            if not area and out and _rules()["complete_area_code"]:
                previous = out[-1].split("转")[0].split("-")
                if len(previous) == 2 and len(previous[1]) == len(local):
                    phone = f"{previous[0]}-{local}"
            if ext:
                phone += f"转{ext}"
        if phone not in out:
            out.append(phone)
    return out


def _address(value: str) -> str | None:
    cut = _rx(_rules()["address_end"]).search(value)
    value = (value[: cut.start()] if cut else value).strip()
    return value or None


def _email(value: str | None, line: str) -> str | None:
    pattern = _rx(_rules()["email"])
    if value is not None:
        for wrong, right in _rules()["email_obfuscations"]:
            value = re.sub(wrong, right, value)
        match = pattern.search(value)
        if match:
            return match.group(0)
    match = pattern.search(line)
    return match.group(0) if match else None


def _website(value: str | None, line: str) -> str | None:
    """A labelled website, else an address the line names, unless the line is page chrome
    (the page's own address, a byline, a print bar: see `indexer.parsing.page`)."""
    match = _rx(_rules()["website"]).search(line) if value is None else None
    if (value is None and match is None) or is_address_chrome(line):
        return None  # no address at all, or the page's own
    if value is not None:
        match = _rx(_rules()["labelled_website"]).search(value)
        if match:
            return _rejoined(match.group(0), value[match.end() :])
    match = _rx(_rules()["website"]).search(line)
    return _rejoined(match.group(0), line[match.end() :]) if match else None


def _rejoined(url: str, rest: str) -> str:
    """``url`` with the piece a stray space cut off joined back (see ``url_cut``)."""
    cut = _rx(_rules()["url_cut"]).match(rest)
    if cut is None or not re.search("[A-Za-z]", cut.group(0)):
        return url
    piece = re.sub(r"\s+", "", cut.group(0))
    return url + piece if url.endswith("/") or piece.startswith((".", "/")) else url


def _read_line(text: str) -> dict[str, Any]:
    """Every contact value one line, rewritten, states (single values first found, numbers
    in a list)."""
    owned = labelled_values(text)
    if not owned and _states_nothing(text):
        return {"phones": [], "fax": []}
    found: dict[str, Any] = {"phones": [], "fax": []}
    labelled = _read_owned(owned, found)
    address = _address(labelled["address"]) if "address" in labelled else None
    email, website = _email(labelled.get("email"), text), _website(labelled.get("website"), text)
    found.update({k: v for k, v in (("address", address), ("email", email)) if v})
    if website:
        found["website"] = website
    if not found["phones"] and set(_rules()["unlabelled_phone_with"]) & set(found):
        found["phones"] = _unlabelled_phones(text, [value for _, value in owned])
    return found


def _read_owned(owned: list[tuple[tuple[str, ...], str]], found: dict[str, Any]) -> dict[str, str]:
    """Put the numbers and the postcode the labelled values state into ``found``; return the
    first value of each label of an address, e-mail or website, read with the whole line."""
    labelled: dict[str, str] = {}
    for fields, value in owned:
        for field in fields:
            if field in ("phones", "fax"):
                found[field] += [p for p in phones_in(value) if p not in found[field]]
            elif field == "fax_same_as_phone" and found["phones"]:
                if found["phones"][-1] not in found["fax"]:
                    found["fax"].append(found["phones"][-1])
            elif field == "postcode":
                match = _rx(_rules()["postcode"]).match(value.strip())
                if match and "postcode" not in found:
                    found["postcode"] = match.group(0)
            elif field in ("address", "email", "website"):
                labelled.setdefault(field, value)
    return labelled


def _states_nothing(text: str) -> bool:
    """Whether a line without labels states no contact value: no e-mail or web address (and
    so no number beside one)."""
    return not (
        _email(None, text)
        or _website(None, text)
        or {"phones", "fax"} & set(_rules()["unlabelled_phone_with"])
    )


def _unlabelled_phones(text: str, owned: list[str]) -> list[str]:
    """Numbers with an area code (or mobiles) in ``text`` that no label's value holds."""
    taken = "\n".join(owned)
    numbers = [m.group(0) for m in _rx(_rules()["unlabelled_phone"]).finditer(text)]
    return [phones_in(n)[0] for n in numbers if n not in taken and phones_in(n)]


def read_contact(lines: list[Line]) -> tuple[Contact, dict[str, Provenance]]:
    """The contact details stated in ``lines`` and the line each came from.

    An attachment list (its opening line and the numbered items after it) names other
    documents and their offices, and is passed over.
    """
    values: dict[str, Any] = {"phones": []}
    where: dict[str, Provenance] = {}
    start, item = _rx(_rules()["attachments_start"]), _rx(_rules()["attachments_item"])
    rewrites, may_state, listing = _rewrites(), _may_state(), False
    for number, text in lines:
        stripped = text.strip()
        listing = bool(start.match(stripped)) or (listing and bool(item.match(stripped)))
        if listing:
            continue
        rewritten = text
        for rewrite in rewrites:
            rewritten = rewrite(rewritten)
        if may_state is not None and not may_state.search(rewritten):
            continue  # most lines: no label, e-mail or web address
        for key, found in _read_line(rewritten).items():
            if key in ("phones", "fax"):
                new = [p for p in found if p not in values.get(key, [])]
                if new:
                    values[key] = values.get(key, []) + new
                    where.setdefault(f"contact.{key}", Provenance(line=number, text=stripped))
            elif key not in values:
                values[key] = found
                where[f"contact.{key}"] = Provenance(line=number, text=stripped)
    fax = values.pop("fax", [])
    ordered = {f"contact.{k}": where[f"contact.{k}"] for k in _FIELDS if f"contact.{k}" in where}
    return Contact(**values, fax=fax[0] if fax else None), ordered
