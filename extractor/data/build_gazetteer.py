"""Derive ``gazetteer.tsv.gz`` from underthesea's shipped pre/post-2025 admin mapping.

    python -m extractor.data.build_gazetteer          # rewrites extractor/data/gazetteer.tsv.gz

Source: ``underthesea/address/data/mapping.json`` (built by underthesea from vietnamadminunits):
63 provinces before the 1 July 2025 merger, 34 after, and every old ward with its old district and
its new ward. Output rows (tab-separated, UTF-8, gzipped; header first)::

    kind  key  name  short  code  parent  successor

``kind`` is ``province`` (before the merger), ``province2025`` (after), ``district`` (before; none
after), ``ward`` (before) or ``ward2025`` (after). ``key`` is unique per kind (``tinhhaugiang``,
``tinhhaugiang/huyenphunghiep``); ``parent`` is the key of the unit above; ``successor`` is the key
of the unit that took it over on 1 July 2025 (a province2025 or ward2025 key; for a district, the
province2025 its area went to). ``code`` is the GSO
province code (the source has no district or ward codes).
"""

from __future__ import annotations

import gzip
import json
from pathlib import Path

OUT = Path(__file__).with_name("gazetteer.tsv.gz")
HEADER = ("kind", "key", "name", "short", "code", "parent", "successor")


def _short(name: str) -> str:
    for prefix in ("Thành phố ", "Tỉnh ", "Huyện ", "Quận ", "Thị xã ", "Thị trấn ", "Phường ", "Xã ", "Đặc khu "):
        if name.startswith(prefix):
            return name[len(prefix) :]
    return name


def build(source: Path | None = None) -> list[tuple[str, ...]]:
    if source is None:
        import underthesea

        source = Path(underthesea.__file__).parent / "address" / "data" / "mapping.json"
    data = json.loads(source.read_text(encoding="utf-8"))
    rows: list[tuple[str, ...]] = []
    for key, info in sorted(data["old_province_names"].items()):
        rows.append(("province", key, info["name"], info["short"], info["code"], "", data["province_mapping"].get(key, "")))
    for key, info in sorted(data["province_names"].items()):
        rows.append(("province2025", key, info["name"], info["short"], info["code"], "", ""))
    districts: dict[str, tuple[str, ...]] = {}
    wards: dict[str, tuple[str, ...]] = {}
    new_wards: dict[str, tuple[str, ...]] = {}
    for rec in data["ward_mapping"]:
        prov = rec["old_province_key"]
        code = data["old_province_names"].get(prov, {}).get("code", "")
        if rec["old_district_key"] and rec["old_district"]:
            dkey = f"{prov}/{rec['old_district_key']}"
            districts.setdefault(
                dkey,
                ("district", dkey, rec["old_district"], _short(rec["old_district"]), code, prov, rec["new_province_key"]),
            )
        new_key = f"{rec['new_province_key']}/{rec['new_ward_key']}" if rec["new_ward_key"] else ""
        if rec["old_ward_key"] and rec["old_ward"]:
            wkey = f"{prov}/{rec['old_district_key']}/{rec['old_ward_key']}"
            if wkey not in wards or rec.get("is_default"):
                parent = f"{prov}/{rec['old_district_key']}"
                wards[wkey] = ("ward", wkey, rec["old_ward"], _short(rec["old_ward"]), code, parent, new_key)
        if new_key and rec["new_ward"]:
            ncode = data["province_names"].get(rec["new_province_key"], {}).get("code", "")
            new_wards.setdefault(
                new_key,
                ("ward2025", new_key, rec["new_ward"], _short(rec["new_ward"]), ncode, rec["new_province_key"], ""),
            )
    rows.extend(sorted(districts.values()))
    rows.extend(sorted(wards.values()))
    rows.extend(sorted(new_wards.values()))
    return rows


def write(rows: list[tuple[str, ...]], out: Path = OUT) -> None:
    with gzip.open(out, "wt", encoding="utf-8", compresslevel=9) as fh:
        fh.write("\t".join(HEADER) + "\n")
        for row in rows:
            fh.write("\t".join(row) + "\n")


if __name__ == "__main__":
    write(build())
