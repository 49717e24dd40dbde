"""Demo offices, partnerships and users on both sides of both borders (``flask demo-data load``).

Idempotent like the reference data: what exists is left alone. Every demo account shares
DEMO_PASSWORD, which the command prints; never load this into a production database.
"""

from __future__ import annotations

from sqlalchemy import select

from coordination.auth.models import User
from coordination.auth.operations import create_user
from coordination.directory.models import AdministrativeArea, Office
from coordination.directory.operations import create_office, create_partnership, find_partnership
from coordination.directory.reference_data import LoadReport, load_reference_data
from coordination.extensions import db

DEMO_PASSWORD = "border-demo-2026"  # noqa: S105 - printed on purpose, demo only

# code, kind, area code, (vi, lo, zh, en)
OFFICES = [
    ("QT-BLO", "border_liaison_office", "QT",
     ("Văn phòng liên lạc biên giới Quảng Trị", "ຫ້ອງການປະສານງານຊາຍແດນ ກວາງຈີ",
      "广治边境联络办公室", "Quang Tri Border Liaison Office")),
    ("QT-PC", "provincial_police", "QT",
     ("Công an tỉnh Quảng Trị", "ຕຳຫຼວດແຂວງກວາງຈີ", "广治省公安", "Quang Tri Provincial Police")),
    ("QT-BGS-LB", "border_guard_station", "QT",
     ("Đồn Biên phòng cửa khẩu quốc tế Lao Bảo", "ປ້ອມທະຫານປ້ອງກັນຊາຍແດນ ດ່ານລາວບາວ",
      "老保国际口岸边防站", "Lao Bao Border Guard Station")),
    ("QT-SPC", "social_protection_centre", "QT",
     ("Trung tâm bảo trợ xã hội tỉnh Quảng Trị", "ສູນປົກປ້ອງສັງຄົມ ແຂວງກວາງຈີ",
      "广治省社会保护中心", "Quang Tri Social Protection Centre")),
    ("QT-SC", "steering_committee_office", "QT",
     ("Văn phòng thường trực Ban chỉ đạo 138 tỉnh Quảng Trị", "ຫ້ອງການປະຈຳຄະນະຊີ້ນຳ 138 ແຂວງກວາງຈີ",
      "广治省138指导委员会常设办公室", "Quang Tri Steering Committee 138 Standing Office")),
    ("LS-BLO", "border_liaison_office", "LS",
     ("Văn phòng liên lạc biên giới Lạng Sơn", "ຫ້ອງການປະສານງານຊາຍແດນ ລາງເຊີນ",
      "谅山边境联络办公室", "Lang Son Border Liaison Office")),
    ("LS-PC", "provincial_police", "LS",
     ("Công an tỉnh Lạng Sơn", "ຕຳຫຼວດແຂວງລາງເຊີນ", "谅山省公安", "Lang Son Provincial Police")),
    ("LS-BGS-HN", "border_guard_station", "LS",
     ("Đồn Biên phòng cửa khẩu quốc tế Hữu Nghị", "ປ້ອມທະຫານປ້ອງກັນຊາຍແດນ ດ່ານຮືວຫງີ",
      "友谊国际口岸边防站", "Huu Nghi Border Guard Station")),
    ("LS-SPC", "social_protection_centre", "LS",
     ("Trung tâm bảo trợ xã hội tỉnh Lạng Sơn", "ສູນປົກປ້ອງສັງຄົມ ແຂວງລາງເຊີນ",
      "谅山省社会保护中心", "Lang Son Social Protection Centre")),
    ("LS-SH", "shelter", "LS",
     ("Nhà tạm lánh Ngôi nhà Bình yên", "ເຮືອນພັກເຊົາຊົ່ວຄາວ ເຮືອນສັນຕິສຸກ",
      "“平安之家”临时庇护所", "Peace House Shelter")),
    ("LS-SC", "steering_committee_office", "LS",
     ("Văn phòng thường trực Ban chỉ đạo 138 tỉnh Lạng Sơn", "ຫ້ອງການປະຈຳຄະນະຊີ້ນຳ 138 ແຂວງລາງເຊີນ",
      "谅山省138指导委员会常设办公室", "Lang Son Steering Committee 138 Standing Office")),
    ("SVK-BLO", "border_liaison_office", "SVK",
     ("Văn phòng liên lạc biên giới Savannakhet", "ຫ້ອງການປະສານງານຊາຍແດນ ແຂວງສະຫວັນນະເຂດ",
      "沙湾拿吉边境联络办公室", "Savannakhet Border Liaison Office")),
    ("SVK-PC", "provincial_police", "SVK",
     ("Công an tỉnh Savannakhet", "ກອງບັນຊາການປ້ອງກັນຄວາມສະຫງົບ ແຂວງສະຫວັນນະເຂດ",
      "沙湾拿吉省公安厅", "Savannakhet Provincial Police")),
    ("SVK-BGS-DSV", "border_guard_station", "SVK",
     ("Trạm kiểm soát biên giới Đen Xa Vẳn", "ດ່ານກວດກາຊາຍແດນ ແດນສະຫວັນ",
      "丹沙湾边境检查站", "Densavanh Border Checkpoint")),
    ("SVK-SPC", "social_protection_centre", "SVK",
     ("Trung tâm bảo trợ xã hội tỉnh Savannakhet", "ສູນປົກປ້ອງສັງຄົມ ແຂວງສະຫວັນນະເຂດ",
      "沙湾拿吉省社会保护中心", "Savannakhet Social Protection Centre")),
    ("SLV-BLO", "border_liaison_office", "SLV",
     ("Văn phòng liên lạc biên giới Salavan", "ຫ້ອງການປະສານງານຊາຍແດນ ແຂວງສາລະວັນ",
      "沙拉湾边境联络办公室", "Salavan Border Liaison Office")),
    ("GX-PD", "provincial_police", "GX",
     ("Công an Khu tự trị Quảng Tây", "ກົມຕຳຫຼວດ ເຂດປົກຄອງຕົນເອງກວາງຊີ",
      "广西壮族自治区公安厅", "Guangxi Public Security Department")),
    ("PX-BLO", "border_liaison_office", "GX-PX",
     ("Văn phòng liên lạc biên giới Bằng Tường", "ຫ້ອງການປະສານງານຊາຍແດນ ເມືອງຜິງຊຽງ",
      "凭祥边境联络办公室", "Pingxiang Border Liaison Office")),
    ("PX-BGS", "border_guard_station", "GX-PX",
     ("Trạm kiểm tra biên phòng Hữu Nghị Quan", "ດ່ານກວດກາຊາຍແດນ ຢູ່ອີ້ກວານ",
      "友谊关边防检查站", "Youyiguan Border Inspection Station")),
    ("CZ-BLO", "border_liaison_office", "GX-CZ",
     ("Văn phòng liên lạc biên giới Sùng Tả", "ຫ້ອງການປະສານງານຊາຍແດນ ເມືອງຊົງຊໍ່",
      "崇左边境联络办公室", "Chongzuo Border Liaison Office")),
]  # fmt: skip

# office, office, working languages, reply deadline days (verification, information,
# rescue assistance, handover proposal)
PARTNERSHIPS = [
    ("QT-BLO", "SVK-BLO", ["vi", "lo"], (15, 10, 3, 7)),
    ("QT-BLO", "SLV-BLO", ["vi", "lo"], (15, 10, 3, 7)),
    ("QT-BGS-LB", "SVK-BGS-DSV", ["vi", "lo"], (10, 7, 2, 5)),
    ("LS-BLO", "PX-BLO", ["vi", "zh"], (15, 10, 3, 7)),
    ("LS-BLO", "CZ-BLO", ["vi", "zh"], (15, 10, 3, 7)),
    ("LS-BLO", "GX-PD", ["vi", "zh"], (20, 15, 5, 10)),
    ("QT-BLO", "QT-SPC", ["vi"], (5, 5, 2, 3)),
    ("LS-BLO", "LS-SPC", ["vi"], (5, 5, 2, 3)),
    ("LS-BGS-HN", "PX-BGS", ["vi", "zh"], (10, 7, 2, 5)),
    ("SVK-BLO", "SVK-SPC", ["lo"], (5, 5, 2, 3)),
]

# user name, full name as written, office, roles, locale, time zone
USERS = [
    ("admin", "Quản trị hệ thống", "QT-SC", ["admin"], "en", "Asia/Ho_Chi_Minh"),
    ("qt.liaison", "Nguyễn Văn An", "QT-BLO", ["liaison_officer"], "vi", "Asia/Ho_Chi_Minh"),
    ("qt.guard", "Trần Văn Bình", "QT-BGS-LB", ["border_guard"], "vi", "Asia/Ho_Chi_Minh"),
    ("qt.social", "Lê Thị Cúc", "QT-SPC", ["social_worker"], "vi", "Asia/Ho_Chi_Minh"),
    ("qt.supervisor", "Phạm Minh Đức", "QT-SC", ["supervisor"], "vi", "Asia/Ho_Chi_Minh"),
    ("ls.liaison", "Hoàng Thị Hoa", "LS-BLO", ["liaison_officer"], "vi", "Asia/Ho_Chi_Minh"),
    ("ls.guard", "Vũ Văn Hải", "LS-BGS-HN", ["border_guard"], "vi", "Asia/Ho_Chi_Minh"),
    ("ls.social", "Đặng Thị Lan", "LS-SPC", ["social_worker"], "vi", "Asia/Ho_Chi_Minh"),
    ("ls.shelter", "Bùi Thị Mai", "LS-SH", ["social_worker"], "vi", "Asia/Ho_Chi_Minh"),
    ("ls.supervisor", "Ngô Quang Minh", "LS-SC", ["supervisor"], "vi", "Asia/Ho_Chi_Minh"),
    ("svk.liaison", "ສົມສັກ ພົມມະຈັນ", "SVK-BLO", ["liaison_officer"], "lo", "Asia/Vientiane"),
    ("svk.guard", "ບຸນມີ ແກ້ວວົງສາ", "SVK-BGS-DSV", ["border_guard"], "lo", "Asia/Vientiane"),
    ("svk.social", "ມະນີວອນ ສີສຸວັນ", "SVK-SPC", ["social_worker"], "lo", "Asia/Vientiane"),
    ("svk.supervisor", "ວິໄລພອນ ຈັນທະລາ", "SVK-PC", ["supervisor"], "lo", "Asia/Vientiane"),
    ("slv.liaison", "ຄຳພອນ ສີຫາລາດ", "SLV-BLO", ["liaison_officer"], "lo", "Asia/Vientiane"),
    ("px.liaison", "李明", "PX-BLO", ["liaison_officer"], "zh", "Asia/Shanghai"),
    ("px.guard", "张伟", "PX-BGS", ["border_guard"], "zh", "Asia/Shanghai"),
    ("cz.liaison", "黄丽", "CZ-BLO", ["liaison_officer"], "zh", "Asia/Shanghai"),
    ("gx.police", "王强", "GX-PD", ["liaison_officer"], "zh", "Asia/Shanghai"),
]


def _names(values):
    return dict(zip(("name_vi", "name_lo", "name_zh", "name_en"), values, strict=True))


def load_demo_data(scope: str = "full") -> LoadReport:
    """Reference data, offices, partnerships and users. ``scope``: the map to load; the test
    suite's template database asks for the "core" units only (the whole map is tested apart,
    in tests/directory/test_map.py)."""
    report = load_reference_data(scope=scope)
    areas = {a.code: a for a in db.session.scalars(select(AdministrativeArea))}
    offices = {o.code: o for o in db.session.scalars(select(Office))}
    for code, kind, area_code, names in OFFICES:
        if code not in offices:
            data = {"code": code, "kind": kind, "area_id": areas[area_code].id, "active": True}
            offices[code] = create_office({**data, **_names(names)}, actor=None)
            report.count("offices")
    for first, second, languages, days in PARTNERSHIPS:
        if find_partnership(offices[first].id, offices[second].id) is None:
            data = {
                "office_a_id": offices[first].id,
                "office_b_id": offices[second].id,
                "working_languages": languages,
                "active": True,
                "deadline_identity_verification": days[0],
                "deadline_information": days[1],
                "deadline_rescue_assistance": days[2],
                "deadline_handover_proposal": days[3],
            }
            create_partnership(data, actor=None)
            report.count("partnerships")
    existing_users = set(db.session.scalars(select(User.username)))
    for username, full_name, office_code, roles, locale, timezone in USERS:
        if username not in existing_users:
            data = {
                "username": username,
                "full_name": full_name,
                "office_id": offices[office_code].id,
                "roles": roles,
                "locale": locale,
                "timezone": timezone,
                "password": DEMO_PASSWORD,
            }
            create_user(data, actor=None)
            report.count("users")
    db.session.flush()
    return report
