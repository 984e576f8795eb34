"""Split a normalised report text into its sections (preamble + the six numbered parts).

Headings are recognised by their words, not by their numerals alone (the applications table
has rows "三、本年度办理结果" and "四、结转下年度继续办理" that are not headings), and looked
for in order. The heading words and numbering prefixes are rule data (``rules/sections.toml``).

A page flattened onto one very long line (a crawler's dump) is cut into pieces before each
numbered heading inside it, so a section may start and end mid-line; its lines are still one
per source line, so ``start_line + i`` stays the source line of ``lines[i]``. The table readers
cut such lines further, before each table row (`split_long_line`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from indexer.parsing.document import Section
from indexer.parsing.needle import indices_holding
from indexer.rules import load_rules

__all__ = [
    "Heading",
    "classify_line",
    "find_headings",
    "is_report_like",
    "split_long_line",
    "split_sections",
]

# Ranks of a heading, most trusted first: a numbered or unnumbered heading line; a
# parenthesised numeral; a numbered heading run into its text with no separator left
# ("一、总体情况本年度…", once normalising has removed the space between them).
_MAIN, _SUB, _RUN_ON = 0, 1, 2


@dataclass(frozen=True)
class Heading:
    """A line that may open a section: where it is, which section, how it is numbered."""

    line: int  # 1-based line number in the normalised text
    key: str
    rank: int
    text: str
    run_in: bool = False  # the section's text goes on after the heading on the same line
    numbered: bool = False  # written with a main numbering prefix (一、 3. 第三部分)
    after: str = ""  # a run-in heading's line after the heading and its separator


@dataclass(frozen=True)
class _Rules:
    max_length: int
    run_in: re.Pattern[str]
    unnumbered_forbidden: re.Pattern[str]
    main: tuple[re.Pattern[str], ...]
    sub: tuple[re.Pattern[str], ...]
    sections: tuple[tuple[str, tuple[str, ...]], ...]
    markers: tuple[str, ...]
    footer: re.Pattern[str]
    any_word: re.Pattern[str]  # every heading word of every section, one alternation
    long_line: int  # a line this long may be a flattened page
    long_row_line: int  # a line this long may hold several table rows
    heading_cut: re.Pattern[str]  # a numbered heading inside a long line
    row_cut: re.Pattern[str]  # a table row's label inside a long line


@cache
def _rules() -> _Rules:
    raw = load_rules("sections")
    sections = tuple((s["key"], tuple(s["words"])) for s in raw["sections"])
    words = sorted({w for _key, ws in sections for w in ws}, key=len, reverse=True)
    any_word = "|".join(map(re.escape, words))
    long_lines = raw["long_lines"]
    return _Rules(
        max_length=int(raw["max_heading_length"]),
        run_in=re.compile(raw["run_in_separator"]),
        unnumbered_forbidden=re.compile(raw["unnumbered_forbidden"]),
        main=tuple(re.compile(p) for p in raw["prefixes"]["main"]),
        sub=tuple(re.compile(p) for p in raw["prefixes"]["sub"]),
        sections=sections,
        markers=tuple(raw["report_markers"]["words"]),
        footer=re.compile(raw["page_footer"]["pattern"]),
        any_word=re.compile(any_word),
        long_line=int(long_lines["min_length"]),
        long_row_line=int(long_lines["row_min_length"]),
        heading_cut=re.compile(rf"(?:{long_lines['heading_start']}) ?(?:{any_word})"),
        row_cut=re.compile("|".join(f"(?:{p})" for p in long_lines["row_starts"])),
    )


def _strip_prefix(compact: str) -> tuple[str, int, bool]:
    """Remove a numbering prefix; return the rest, the rank it implies and whether numbered."""
    rules = _rules()
    for pattern in rules.main:
        match = pattern.match(compact)
        if match:
            return compact[match.end() :], _MAIN, True
    for pattern in rules.sub:
        match = pattern.match(compact)
        if match:
            return compact[match.end() :], _SUB, False
    return compact, _MAIN, False


def _section_of(rest: str) -> tuple[str, str] | None:
    """The section whose heading word ``rest`` starts with, and that word (longest first)."""
    hits = [(len(w), key, w) for key, words in _rules().sections for w in words]
    best = max((h for h in hits if rest.startswith(h[2])), default=None)
    return (best[1], best[2]) if best else None


def _classify(line: str) -> tuple[Heading, str] | None:
    """The heading ``line`` reads as (line number 0) and the text after it, else None."""
    stripped = line.strip()
    rules = _rules()
    compact = stripped.replace(" ", "")
    if not stripped or "\t" in stripped or not rules.any_word.search(compact):
        return None
    rest, rank, numbered = _strip_prefix(compact)
    if rank == _MAIN and not numbered and rules.unnumbered_forbidden.search(rest):
        return None
    head, cut = rest, rules.run_in.search(rest)
    if cut and cut.end() < len(rest) and (numbered or len(rest) <= rules.max_length):
        head = rest[: cut.start()] if cut.start() <= rules.max_length else ""
    elif len(rest) > rules.max_length:
        if not numbered:
            return None
        head = ""
    found = _section_of(head)
    if found is None and head != rest and numbered:
        found, rank = _section_of(rest), _RUN_ON  # no separator left between heading and text
        head = found[1] if found else head
    if found is None or (head == rest and len(rest) > rules.max_length):
        return None
    prefix_length = len(compact) - len(rest)
    heading_length = prefix_length + len(head)
    cut_at = _position_after(stripped, heading_length)
    heading = Heading(0, found[0], rank, stripped[:cut_at].strip(), head != rest, numbered)
    return heading, stripped[cut_at:]


def _position_after(text: str, compact_length: int) -> int:
    """The index in ``text`` just after its first ``compact_length`` non-space characters."""
    seen = 0
    for index, char in enumerate(text):
        if seen == compact_length:
            return index
        seen += char != " "
    return len(text)


def classify_line(line: str) -> tuple[str, int, bool] | None:
    """Return (section key, rank, run-in) when ``line`` reads as a section heading, else None.

    A numbered heading may run into its first sentence ("一、总体情况。2023年…"): then only
    the part before the separator is the heading, and run-in is True.
    """
    hit = _classify(line)
    return (hit[0].key, hit[0].rank, hit[0].run_in) if hit else None


def find_headings(lines: list[str]) -> list[Heading]:
    """Every line that could be a section heading, in text order."""
    found = []
    # only a line holding a heading word (spaces aside) may be a heading (see `_classify`)
    compact = [line.replace(" ", "") for line in lines]
    worded = indices_holding((_rules().any_word.pattern,), compact)
    for index in range(len(lines)) if worded is None else worded:
        number, line = index + 1, lines[index]
        hit = _classify(line)
        if hit:
            h, after = hit
            after = _rules().run_in.sub("", after[:1]) + after[1:] if h.run_in else ""
            found.append(Heading(number, h.key, h.rank, h.text, h.run_in, h.numbered, after))
    return found


def _cut(line: str, shortest: int, rows: bool) -> list[str]:
    """A line at least ``shortest`` long cut around the headings (and before the table rows)
    inside it; a shorter line as it stands."""
    if len(line) < shortest:
        return [line]
    rules = _rules()
    cuts = {i for m in rules.heading_cut.finditer(line) for i in m.span()}
    if rows:
        cuts |= {m.start() for m in rules.row_cut.finditer(line)}
    ends = sorted(cuts - {0, len(line)})
    return [line[a:b] for a, b in zip([0, *ends], [*ends, len(line)], strict=True)]


def split_long_line(line: str) -> list[str]:
    """A flattened page's long line cut around each heading and before each table row in it.

    Joined together again the pieces are the line; a line of ordinary length is ``[line]``.
    """
    return _cut(line, _rules().long_row_line, rows=True)


def _pieces(lines: list[str]) -> list[tuple[int, str]]:
    """The lines as (source line number, text), long lines cut around the headings inside."""
    shortest = _rules().long_line
    pieces = (_cut(line, shortest, rows=False) for line in lines)
    return [(number, piece) for number, cut_line in enumerate(pieces, 1) for piece in cut_line]


def _line_of(pieces: list[tuple[int, str]], index: int) -> int:
    """The source line of the 1-based piece ``index`` (past the end: as if one piece a line)."""
    if index <= len(pieces):
        return pieces[index - 1][0]
    return (pieces[-1][0] if pieces else 0) + index - len(pieces)


def _joined(pieces: list[tuple[int, str]]) -> list[str]:
    """Pieces joined back into one text per source line, in order."""
    lines: list[str] = []
    last = None
    for number, text in pieces:
        if number == last:
            lines[-1] += text
        else:
            lines.append(text)
        last = number
    return lines


def _choose(candidates: list[Heading]) -> list[Heading]:
    """Pick one heading per section, in section order, each after the one before; then a
    numbered heading for each section still missing wherever it stands (sections out of the
    usual order), and return them in text order."""
    chosen: list[Heading] = []
    after = 0
    for key, _words in _rules().sections:
        later = [h for h in candidates if h.key == key and h.line > after]
        pick = min(later, key=lambda h: (h.rank, h.run_in, h.line), default=None)
        if pick is not None:
            chosen.append(pick)
            after = pick.line
    if chosen:
        taken = {h.key for h in chosen} | {h.line for h in chosen}
        for key, _words in _rules().sections:
            spare = [h for h in candidates if h.key == key and h.numbered and h.rank == _MAIN]
            spare = [h for h in spare if key not in taken and h.line not in taken]
            if spare and spare[0].line > chosen[0].line:
                chosen.append(spare[0])
                taken |= {key, spare[0].line}
    return sorted(chosen, key=lambda h: h.line)


def _footer_start(lines: list[str], after: int) -> int:
    """The line number where a web page's footer begins after line ``after`` (or past the end)."""
    footer = _rules().footer
    for number in range(after + 1, len(lines) + 1):
        if footer.search(lines[number - 1].strip().replace(" ", "")):
            return number
    return len(lines) + 1


def split_sections(text: str) -> dict[str, Section]:
    """Split normalised ``text`` into sections keyed by `SECTION_KEYS`; "preamble" is always there.

    A section's lines run from the line after its heading (from the heading's own line, less
    the heading, when the text runs on after the heading) to the line before the next heading;
    sections whose heading is not found are absent from the result. The last section ends where
    a web page's footer begins (主办单位, 版权所有, 相关链接 …): its contact lines are the
    site's, not the report's.
    """
    pieces = _pieces(text.split("\n"))
    texts = [piece for _, piece in pieces]
    chosen = _choose(find_headings(texts))
    first = chosen[0].line if chosen else len(texts) + 1
    result = {"preamble": Section("preamble", None, 1, _joined(pieces[: first - 1]))}
    last = _footer_start(texts, chosen[-1].line) - 1 if chosen else len(texts)
    for index, heading in enumerate(chosen):
        end = chosen[index + 1].line - 1 if index + 1 < len(chosen) else last
        start = heading.line if heading.run_in else heading.line + 1
        body = pieces[start - 1 : end]
        if heading.run_in:
            body[0] = (body[0][0], heading.after.strip())
        line = _line_of(pieces, start)
        result[heading.key] = Section(heading.key, heading.text, line, _joined(body))
    return result


def is_report_like(text: str, sections: dict[str, Section]) -> bool:
    """True when the text has a section heading or a label only disclosure reports carry."""
    if len(sections) > 1:
        return True
    compact = text.replace(" ", "")
    return any(marker in compact for marker in _rules().markers)
