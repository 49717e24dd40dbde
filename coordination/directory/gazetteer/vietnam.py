"""Vietnam: today's units from ``vietnam-provinces``, the former ones from ``vietnamadminunits``.

Current units (since the reform of 1 July 2025): 34 provinces and centrally-run cities
(kind "province") and their 3,321 communes, wards and special zones (kind "commune", the
province as parent: there is no district level any more). Codes are the official (GSO)
ones, "VN-44", "VN-19441", except for the rows the directory held before the whole map
(QT, LS and the demo communes), which keep theirs.

Former units (abolished on 2025-07-01), kept because people still write them: the 63
provinces that were merged or renamed ("VN-OLD-45", successor: the province they joined;
a province that stayed whole under its name is one row, current) and the 696 districts
("VN-OLD-464", under their former province; successors: the communes made from their
communes). Names in Vietnamese from the packages, English without diacritics; Lao and
Chinese names of the 34 provinces from data/vietnam_provinces.tsv, of a few communes and
former units from data/vietnam_names.tsv (best efforts, to review), none for the others.
"""

from __future__ import annotations

import importlib.metadata
import importlib.util
import json
import sqlite3
from collections import defaultdict
from dataclasses import replace
from datetime import date
from pathlib import Path

from coordination.directory.gazetteer.units import Unit, ascii_name, read_table

REFORM = date(2025, 7, 1)
# Rows of the directory from before the whole map: official code -> their code.
PROVINCE_CODES = {"44": "QT", "20": "LS"}
COMMUNE_CODES = {"19441": "QT-HP", "19432": "QT-LB", "06184": "LS-DD"}
# The demo's "Tân Thanh" (Văn Lãng) was merged in 2025: a former commune, kept.
FORMER_COMMUNES = {"06166": "LS-TT"}
PACKAGES = ("vietnam-provinces", "vietnamadminunits")


def package_versions() -> dict[str, str]:
    return {name: importlib.metadata.version(name) for name in PACKAGES}


def _data_folder(package: str) -> Path:
    # The package's data files only: importing vietnamadminunits would load its geocoder.
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError(f"The package {package} is not installed.")
    return Path(next(iter(spec.submodule_search_locations))) / "data"


def _key(name: str) -> str:
    """The conversion table's key of a name: "Xã Hướng Phùng" → "xahuongphung"."""
    return "".join(c for c in ascii_name(name).lower() if c.isascii() and c.isalnum())


def _current_code(official: str) -> str:
    return PROVINCE_CODES.get(official) or COMMUNE_CODES.get(official) or f"VN-{official}"


def _former_code(official: str) -> str:
    return FORMER_COMMUNES.get(official) or f"VN-OLD-{official}"


_TYPES = ("Thành phố", "Tỉnh", "Đặc khu", "Phường", "Xã", "Quận", "Huyện", "Thị xã", "Thị trấn")


def _short(name: str) -> str:
    for prefix in sorted(_TYPES, key=len, reverse=True):
        if name.startswith(prefix + " "):
            return name[len(prefix) + 1 :]
    return name


def _names(vi: str, en: str, lo: str = "", zh: str = "") -> dict[str, str]:
    return {"vi": vi, "lo": lo, "zh": zh, "en": en}


def vietnam_units() -> list[Unit]:
    provinces_json = _data_folder("vietnam_provinces") / "nested-divisions.json"
    current = json.loads(provinces_json.read_text(encoding="utf-8"))
    extra = {row["gso"]: row for row in read_table("vietnam_provinces.tsv")}
    units: list[Unit] = []
    # (province code, key of the commune's name) -> our code, to read the conversion table
    commune_by_key: dict[tuple[str, str], str] = {}
    province_short: dict[str, str] = {}
    for province in current:
        official = f"{province['code']:02d}"
        short = _short(province["name"])
        province_short[official] = short
        row = extra.get(official, {})
        units.append(
            Unit(
                "VN",
                _current_code(official),
                "province",
                None,
                _names(short, ascii_name(short), row.get("name_lo", ""), row.get("name_zh", "")),
                reviewed=row.get("reviewed") == "yes",
            )
        )
        for ward in province["wards"]:
            code = _current_code(f"{ward['code']:05d}")
            commune_by_key[(official, _key(ward["name"]))] = code
            commune_by_key.setdefault((official, _key(_short(ward["name"]))), code)
            units.append(
                Unit(
                    "VN",
                    code,
                    "commune",
                    _current_code(official),
                    _names(ward["name"], ascii_name(_short(ward["name"]))),
                )
            )
    units.extend(_former_units(province_short, commune_by_key))
    known = {row["code"]: row for row in read_table("vietnam_names.tsv")}
    return [
        replace(unit, names={**unit.names, "lo": known[unit.code]["name_lo"],
                             "zh": known[unit.code]["name_zh"]})
        if unit.code in known else unit
        for unit in units
    ]  # fmt: skip


def _former_units(province_short, commune_by_key) -> list[Unit]:
    folder = _data_folder("vietnamadminunits")
    table = json.loads((folder / "converter_2025.json").read_text(encoding="utf-8"))
    with sqlite3.connect(f"file:{folder / 'dataset.db'}?mode=ro", uri=True) as connection:
        new_provinces = dict(
            connection.execute("SELECT DISTINCT provinceKey, provinceCode FROM admin_units")
        )
        new_wards = {
            (province, ward_key): ward
            for province, ward_key, ward in connection.execute(
                "SELECT provinceCode, wardKey, ward FROM admin_units"
            )
        }
        legacy = connection.execute(
            "SELECT provinceKey, provinceCode, provinceShort, districtKey, districtCode,"
            " district, districtShort, wardKey, wardCode, ward, wardShort FROM admin_units_legacy"
            " ORDER BY provinceCode, districtCode, wardCode"
        ).fetchall()

    # Old ward "province_district_ward" key -> the current communes holding its territory.
    old_to_new: dict[str, set[str]] = defaultdict(set)

    def commune(province: str, ward_key: str) -> str:
        name = new_wards.get((province, ward_key), ward_key)
        return commune_by_key[(province, _key(name))]

    for new_key, wards in table["DICT_PROVINCE_WARD_NO_DIVIDED"].items():
        province = new_provinces[new_key]
        for ward_key, olds in wards.items():
            for old in olds:
                old_to_new[old].add(commune(province, ward_key))
    for new_key, olds in table["DICT_PROVINCE_WARD_DIVIDED"].items():
        province = new_provinces[new_key]
        for old, parts in olds.items():
            for part in parts:
                old_to_new[old].add(commune(province, part["newWardKey"]))
    # Old province code -> today's province code.
    province_successor: dict[str, str] = {}
    old_codes = {row[0]: row[1] for row in legacy}
    for new_key, olds in table["DICT_PROVINCE"].items():
        for old in olds:
            province_successor[old_codes[old]] = new_provinces[new_key]

    units: list[Unit] = []
    seen_provinces: set[str] = set()
    districts: dict[str, dict] = {}
    for (p_key, p_code, p_short, d_key, d_code, d_name, d_short,
         w_key, w_code, w_name, w_short) in legacy:  # fmt: skip
        successor = province_successor[p_code]
        whole = successor == p_code and province_short[successor] == p_short
        if p_code not in seen_provinces:
            seen_provinces.add(p_code)
            if not whole:  # a province that stayed whole under its name is today's row
                units.append(
                    Unit(
                        "VN",
                        _former_code(p_code),
                        "province",
                        None,
                        _names(p_short, ascii_name(p_short)),
                        abolished_on=REFORM,
                        successors=(_current_code(successor),),
                    )
                )
        parent = _current_code(p_code) if whole else _former_code(p_code)
        district = districts.setdefault(
            d_code,
            {"parent": parent, "name": d_name, "short": d_short, "communes": [], "former": []},
        )
        made_into = old_to_new.get(f"{p_key}_{d_key}_{w_key}", set())
        if not w_key:  # island districts have no communes: today's special zone of its name
            island = commune_by_key.get((successor, _key(d_short)))
            made_into = {island} if island else set()
        district["communes"].extend(sorted(made_into - set(district["communes"])))
        if w_code in FORMER_COMMUNES:
            district["former"].append((w_code, w_name, w_short, tuple(sorted(made_into))))
    for d_code, district in districts.items():
        units.append(
            Unit(
                "VN",
                _former_code(d_code),
                "district",
                district["parent"],
                _names(district["name"], ascii_name(district["short"])),
                abolished_on=REFORM,
                successors=tuple(district["communes"]),
            )
        )
        for w_code, w_name, w_short, made_into in district["former"]:
            units.append(
                Unit(
                    "VN",
                    _former_code(w_code),
                    "commune",
                    _former_code(d_code),
                    _names(w_name, ascii_name(w_short)),
                    abolished_on=REFORM,
                    successors=made_into,
                )
            )
    return units
