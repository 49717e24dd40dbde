"""The reference data, loaded by ``flask reference-data load``: countries, the whole map
(Vietnam's provinces and communes, today's and former ones; Laos' provinces and districts;
Guangxi's and Yunnan's cities and border counties: see ``gazetteer``) and the border gates.

Loading adds what is missing and fills empty names; running it twice changes nothing and it
never undoes an administrator's correction (``gazetteer.sync`` says exactly what it changes).
``update=True`` (``flask reference-data update``, after installing a newer package version)
also takes renamings and abolitions from the sources. Names that are best-effort renderings
are stored with ``names_reviewed = False`` so that the interface can mark them for review.

``scope="core"`` loads only the units the demo data needs (and their parents), for the test
suite's template database; the demo (``scripts/run``) and production load the whole map.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from sqlalchemy import select

from coordination.audit.operations import record
from coordination.directory.gazetteer.files import file_units
from coordination.directory.gazetteer.sync import SyncResult, sync_units
from coordination.directory.gazetteer.units import Unit
from coordination.directory.gazetteer.vietnam import package_versions, vietnam_units
from coordination.directory.models import BorderGate, Country
from coordination.extensions import db

# code, default locale, time zone, (vi, lo, zh, en)
COUNTRIES = [
    ("VN", "vi", "Asia/Ho_Chi_Minh", ("Việt Nam", "ຫວຽດນາມ", "越南", "Viet Nam")),
    ("LA", "lo", "Asia/Vientiane", ("Lào", "ລາວ", "老挝", "Laos")),
    ("CN", "zh", "Asia/Shanghai", ("Trung Quốc", "ຈີນ", "中国", "China")),
]

# code, Vietnamese side, partner side, (vi, lo, zh, en)
GATES = [
    ("LAOBAO-DENSAVANH", "QT", "SVK",
     ("Lao Bảo – Đen Xa Vẳn", "ລາວບາວ – ແດນສະຫວັນ", "老保 – 丹沙湾", "Lao Bao – Densavanh")),
    ("LALAY-LALAY", "QT", "SLV", ("La Lay – La Lay", "ລາໄລ – ລາໄລ", "拉赖 – 拉赖", "La Lay – La Lay")),
    ("HUUNGHI-YOUYIGUAN", "LS", "GX-PX",
     ("Hữu Nghị – Hữu Nghị Quan", "ຮືວຫງີ – ຢູ່ອີ້ກວານ", "友谊 – 友谊关", "Huu Nghi – Youyiguan")),
    ("TANTHANH-PUZHAI", "LS", "GX-PX",
     ("Tân Thanh – Pò Chài", "ເຕິນແທັງ – ພູ່ໃຊ້", "新清 – 浦寨", "Tan Thanh – Puzhai")),
    ("CHIMA-AIDIAN", "LS", "GX-CZ", ("Chi Ma – Ái Điếm", "ຈີມາ – ອ້າຍດຽນ", "峙马 – 爱店", "Chi Ma – Aidian")),
]  # fmt: skip


def _names(values: tuple[str, str, str, str]) -> dict[str, str]:
    return dict(zip(("name_vi", "name_lo", "name_zh", "name_en"), values, strict=True))


# The units the demo's offices and gates use: the core map of the test suite's template.
CORE = {"VN": {"QT", "LS"}, "LA": {"SVK", "SLV"}, "CN": {"GX", "GX-PX", "GX-CZ"}}
# And the home communes of the demo records (coordination.demo_records).
RECORDS = {**CORE, "VN": CORE["VN"] | {"QT-HP", "QT-LB", "LS-DD", "LS-TT", "VN-06172"}}
SCOPES = ("full", "core", "records")


@dataclass
class LoadReport:
    added: dict[str, int] = field(default_factory=dict)
    sync: SyncResult = field(default_factory=SyncResult)
    versions: dict[str, str] = field(default_factory=dict)
    seconds: float = 0.0

    def count(self, kind: str) -> None:
        self.added[kind] = self.added.get(kind, 0) + 1

    @property
    def changes(self) -> dict[str, int]:
        """What changed, by what: added rows by kind, then the other changes."""
        counts = {**self.added, **{f"areas: {k}": n for k, n in self.sync.added.items()}}
        for name, value in (
            ("renamed", len(self.sync.renamed)),
            ("abolished", len(self.sync.abolished)),
            ("restructured", len(self.sync.restructured)),
            ("names filled", self.sync.filled),
            ("successions", self.sync.successions),
        ):
            if value:
                counts[name] = value
        return counts

    @property
    def total(self) -> int:
        return sum(self.changes.values())


def map_units(scope: str = "full") -> list[Unit]:
    """Every unit of the sources in the order they are written (parents first)."""
    units = vietnam_units() + file_units("LA") + file_units("CN")
    if scope == "full":
        return units
    by_key = {(unit.country, unit.code): unit for unit in units}
    keep = set()
    for country, codes in (CORE if scope == "core" else RECORDS).items():
        for code in codes:
            unit = by_key[(country, code)]
            while unit is not None and (unit.country, unit.code) not in keep:
                keep.add((unit.country, unit.code))
                unit = by_key.get((unit.country, unit.parent)) if unit.parent else None
    return [unit for unit in units if (unit.country, unit.code) in keep]


def load_reference_data(*, scope: str = "full", update: bool = False) -> LoadReport:
    if scope not in SCOPES:
        raise ValueError(f"scope must be one of {SCOPES}")
    started = time.perf_counter()
    report = LoadReport(versions=package_versions())
    countries = {c.code: c for c in db.session.scalars(select(Country))}
    for code, locale, timezone, names in COUNTRIES:
        if code not in countries:
            countries[code] = Country(
                code=code, default_locale=locale, timezone=timezone, **_names(names)
            )
            db.session.add(countries[code])
            report.count("countries")
    db.session.flush()

    ids = sync_units(
        map_units(scope),
        {code: country.id for code, country in countries.items()},
        update=update and scope == "full",
        result=report.sync,
    )
    by_code = {code: area_id for (_country, code), area_id in ids.items()}

    existing_gates = set(db.session.scalars(select(BorderGate.code)))
    for code, vietnam_side, partner_side, names in GATES:
        if code not in existing_gates:
            db.session.add(
                BorderGate(
                    code=code,
                    vietnam_area_id=by_code[vietnam_side],
                    partner_area_id=by_code[partner_side],
                    names_reviewed=False,
                    **_names(names),
                )
            )
            report.count("border_gates")
    db.session.flush()
    report.seconds = time.perf_counter() - started
    if report.total:
        details = {**report.changes, "scope": scope, "versions": report.versions}
        if report.sync.renamed:
            details["renamed_codes"] = [code for code, _before, _after in report.sync.renamed][:200]
        if report.sync.abolished:
            details["abolished_codes"] = report.sync.abolished[:200]
        record("reference_data.update" if update else "reference_data.load", details=details)
    return report
