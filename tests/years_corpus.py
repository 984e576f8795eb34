"""A multi-year, multi-county corpus of our own making, built from the bundled samples.

Most reports are the 集贤县升昌镇 sample (``004``, tab-separated tables) with its county,
township and years changed, its figures for 行政许可, 行政处罚 and applications set (the
application table kept consistent: new = granted = total processed), and a signature date
added where the report has a publication date. 长胜乡 (``000``) and 长生镇 (``003``) are their
samples with the years changed; 幸福乡 (``002``) is its sample as it is.

What the corpus holds, and so what the questions over it must answer:

- 集贤县 lists 8 townships; 2023: 升昌镇 福利镇 集贤镇 太平镇 腰屯乡 (5 of 8, missing 丰乐镇
  兴安乡 永安乡); 2022: 升昌镇 福利镇 集贤镇 丰乐镇 (4 of 8).
- 岭东区 lists 7; 2023: 长胜乡 中山街道 北山街道 (3 of 7).
- 2023 penalties: 长生镇 19, 福利镇 12, 升昌镇 2, 中山街道 1, 腰屯乡 1, the other 5 at 0.
- Applications 2022 → 2023: 集贤镇 0 → 5, 升昌镇 2 → 6, 福利镇 3 → 3, 北山街道 2 → 0.
- 2023 reports published after 31 January 2024: 集贤镇 (15 days), 太平镇 (30), 北山街道 (62);
  no known date: 腰屯乡, 长胜乡, 长生镇, 幸福乡. 2022: 福利镇 late by 10 days.
- 腰屯乡 2023 does not add up (3 new applications, none processed); the 长胜乡 sample has
  failed checks of its own (table rows the parser does not find).
"""

from __future__ import annotations

from pathlib import Path
from typing import NamedTuple

from indexer.indexing.build import run_index

SAMPLES = Path(__file__).resolve().parent.parent / "samples"


class Made(NamedTuple):
    """One report made from the 升昌镇 sample."""

    county: str
    township: str
    year: int
    penalties: int = 0
    licensing: int = 0
    applications: int = 0
    published: str | None = None  # the signature date, as written (2024年1月20日)
    adds_up: bool = True


MADE: tuple[Made, ...] = (
    Made("集贤县", "升昌镇", 2021, 3, 0, 1, "2022年1月20日"),
    Made("集贤县", "升昌镇", 2022, 5, 2, 2, "2023年1月18日"),
    Made("集贤县", "升昌镇", 2023, 2, 1, 6, "2024年1月20日"),
    Made("集贤县", "福利镇", 2021, 8, 5, 4, "2022年1月28日"),
    Made("集贤县", "福利镇", 2022, 7, 5, 3, "2023年2月10日"),
    Made("集贤县", "福利镇", 2023, 12, 4, 3, "2024年1月31日"),
    Made("集贤县", "集贤镇", 2022, 0, 0, 0, None),
    Made("集贤县", "集贤镇", 2023, 0, 3, 5, "2024年2月15日"),
    Made("集贤县", "丰乐镇", 2022, 4, 0, 1, "2023年1月5日"),
    Made("集贤县", "太平镇", 2023, 0, 0, 0, "2024年3月1日"),
    Made("集贤县", "腰屯乡", 2023, 1, 0, 3, None, adds_up=False),
    Made("岭东区", "中山街道", 2023, 1, 0, 0, "2024年1月10日"),
    Made("岭东区", "北山街道", 2022, 0, 0, 2, "2023年1月30日"),
    Made("岭东区", "北山街道", 2023, 0, 0, 0, "2024年4月2日"),
)
# Samples with only their years changed: (file prefix, year).
RENUMBERED: tuple[tuple[str, int], ...] = (
    ("000", 2022),
    ("000", 2023),
    ("003", 2022),
    ("003", 2023),
)
AS_IS: tuple[str, ...] = ("002",)

_NEW = "一、\t本年新收政府信息公开申请数量\t0\t0\t0\t0\t0\t0\t0\t"
_GRANTED = "三、本年度 办理结果\t(一) 予以公开\t0\t0\t0\t0\t0\t0\t0\t"
_TOTAL = "(七) 总计\t0\t0\t0\t0\t0\t0\t0\t"
_PROSE = "全年共收到0件政府信息公开依申请公开，受理0件"


def _sample(prefix: str) -> str:
    (path,) = SAMPLES.glob(f"{prefix}_*.txt")
    return path.read_text(encoding="utf-8")


def _years(text: str, year: int) -> str:
    """The text with its report year (2023) and the year after it (2024) moved to ``year``."""
    return text.replace("2024", "\0").replace("2023", str(year)).replace("\0", str(year + 1))


def _replace(text: str, old: str, new: str) -> str:
    assert old in text, f"the sample no longer holds {old!r}"
    return text.replace(old, new)


def made_text(made: Made) -> str:
    """The 升昌镇 sample turned into ``made``'s report."""
    text = _years(_sample("004"), made.year)
    n = made.applications
    text = _replace(text, "行政许可\t0\t\t", f"行政许可\t{made.licensing}\t\t")
    text = _replace(text, "行政处罚\t0\t\t", f"行政处罚\t{made.penalties}\t\t")
    text = _replace(text, _NEW, _NEW.replace("\t0\t0\t0\t0\t0\t0\t0", f"\t{n}\t0\t0\t0\t0\t0\t{n}"))
    text = _replace(text, _PROSE, _PROSE.replace("0", str(n)))
    if made.adds_up:
        for row in (_GRANTED, _TOTAL):
            text = _replace(
                text, row, row.replace("\t0\t0\t0\t0\t0\t0\t0", f"\t{n}\t0\t0\t0\t0\t0\t{n}")
            )
    text = text.replace("集贤县升昌镇", made.county + made.township)
    text = text.replace("升昌镇", made.township).replace("集贤县", made.county)
    if made.published:
        text = text.rstrip() + f"\n\n{made.county}{made.township}人民政府\n{made.published}\n"
    return text


def write_corpus(folder: Path) -> Path:
    """Write every report of the corpus as a .txt file in ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    for made in MADE:
        name = f"{made.county}_{made.township}_{made.year}.txt"
        (folder / name).write_text(made_text(made), encoding="utf-8")
    for prefix, year in RENUMBERED:
        (folder / f"sample{prefix}_{year}.txt").write_text(
            _years(_sample(prefix), year), encoding="utf-8"
        )
    for prefix in AS_IS:
        (folder / f"sample{prefix}.txt").write_text(_sample(prefix), encoding="utf-8")
    return folder


def build_years_index(workdir: Path) -> Path:
    """Write the corpus under ``workdir`` and index it with the real index run."""
    folder = write_corpus(workdir / "reports")
    index_dir = workdir / "index"
    summary = run_index([folder], index_dir, progress=False)
    assert summary.indexed == len(MADE) + len(RENUMBERED) + len(AS_IS), summary.describe()
    return index_dir
