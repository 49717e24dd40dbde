"""The reference data of DESIGN.md section 6, loaded by ``flask reference-data load``.

Loading inserts what is missing and leaves existing rows alone, so running it twice changes
nothing and never undoes an administrator's correction. Names that are best-effort
renderings (Lao and Chinese spellings of Vietnamese places, Lao spellings of Chinese ones)
are stored with ``names_reviewed = False`` so that the interface can mark them for review.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select

from coordination.audit.operations import record
from coordination.directory.models import AdministrativeArea, BorderGate, Country
from coordination.extensions import db

# code, default locale, time zone, (vi, lo, zh, en)
COUNTRIES = [
    ("VN", "vi", "Asia/Ho_Chi_Minh", ("Việt Nam", "ຫວຽດນາມ", "越南", "Viet Nam")),
    ("LA", "lo", "Asia/Vientiane", ("Lào", "ລາວ", "老挝", "Laos")),
    ("CN", "zh", "Asia/Shanghai", ("Trung Quốc", "ຈີນ", "中国", "China")),
]

# code, country, kind, parent code, (vi, lo, zh, en), reviewed
AREAS = [
    ("QT", "VN", "province", None, ("Quảng Trị", "ແຂວງກວາງຈີ", "广治省", "Quang Tri"), False),
    ("LS", "VN", "province", None, ("Lạng Sơn", "ແຂວງລາງເຊີນ", "谅山省", "Lang Son"), False),
    ("SVK", "LA", "province", None,
     ("Savannakhet", "ແຂວງສະຫວັນນະເຂດ", "沙湾拿吉省", "Savannakhet"), True),
    ("SLV", "LA", "province", None, ("Salavan", "ແຂວງສາລະວັນ", "沙拉湾省", "Salavan"), True),
    ("GX", "CN", "region", None,
     ("Khu tự trị dân tộc Choang Quảng Tây", "ເຂດປົກຄອງຕົນເອງຊົນເຜົ່າຈ້ວງ ກວາງຊີ",
      "广西壮族自治区", "Guangxi Zhuang Autonomous Region"), True),
    ("GX-PX", "CN", "city", "GX", ("Bằng Tường", "ເມືອງຜິງຊຽງ", "凭祥市", "Pingxiang"), False),
    ("GX-CZ", "CN", "city", "GX", ("Sùng Tả", "ເມືອງຊົງຊໍ່", "崇左市", "Chongzuo"), False),
]  # fmt: skip

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


@dataclass
class LoadReport:
    added: dict[str, int] = field(default_factory=dict)

    def count(self, kind: str) -> None:
        self.added[kind] = self.added.get(kind, 0) + 1

    @property
    def total(self) -> int:
        return sum(self.added.values())


def load_reference_data() -> LoadReport:
    report = LoadReport()
    countries = {c.code: c for c in db.session.scalars(select(Country))}
    for code, locale, timezone, names in COUNTRIES:
        if code not in countries:
            countries[code] = Country(
                code=code, default_locale=locale, timezone=timezone, **_names(names)
            )
            db.session.add(countries[code])
            report.count("countries")
    db.session.flush()

    areas = {(a.country_id, a.code): a for a in db.session.scalars(select(AdministrativeArea))}
    by_code: dict[str, AdministrativeArea] = {}
    for code, country_code, kind, parent_code, names, reviewed in AREAS:
        country = countries[country_code]
        area = areas.get((country.id, code))
        if area is None:
            area = AdministrativeArea(
                country=country,
                code=code,
                kind=kind,
                parent=by_code.get(parent_code),
                names_reviewed=reviewed,
                **_names(names),
            )
            db.session.add(area)
            report.count("areas")
        by_code[code] = area
    db.session.flush()

    existing_gates = set(db.session.scalars(select(BorderGate.code)))
    for code, vietnam_side, partner_side, names in GATES:
        if code not in existing_gates:
            db.session.add(
                BorderGate(
                    code=code,
                    vietnam_area=by_code[vietnam_side],
                    partner_area=by_code[partner_side],
                    names_reviewed=False,
                    **_names(names),
                )
            )
            report.count("border_gates")
    db.session.flush()
    if report.total:
        record("reference_data.load", details=report.added)
    return report
