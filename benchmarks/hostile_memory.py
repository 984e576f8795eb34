"""Peak memory (RSS) and outcome of reading each hostile file, one fresh process per file.

    .venv/bin/python benchmarks/hostile_memory.py

Makes the files of issue 10 in a temporary folder (a Word cell with gridSpan 10^8, an HTML
table with rowspan 6000 x colspan 1000, a 1 GiB zip bomb, 100,000 nested blocks, a FIFO, a
page with stray bytes) and reads each with `read_document` in its own Python process, which
reports its peak RSS (``ru_maxrss``). A sample report gives the baseline. Prints a table.
"""

from __future__ import annotations

import io
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
import zipfile
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
SAMPLE = next((ROOT / "samples").glob("000_*.txt"))


def _docx(span: int = 1, padding: int = 0) -> bytes:
    """A Word file with one table cell spanning ``span`` columns, document.xml padded."""
    from docx import Document
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    document = Document()
    document.add_paragraph("行政复议")
    cell = document.add_table(rows=1, cols=1).cell(0, 0)
    grid_span = OxmlElement("w:gridSpan")
    grid_span.set(qn("w:val"), str(span))
    cell._tc.get_or_add_tcPr().append(grid_span)
    buffer = io.BytesIO()
    document.save(buffer)
    if not padding:
        return buffer.getvalue()
    source, out = zipfile.ZipFile(buffer), io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for member in source.infolist():
            if member.filename != "word/document.xml":
                archive.writestr(member, source.read(member))
                continue
            with archive.open(member.filename, "w", force_zip64=True) as part:
                part.write(source.read(member))
                for _ in range(padding >> 20):
                    part.write(b" " * (1 << 20))
    return out.getvalue()


def _cases(folder: Path) -> dict[str, Callable[[], Path]]:
    """Name -> a function that writes the hostile file and returns its path."""

    def write(name: str, data: bytes) -> Path:
        path = folder / name
        path.write_bytes(data)
        return path

    def fifo() -> Path:
        path = folder / "pipe.txt"
        os.mkfifo(path)
        return path

    rows = "<tr><td>1</td></tr>" * 5999
    spans = f'<p>行政复议</p><table><tr><td rowspan="6000" colspan="1000">x</td></tr>{rows}'
    deep = "<div>" * 100_000 + "<p>行政复议</p>" + "</div>" * 100_000
    text = SAMPLE.read_text(encoding="utf-8")
    return {
        "baseline: a sample report (.txt)": lambda: SAMPLE,
        "docx gridSpan = 10^8 (37 KB)": lambda: write("span.docx", _docx(span=10**8)),
        "html rowspan 6000 x colspan 1000": lambda: write("spans.html", spans.encode()),
        "docx zip bomb, document.xml 1 GiB": lambda: write("bomb.docx", _docx(padding=1 << 30)),
        "html 100,000 nested <div>": lambda: write("deep.html", deep.encode()),
        "FIFO named report.txt": fifo,
        "utf-8 page with a GBK footer": lambda: write(
            "mixed.txt", text.encode() + "技术支持：某某公司".encode("gbk")
        ),
    }


def _one(path: str) -> None:
    """Child: read one file, print the outcome, seconds and peak RSS as JSON."""
    from indexer.errors import IndexerError
    from indexer.parsing.read import read_document

    started = time.perf_counter()
    try:
        doc = read_document(Path(path))
        outcome = f"read: {len(doc.text)} chars, {len(doc.grids)} grids"
        if doc.replaced_bytes:
            outcome += f", {doc.replaced_bytes} bytes replaced"
    except IndexerError as exc:
        outcome = f"refused: {getattr(exc, 'reason', exc)}"
    seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
    print(json.dumps({"outcome": outcome, "seconds": seconds, "peak_mb": peak}))


def main() -> int:
    """Make each hostile file, read it in a fresh process, print a table."""
    if len(sys.argv) == 3 and sys.argv[1] == "--one":
        _one(sys.argv[2])
        return 0
    print("| file | size on disk | outcome | seconds | peak RSS |")
    print("| --- | --- | --- | --- | --- |")
    with tempfile.TemporaryDirectory() as tmp:
        for name, make in _cases(Path(tmp)).items():
            path = make()
            size = path.stat().st_size
            child = subprocess.run(
                [sys.executable, __file__, "--one", str(path)],
                capture_output=True, text=True, check=True, timeout=600,
            )  # fmt: skip
            row = json.loads(child.stdout)
            print(
                f"| {name} | {size / 1024:,.0f} KB | {row['outcome']} | "
                f"{row['seconds']:.2f} | {row['peak_mb']} MB |"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
