"""Benchmark of candidate retrieval for identity verification: recall and latency at volume.

How to run (from the repository root):

    .venv/bin/python bench/matching_bench.py --sizes 10000,100000,1000000 [--queries 540]
        [--pg postgresql+psycopg://coordination@127.0.0.1:54359/coordination_test]
        [--brute all,90,27] [--seed 20261122] [--keep] [--workdir /tmp/matching-bench]

Sizes 10,000 and 100,000 take a minute or two. 1,000,000 takes about 10 minutes per database
on 2 cores (1 minute to load, the rest is the 1M-record brute force; ``--brute all,90,0``
skips it) and about 1.5 GB of memory. A private PostgreSQL server for ``--pg``:
``PGTEST_DIR=/tmp/matching-pg PGTEST_PORT=54359 scripts/pg-test-server start`` prints its
URL (``... scripts/pg-test-server stop`` afterwards). The bench creates the database
``matching_bench`` on that server (``--pg-database``); the one in the URL is not touched.

For each size N it builds a fresh SQLite file in a temporary directory (and the PostgreSQL
database) through the app's real migrations and demo data, bulk-loads N generated
missing-person reports and their ``name_keys`` (``blocking_keys``; DB-API executemany on
SQLite, COPY on PostgreSQL, the name_keys indexes made after), then asks the register about
noisy renderings of some of those people, as a partner office would write them:

* ``system``: ``coordination.matching.queries.candidates_for`` (``candidate_ids`` on the
  name index, then ``rank``), as the request page calls it, for a real liaison user of the
  register's country (qt.liaison; svk.liaison for the Lao register);
* ``exact``: exact match on normalised names (the comparable forms, tokens sorted), from a
  dictionary in memory, ranked by ``rank``;
* ``brute``: ``rank`` over every record the user may see (the first ``--brute`` queries).

It prints recall@1 and @5 (the true record among the first 1 or 5 proposed) and p50/p95
latency per method; recall@5 per rendering category, with the share of true records the
index retrieved at all (the most ranking can reach); the system's time per phase; build
times and sizes; how the Lao renderer and the Chinese characters are read back.

"Resolvable" queries are those whose true record has fewer than 5 namesakes (same name once
folded, same sex and home commune, born within 2 years): no method can single out the others
from what the partner knows.

Categories (the partner's rendering of a Vietnamese name, unless said otherwise):
``vi-diacritics`` as written; ``vi-wrong`` wrong diacritics; ``vi-plain`` no diacritics;
``swapped`` given name first; ``typo`` one letter inserted, deleted or replaced;
``lao`` Lao script written by ear (``lao_syllable`` below); ``han`` Chinese characters
(simplified, a fifth traditional); ``pinyin`` their pinyin, the given name in one word or
syllable by syllable; ``lo-name`` a Lao person's name (asked of the Lao register) in another
romanisation or in Lao script. Every query gives an age (true age ±2 years) instead of the
birth date, the sex (5% "unknown"), half of them the home province, and the home commune as
the partner writes it (``place_rendering``: in the script of the name, "xã" or ບ້ານ or 乡 or
nothing around it, a quarter of the Latin ones with a letter wrong). The register has
COMMUNES_PER_PROVINCE communes per province, named from a few dozen syllables as Vietnamese
communes are, so that one name recurs in many provinces. ``system, no place`` asks the same
queries without the commune: what the place adds.

Results: bench/MATCHING_RESULTS.md; findings: bench/FINDINGS.md.
"""

from __future__ import annotations

import argparse
import gc
import os
import platform
import random
import re
import resource
import shutil
import sys
import tempfile
import time
import unicodedata
from bisect import bisect
from collections import defaultdict
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from functools import cache
from itertools import accumulate
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from exchange_bench import SETTINGS, create_empty, percentile, table  # noqa: E402
from flask_migrate import upgrade  # noqa: E402
from pypinyin import Style, lazy_pinyin  # noqa: E402
from rapidfuzz import fuzz  # noqa: E402
from sqlalchemy import select, text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

from coordination import create_app  # noqa: E402
from coordination.auth.models import User  # noqa: E402
from coordination.core.text import search_key  # noqa: E402
from coordination.demo_data import load_demo_data  # noqa: E402
from coordination.directory.models import AdministrativeArea, Country, Office  # noqa: E402
from coordination.extensions import db  # noqa: E402
from coordination.matching import index as matching_index  # noqa: E402
from coordination.matching import names as matching_names  # noqa: E402
from coordination.matching import places as matching_places  # noqa: E402
from coordination.matching import queries as matching_queries  # noqa: E402
from coordination.matching import scoring as matching_scoring  # noqa: E402
from coordination.matching.lao import lao_to_latin  # noqa: E402
from coordination.matching.names import comparable_forms, fold, sound_key  # noqa: E402

TODAY = date.today()
CATEGORIES = [
    "vi-diacritics",
    "vi-wrong",
    "vi-plain",
    "swapped",
    "typo",
    "lao",
    "han",
    "pinyin",
    "lo-name",
    # What cost the first place (issue 11, part 7): the register holds a second record that
    # the rendering alone cannot tell from the true one but by the rule each case needs.
    "namesake",
    "lao-sound",
    "order",
    "merged",
    "pinyin-common",
]
# Given names whose pinyin the first table did not read back (checked against the 300
# commonest name syllables), with the character a Chinese officer writes; Lò as a surname.
HARD_PINYIN = [
    ("Duyên", "缘緣"),
    ("Lăng", "凌"),
    ("Vũ", "宇"),
    ("Diễm", "艳艷"),
    ("Thơ", "诗詩"),
    ("Hân", "欣"),
    ("Cẩm", "锦錦"),
    ("Băng", "冰"),
    ("Lam", "蓝藍"),
    ("Hiên", "轩軒"),
]
HARD_SURNAMES = [("Lò", "卢盧"), ("Vũ", "武"), ("Lăng", "凌")]
HARD = {"namesake", "lao-sound", "order", "merged", "pinyin-common"}
# How the home commune is written in the hard categories (in the script of the name).
PLACE_STYLE = {
    "namesake": "vi-diacritics",
    "lao-sound": "lao",
    "order": "vi-plain",
    "merged": "typo",
    "pinyin-common": "pinyin",
}

# --- Vietnamese names -----------------------------------------------------------------------
# Each syllable with the Chinese character a Chinese officer would write for it (simplified,
# then traditional where it differs). Surname shares are per thousand people (the usual
# published figures: Nguyễn 38%, Trần 12%, Lê 9.5%, …); Thị and Văn are the middle names of
# about 40% of women and men; first names are drawn with Zipf weights (exponent 0.5) in the
# order listed, most common first (the commonest, Hương: about 5% of women). At 1,000,000
# records one shares its exact name with ~330 others on average (Nguyễn Thị Hương: ~6,000).

# fmt: off
SURNAMES = [
    ("Nguyễn", "阮", 384), ("Trần", "陈陳", 121), ("Lê", "黎", 95), ("Phạm", "范", 70),
    ("Hoàng", "黄黃", 30), ("Huỳnh", "黄黃", 21), ("Phan", "潘", 45), ("Vũ", "武", 22),
    ("Võ", "武", 17), ("Đặng", "邓鄧", 21), ("Bùi", "裴", 20), ("Đỗ", "杜", 14),
    ("Hồ", "胡", 13), ("Ngô", "吴吳", 13), ("Dương", "杨楊", 10), ("Lý", "李", 5), ("Đào", "陶", 4),
    ("Đoàn", "段", 4), ("Vương", "王", 3), ("Trịnh", "郑鄭", 4), ("Trương", "张張", 3),
    ("Lâm", "林", 3), ("Phùng", "冯馮", 2), ("Mai", "梅", 2), ("Tô", "苏蘇", 2), ("Hà", "何", 3),
    ("Tạ", "谢謝", 2), ("Lương", "梁", 3), ("Cao", "高", 2), ("Đinh", "丁", 3), ("Lưu", "刘劉", 2),
    ("Quách", "郭", 1), ("Thái", "蔡", 1), ("Châu", "周", 1), ("Kiều", "乔喬", 1),
    ("Lò", "罗羅", 2), ("Lục", "陆陸", 1), ("Nông", "农農", 2), ("Triệu", "赵趙", 2),
    ("Vi", "韦韋", 1), ("Hứa", "许許", 1), ("Chu", "朱", 1), ("Mạc", "莫", 1),
]
MIDDLE = {
    "female": [
        ("Thị", "氏", 200), ("Ngọc", "玉", 30), ("Thu", "秋", 25), ("Thanh", "清", 20),
        ("Thùy", "垂", 15), ("Kim", "金", 15), ("Hồng", "红紅", 15), ("Phương", "芳", 15),
        ("Mỹ", "美", 10), ("Bảo", "宝寶", 10), ("Khánh", "庆慶", 8), ("Minh", "明", 8),
        ("Diệu", "妙", 5), ("Hải", "海", 5), ("Quỳnh", "琼瓊", 5), ("Tuyết", "雪", 4),
        ("Xuân", "春", 8), ("Hoài", "怀懷", 4), ("Bích", "碧", 4), ("Như", "如", 4),
        ("Cẩm", "锦錦", 3), ("Ánh", "映", 3), ("Hà", "河", 3), ("Vân", "云雲", 3),
        ("Lan", "兰蘭", 3), ("Mai", "梅", 3), ("Thảo", "草", 3), ("Hoàng", "黄黃", 3),
        ("Diễm", "艳艷", 2),
    ],
    "male": [
        ("Văn", "文", 250), ("Đức", "德", 40), ("Hữu", "有", 35), ("Minh", "明", 35),
        ("Quốc", "国國", 25), ("Công", "公", 25), ("Xuân", "春", 20), ("Thanh", "清", 20),
        ("Ngọc", "玉", 15), ("Tuấn", "俊", 10), ("Hoàng", "黄黃", 12), ("Đình", "廷", 20),
        ("Trọng", "仲", 12), ("Quang", "光", 18), ("Bá", "伯", 10), ("Mạnh", "孟", 10),
        ("Anh", "英", 10), ("Gia", "嘉", 10), ("Thành", "成", 10), ("Duy", "维維", 10),
        ("Tiến", "进進", 6), ("Hồng", "红紅", 5), ("Kim", "金", 5), ("Đăng", "登", 5),
        ("Huy", "辉輝", 5), ("Nhật", "日", 5), ("Trung", "忠", 5), ("Thế", "世", 8),
        ("Viết", "曰", 6), ("Khắc", "克", 4),
    ],
}
GIVEN = {
    "female": [
        ("Hương", "香"), ("Lan", "兰蘭"), ("Mai", "梅"), ("Anh", "英"), ("Thu", "秋"), ("Hà", "河"),
        ("Linh", "玲"), ("Trang", "妆妝"), ("Hằng", "姮"), ("Ngọc", "玉"), ("Hoa", "花"),
        ("Thảo", "草"), ("Huyền", "玄"), ("Nga", "娥"), ("Nhung", "绒絨"), ("Phương", "芳"),
        ("Thủy", "水"), ("Hạnh", "幸"), ("Yến", "燕"), ("Dung", "蓉"), ("Hiền", "贤賢"),
        ("Hồng", "红紅"), ("Loan", "鸾鸞"), ("Liên", "莲蓮"), ("Tuyết", "雪"), ("Vân", "云雲"),
        ("Nhàn", "闲閑"), ("Oanh", "莺鶯"), ("Quỳnh", "琼瓊"), ("Chi", "芝"), ("Giang", "江"),
        ("Hậu", "厚"), ("Nhi", "儿兒"), ("Ly", "璃"), ("My", "眉"), ("Vy", "薇"), ("Trâm", "簪"),
        ("Thơ", "诗詩"), ("Thúy", "翠"), ("Xuân", "春"), ("Diệp", "叶葉"), ("Châu", "珠"),
        ("Cúc", "菊"), ("Đào", "桃"), ("Ngân", "银銀"), ("Kiều", "娇嬌"), ("Tâm", "心"),
        ("Thanh", "青"), ("Bích", "碧"), ("Duyên", "缘緣"), ("Lệ", "丽麗"), ("Diễm", "艳艷"),
        ("Hoài", "怀懷"), ("Nguyệt", "月"), ("Quyên", "娟"), ("Trinh", "贞貞"), ("Uyên", "鸳鴛"),
        ("Ánh", "映"), ("Tiên", "仙"), ("Hiên", "轩軒"), ("Phượng", "凤鳳"), ("Thoa", "钗釵"),
        ("Thư", "书書"), ("Hân", "欣"), ("Trúc", "竹"), ("Lam", "蓝藍"), ("Băng", "冰"),
        ("Nhiên", "然"), ("Ý", "意"), ("Huệ", "蕙"), ("Nhã", "雅"), ("Sương", "霜"), ("Cầm", "琴"),
        ("Khuê", "奎"), ("Hạ", "夏"), ("Thục", "淑"), ("Tịnh", "静靜"),
    ],
    "male": [
        ("Hùng", "雄"), ("Minh", "明"), ("Dũng", "勇"), ("Tuấn", "俊"), ("Nam", "南"),
        ("Hải", "海"),
        ("Long", "龙龍"), ("Sơn", "山"), ("Thắng", "胜勝"), ("Cường", "强強"), ("Trung", "忠"),
        ("Hiếu", "孝"), ("Hoàng", "黄黃"), ("Huy", "辉輝"), ("Khánh", "庆慶"), ("Phong", "丰豐"),
        ("Quang", "光"), ("Thành", "成"), ("Tùng", "松"), ("Việt", "越"), ("Vinh", "荣榮"),
        ("Bình", "平"), ("Đức", "德"), ("Hòa", "和"), ("An", "安"), ("Phúc", "福"), ("Tài", "才"),
        ("Toàn", "全"), ("Tú", "秀"), ("Lâm", "林"), ("Kiên", "坚堅"), ("Hưng", "兴興"),
        ("Thịnh", "盛"), ("Tâm", "心"), ("Tiến", "进進"), ("Quân", "军軍"), ("Hậu", "厚"),
        ("Lợi", "利"), ("Nghĩa", "义義"), ("Thuận", "顺順"), ("Đạt", "达達"), ("Tín", "信"),
        ("Lực", "力"), ("Chiến", "战戰"), ("Duy", "维維"), ("Hiệp", "协協"), ("Khoa", "科"),
        ("Phát", "发發"), ("Thái", "泰"), ("Trí", "智"), ("Vũ", "宇"), ("Bảo", "宝寶"),
        ("Công", "功"),
        ("Danh", "名"), ("Định", "定"), ("Hào", "豪"), ("Khải", "凯凱"), ("Mạnh", "孟"),
        ("Nhân", "仁"), ("Phú", "富"), ("Quyết", "决決"), ("Hiển", "显顯"), ("Khang", "康"),
        ("Lộc", "禄祿"), ("Thiện", "善"), ("Tuệ", "慧"), ("Cảnh", "景"), ("Đông", "东東"),
        ("Thông", "聪聰"), ("Hợp", "合"), ("Thạch", "石"), ("Kỳ", "奇"), ("Luân", "伦倫"),
        ("Nguyên", "元"), ("Khôi", "魁"), ("Sĩ", "士"), ("Hội", "会會"), ("Tấn", "晋晉"),
        ("Tường", "祥"), ("Ninh", "宁寧"),
    ],
}
# Vietnamese provinces people of the register come from (codes of rows the bench adds), the
# two of the reference data first; Lao provinces for the Lao register.
VN_PROVINCES = ["QT", "LS", "B-HG", "B-CB", "B-LC", "B-DB", "B-SL", "B-TH", "B-NA", "B-HT",
                "B-QB", "B-TTH", "B-QNA", "B-KT", "B-GL", "B-DL", "B-AG", "B-DT", "B-BG",
                "B-HB", "B-YB", "B-TQ", "B-LCH", "B-HN", "B-HP"]
LA_PROVINCES = ["SVK", "SLV", "B-VT", "B-LP", "B-CPS", "B-KM", "B-BLK", "B-XK"]
VN_OFFICES = [("QT-BLO", 30), ("LS-BLO", 30), ("QT-PC", 10), ("LS-PC", 10), ("QT-BGS-LB", 5),
              ("LS-BGS-HN", 5), ("QT-SPC", 5), ("LS-SPC", 5)]
LA_OFFICES = [("SVK-BLO", 50), ("SLV-BLO", 30), ("SVK-PC", 20)]

# Lao names: syllables in Lao script with their usual (French-style) romanisation.
LO_GIVEN_FIRST = [("ສົມ", "Som"), ("ບຸນ", "Boun"), ("ຄຳ", "Kham"), ("ແສງ", "Seng"),
                  ("ພອນ", "Phone"), ("ທອງ", "Thong"), ("ສີ", "Si"), ("ວັນ", "Van"),
                  ("ບົວ", "Boua"), ("ມະນີ", "Many"), ("ວິໄລ", "Vilay"), ("ຈັນ", "Chanh"),
                  ("ແກ້ວ", "Keo"), ("ນ້ອຍ", "Noy"), ("ເພັດ", "Phet"), ("ມາລີ", "Maly")]
LO_GIVEN_SECOND = [("ສັກ", "sak"), ("ມີ", "my"), ("ພອນ", "phone"), ("ໄຊ", "xay"),
                   ("ຈັນ", "chanh"), ("ສຸກ", "souk"), ("ດີ", "dy"), ("ລາ", "la"),
                   ("ພັນ", "phanh"), ("ວົງ", "vong"), ("ວັນ", "vanh"), ("ທອງ", "thong"),
                   ("ສອນ", "sone"), ("ແກ້ວ", "keo"), ("ໃຈ", "chay"), ("", "")]
LO_SURNAME_SYLLABLES = [
    ("ພົມ", "Phom"), ("ມະ", "ma"), ("ຈັນ", "chanh"), ("ແກ້ວ", "Keo"), ("ວົງ", "vong"), ("ສາ", "sa"),
    ("ສີ", "Si"), ("ຫາ", "ha"), ("ລາດ", "lath"), ("ອິນ", "In"), ("ທະ", "tha"), ("ສຸ", "Sou"),
    ("ລິ", "li"), ("ຍະ", "ya"), ("ແສງ", "Seng"), ("ພິມ", "Phim"), ("ສອນ", "sone"), ("ໄຊ", "Xay"),
    ("ສຸວັນ", "souvanh"), ("ບຸນ", "Boun"), ("ທອງ", "Thong"), ("ຄຳ", "Kham"), ("ພັນ", "phanh"),
    ("ດາລາ", "dala"), ("ວິໄລ", "vilay"), ("ນະ", "na"), ("ພອນ", "phone"), ("ເພັດ", "Phet"),
    ("ຫຼວງ", "Luang"), ("ປັນຍາ", "panya"), ("ສຸກ", "souk"), ("ລັດ", "lat"), ("ຈະເລີນ", "chaleun"),
]
# Home communes: Vietnamese commune names are two Sino-Vietnamese syllables, most from a few
# dozen (Tân, An, Phú, Long …), so one name recurs across provinces ("Tân Long"); Lao
# village names (ບ້ານ …) two Lao syllables. COMMUNES_PER_PROVINCE of each, per province (after
# the 2025 reform Vietnam has 34 provinces and 3,321 communes: about 100 per province).
PLACE_SYLLABLES = [
    ("Tân", "新"), ("An", "安"), ("Phú", "富"), ("Long", "龙龍"), ("Hòa", "和"), ("Bình", "平"),
    ("Thành", "成"), ("Hưng", "兴興"), ("Phước", "福"), ("Thạnh", "盛"), ("Đông", "东東"),
    ("Tây", "西"), ("Nam", "南"), ("Bắc", "北"), ("Trung", "中"), ("Sơn", "山"), ("Hải", "海"),
    ("Lộc", "禄祿"), ("Thọ", "寿壽"), ("Xuân", "春"), ("Mỹ", "美"), ("Đức", "德"), ("Quang", "光"),
    ("Minh", "明"), ("Hiệp", "协協"), ("Thuận", "顺順"), ("Vĩnh", "永"), ("Hà", "河"),
    ("Thanh", "清"), ("Lạc", "乐樂"), ("Gia", "嘉"), ("Lợi", "利"), ("Phong", "丰豐"),
    ("Cẩm", "锦錦"), ("Khánh", "庆慶"), ("Hợp", "合"), ("Lâm", "林"), ("Hội", "会會"),
    ("Kim", "金"), ("Ngọc", "玉"), ("Thượng", "上"), ("Hạ", "下"), ("Đại", "大"), ("Tiến", "进進"),
    ("Quảng", "广廣"), ("Định", "定"), ("Lập", "立"), ("Thắng", "胜勝"), ("Lương", "良"),
    ("Điền", "田"), ("Cát", "吉"), ("Thủy", "水"), ("Hồng", "红紅"), ("Vân", "云雲"),
    ("Châu", "州"), ("Nghĩa", "义義"), ("Tường", "祥"), ("Cường", "强強"), ("Hướng", "向"),
    ("Phùng", "逢"),
]
COMMUNES_PER_PROVINCE = 100
COMMUNE_BY_CODE: dict = {}  # code → Commune, filled by generate_people
# fmt: on


def _zipf(items, exponent=0.9):
    return [(*item, 1 / (rank + 1) ** exponent) for rank, item in enumerate(items)]


class Weighted:
    """Seeded weighted choice with precomputed cumulative weights (fast at a million draws)."""

    def __init__(self, items, weight=lambda item: item[-1]):
        self.items = list(items)
        self.cumulative = list(accumulate(weight(item) for item in self.items))

    def __call__(self, rng: random.Random):
        return self.items[bisect(self.cumulative, rng.random() * self.cumulative[-1])]


SURNAME_DRAW = Weighted(SURNAMES)
MIDDLE_DRAW = {sex: Weighted(items) for sex, items in MIDDLE.items()}
SECOND_MIDDLE_DRAW = {
    sex: Weighted([item for item in items if item[0] not in ("Thị", "Văn")])
    for sex, items in MIDDLE.items()
}
GIVEN_DRAW = {sex: Weighted(_zipf(items, 0.5)) for sex, items in GIVEN.items()}
LO_SURNAMES = [
    (first[0] + second[0], first[1].capitalize() + second[1].lower())
    for first in LO_SURNAME_SYLLABLES
    for second in LO_SURNAME_SYLLABLES
    if first != second
]
random.Random(7).shuffle(LO_SURNAMES)
LO_SURNAME_DRAW = Weighted(_zipf(LO_SURNAMES, 0.6))
HAN_OF = {}  # syllable -> "simplified[traditional]"
for _table in (SURNAMES, *MIDDLE.values(), *GIVEN.values()):
    for _item in _table:
        HAN_OF.setdefault(_item[0], _item[1])
PLACE_HAN = dict(PLACE_SYLLABLES)


# --- Generated people -----------------------------------------------------------------------


@dataclass(slots=True)
class Record:
    """A missing-person report as the benchmark knows it (the truth behind the queries)."""

    id: int
    nationality: str  # VN | LA
    surname: str
    middle: list[str]
    given: str
    sex: str
    born: date
    date_of_birth: date | None
    estimated_age: int | None
    province: str  # code of an administrative area
    commune: str  # code of the home commune (a village for Lao people)
    office: str  # code of the office that keeps the report
    missing_since: date
    name_as_written: str
    name_romanised: str | None
    lao_given: tuple[str, str] = ("", "")  # (Lao script, romanised) for Lao names
    lao_surname: tuple[str, str] = ("", "")

    @property
    def home_province_id(self) -> str:  # what rank() compares; codes serve in memory
        return self.province

    @property
    def home_commune_id(self) -> str:
        return self.commune

    photo_id = None


@dataclass(frozen=True)
class Commune:
    code: str
    province: str
    names: dict  # name_vi, name_lo, name_zh, name_en (as the directory has them)
    syllables: tuple[str, ...]  # Vietnamese syllables, or (Lao, romanised) pairs for villages


@cache
def generate_communes(seed: int) -> dict[str, list[Commune]]:
    """COMMUNES_PER_PROVINCE communes per province, names drawn with Zipf weights (the
    common syllables first), distinct within a province, recurring across provinces."""
    rng = random.Random(seed)
    vietnamese = Weighted(_zipf([(s,) for s, _c in PLACE_SYLLABLES], 0.6))
    lao = Weighted(_zipf([(lao, roman) for lao, roman in LO_SURNAME_SYLLABLES], 0.6))
    communes: dict[str, list[Commune]] = {}
    for province in VN_PROVINCES + LA_PROVINCES:
        seen, found = set(), []
        while len(found) < COMMUNES_PER_PROVINCE:
            if province in VN_PROVINCES:
                syllables = (vietnamese(rng)[0], vietnamese(rng)[0])
                names = {
                    "name_vi": " ".join(syllables),
                    "name_lo": "".join(lao_syllable(part) for part in syllables),
                    "name_zh": "".join(PLACE_HAN[part][0] for part in syllables) + "乡",
                    "name_en": plain(" ".join(syllables)),
                }
            else:
                syllables = (lao(rng), lao(rng))
                roman = (syllables[0][1] + syllables[1][1].lower()).capitalize()
                names = {
                    "name_vi": f"Bản {roman}",
                    "name_lo": "ບ້ານ" + syllables[0][0] + syllables[1][0],
                    "name_zh": f"{roman}村",
                    "name_en": f"Ban {roman}",
                }
            if syllables[0] == syllables[1] or names["name_vi"] in seen:
                continue
            seen.add(names["name_vi"])
            code = f"{province}-C{len(found) + 1:03d}"
            found.append(Commune(code, province, names, syllables))
        communes[province] = found
    return communes


def generate_people(count: int, seed: int) -> list[Record]:
    """``count`` register entries; the first n of a larger run are the n of a smaller one."""
    rng = random.Random(seed)
    vn_provinces = Weighted(_zipf([(code,) for code in VN_PROVINCES], 0.5))
    la_provinces = Weighted(_zipf([(code,) for code in LA_PROVINCES], 0.5))
    vn_offices, la_offices = Weighted(VN_OFFICES), Weighted(LA_OFFICES)
    lo_first, lo_second = Weighted(_zipf(LO_GIVEN_FIRST)), Weighted(_zipf(LO_GIVEN_SECOND))
    communes = generate_communes(seed)
    COMMUNE_BY_CODE.update({c.code: c for each in communes.values() for c in each})
    people = []
    for record_id in range(1, count + 1):
        nationality = "LA" if rng.random() < 0.1 else "VN"
        sex = "female" if rng.random() < 0.68 else "male"
        since = TODAY - timedelta(days=int(rng.triangular(0, 6 * 365, 0)))
        age = round(rng.triangular(13, 35, 17))
        born = since - timedelta(days=age * 365 + rng.randint(0, 364))
        known = rng.random() < 0.7
        lao_given = lao_surname = ("", "")
        if nationality == "VN":
            surname = SURNAME_DRAW(rng)[0]
            middle = [MIDDLE_DRAW[sex](rng)[0]]
            if rng.random() < 0.15:
                middle.append(SECOND_MIDDLE_DRAW[sex](rng)[0])
            given = GIVEN_DRAW[sex](rng)[0]
            if given in middle:
                given = GIVEN_DRAW[sex](rng)[0]
            written = " ".join([surname, *middle, given])
            romanised = plain(written) if rng.random() < 0.1 else None
            province, office = vn_provinces(rng)[0], vn_offices(rng)[0]
        else:
            first, second = lo_first(rng), lo_second(rng)
            lao_given = (first[0] + second[0], first[1] + second[1])
            lao_surname = LO_SURNAME_DRAW(rng)[:2]
            surname, middle, given = lao_surname[1], [], lao_given[1]
            written = f"{lao_given[0]} {lao_surname[0]}"
            romanised = f"{lao_given[1]} {lao_surname[1]}" if rng.random() < 0.7 else None
            province, office = la_provinces(rng)[0], la_offices(rng)[0]
        people.append(
            Record(
                id=record_id,
                nationality=nationality,
                surname=surname,
                middle=middle,
                given=given,
                sex=sex,
                born=born,
                date_of_birth=born if known else None,
                estimated_age=None if known else age,  # the age when the report was made
                province=province,
                commune=rng.choice(communes[province]).code,
                office=office,
                missing_since=since,
                name_as_written=written,
                name_romanised=romanised,
                lao_given=lao_given,
                lao_surname=lao_surname,
            )
        )
    return people


# --- Renderings -----------------------------------------------------------------------------

_TONES = {"\u0300": "huyen", "\u0301": "sac", "\u0309": "hoi", "\u0303": "nga", "\u0323": "nang"}
_TONE_MARKS = {value: key for key, value in _TONES.items()}
_ONSETS = ["ngh", "ng", "nh", "ch", "tr", "th", "kh", "ph", "gh", "gi", "qu", "b", "c", "d",
           "đ", "g", "h", "k", "l", "m", "n", "p", "r", "s", "t", "v", "x"]  # fmt: skip
_VOWELS = "aăâeêioôơuưy"


def plain(value: str) -> str:
    """Without diacritics, as typed on a keyboard without Vietnamese (Đặng → Dang)."""
    value = value.replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFKD", value)
    return unicodedata.normalize(
        "NFC", "".join(c for c in decomposed if not 0x0300 <= ord(c) < 0x0370)
    )


def split_syllable(syllable: str) -> tuple[str, str, str, str, str]:
    """(onset, medial, nucleus, coda, tone) of a Vietnamese syllable: lower case, vowel
    quality kept (ă â ê ô ơ ư), the tone apart. Hương → ("h", "", "ươ", "ng", "ngang")."""
    tone, kept = "ngang", []
    for char in unicodedata.normalize("NFD", syllable.lower()):
        if char in _TONES:
            tone = _TONES[char]
        else:
            kept.append(char)
    rest = unicodedata.normalize("NFC", "".join(kept))
    onset = next((o for o in _ONSETS if rest.startswith(o)), "")
    rest = rest[len(onset) :]
    if onset == "gi" and (not rest or rest[0] not in _VOWELS):
        onset, rest = "g", "i" + rest  # gìn
    medial = ""
    if onset == "qu":
        onset, medial = "c", "w"
    elif rest[:2] in ("oa", "oă", "oe", "uâ", "uê", "uy"):
        medial, rest = "w", rest[1:]
    for coda in ("ng", "nh", "ch", "c", "m", "n", "p", "t", "i", "y", "o", "u"):
        if rest.endswith(coda) and len(rest) > len(coda):
            return onset, medial, rest[: -len(coda)], coda, tone
    return onset, medial, rest, "", tone


# Vietnamese sounds as a Lao officer writes them by ear (Phạm Minh Chính → ຟ້າມ ມິງ ຈິ່ງ,
# Nguyễn Tấn Dũng → ຫງວຽນ ເຕິນ ຢູງ, Trương → ເຈືອງ, Lạng Sơn → ລາງເຊີນ).
_LAO_ONSET = {"b": "ບ", "c": "ກ", "k": "ກ", "ch": "ຈ", "tr": "ຈ", "d": "ຢ", "đ": "ດ", "g": "ກ",
              "gh": "ກ", "gi": "ຢ", "h": "ຮ", "kh": "ຂ", "l": "ລ", "m": "ມ", "n": "ນ", "ng": "ງ",
              "ngh": "ງ", "nh": "ຍ", "p": "ປ", "ph": "ຟ", "r": "ຣ", "s": "ສ", "t": "ຕ", "th": "ທ",
              "v": "ວ", "x": "ຊ", "": "ອ"}  # fmt: skip
# high-class spellings of the sonorants, for the rising tones (hỏi, ngã)
_LAO_HIGH = {"ng": "ຫງ", "ngh": "ຫງ", "nh": "ຫຍ", "m": "ໝ", "n": "ໜ", "l": "ຫຼ", "v": "ຫວ"}
_LAO_CODA = {"ng": "ງ", "nh": "ງ", "ch": "ກ", "c": "ກ", "m": "ມ", "n": "ນ", "p": "ບ", "t": "ດ",
             "i": "ຍ", "y": "ຍ", "o": "ວ", "u": "ວ", "": ""}  # fmt: skip
_LAO_TONE = {"huyen": "\u0ec8", "nang": "\u0ec9", "hoi": "\u0ec9", "nga": "\u0ecb", "sac": "",
             "ngang": ""}  # fmt: skip


def _lao_rhyme(medial: str, nucleus: str, coda: str, tone: str) -> tuple[str, str, str, str]:
    """(vowel written before the consonant, vowel sign above or below it, vowel letters after
    it, final consonant) for a Vietnamese rhyme."""
    final = _LAO_CODA[coda]
    glide = coda in ("i", "y", "o", "u")
    if medial:  # the consonant is followed by ວ (Hoàng → ຮວາງ, Nguyễn → ຫງວຽນ, Xuân → ຊວນ)
        rhymes = {"a": ("", "", "າ", final), "ă": ("", "ັ", "", final), "â": ("", "", "", final),
                  "e": ("ແ", "", "", final), "ê": ("ເ", "", "", final), "y": ("", "ີ", "", final),
                  "yê": ("", "", "ຽ", final), "ô": ("", "ົ", "", final)}  # fmt: skip
        return rhymes.get(nucleus, ("", "", "າ", final))
    if nucleus == "a":
        if coda in ("nh", "ch"):
            return "ແ", "", "", final  # Thanh → ແທງ
        if coda == "y":
            return "ໄ", "", "", ""
        if coda in ("o", "u"):
            return "ເ", "ົ", "າ", ""  # Thảo → ເທົ້າ
        return "", "", "າ", final  # Lan → ລານ, Mai → ມາຍ
    if nucleus == "ă":
        return "", "ັ", "", final
    if nucleus == "â":
        if coda == "u":
            return "ເ", "ົ", "າ", ""  # Châu → ເຈົາ
        if coda == "y":
            return "ເ", "ີ", "ຍ", ""
        return "ເ", "ິ", "", final  # Tấn → ເຕິນ
    if nucleus == "e":
        if coda == "o":
            return "ແ", "", "ວ", ""
        return ("ແ", "", "", "") if not coda else ("ແ", "ັ", "", final)
    if nucleus == "ê":
        if coda in ("nh", "u"):
            return "ເ", "", "ວ" if coda == "u" else "", "" if coda == "u" else final
        return ("ເ", "", "", "") if not coda else ("ເ", "ັ", "", final)  # Lê → ເລ
    if nucleus in ("i", "y"):
        if not coda:
            return "", "ິ" if tone in ("nang", "hoi") else "ີ", "", ""  # Thị → ທິ, Lý → ລີ
        return "", "ິ", "", final  # Minh → ມິງ
    if nucleus == "o":
        if coda == "i":
            return "", "", "ອຍ", ""
        return ("", "ໍ", "", "") if not coda else ("", "", "ອ", final)  # Võ → ວໍ, Ngọc → ງອກ
    if nucleus == "ô":
        if coda == "i":
            return "ໂ", "", "ຍ", ""
        return ("ໂ", "", "", "") if not coda else ("", "ົ", "", final)  # Hồ → ໂຮ, Nông → ນົງ
    if nucleus == "ơ":
        return "ເ", "ີ", "ຍ" if coda == "i" else "", "" if coda == "i" else final  # Sơn → ເຊີນ
    if nucleus == "u":
        if coda == "i":
            return "", "ຸ", "ຍ", ""  # Bùi → ບຸຍ
        return ("", "ູ", "", "") if not coda else ("", "ຸ", "", final)  # Vũ → ວູ, Hùng → ຮຸ່ງ
    if nucleus == "ư":
        if glide:
            return "", "ື", "ວ" if coda in ("o", "u") else "ຍ", ""  # Hữu → ຮືວ
        return ("", "ື", "", "") if not coda else ("", "ຶ", "", final)  # Đức → ດຶກ
    if nucleus in ("iê", "yê", "ia", "ya"):
        if coda in ("o", "u"):
            return "", "", "ຽວ", ""  # Hiếu → ຮຽວ
        return ("ເ", "", "ຍ", "") if not coda else ("", "", "ຽ", final)  # Tiến → ຕຽນ
    if nucleus in ("uô", "ua"):
        if coda == "i":
            return "", "", "ວຍ", ""
        return ("", "ົ", "ວ", "") if not coda else ("", "", "ວ", final)
    if nucleus in ("ươ", "ưa"):  # Hương → ເຮືອງ, Hứa → ເຮືອ
        return "ເ", "ື", "ອ" + ("ຍ" if glide else ""), "" if glide else final
    return "", "", "າ", final


def lao_syllable(syllable: str, d_by_letter: bool = False) -> str:
    """A Vietnamese syllable in Lao script, as heard (tone marks approximate)."""
    onset, medial, nucleus, coda, tone = split_syllable(syllable)
    if onset == "d" and d_by_letter:
        consonant = "ດ"  # read off an identity card, not heard
    elif tone in ("hoi", "nga") and onset in _LAO_HIGH:
        consonant = _LAO_HIGH[onset]
    elif not onset and not medial and nucleus.startswith("y"):
        consonant = "ຢ"  # Yến → ຢຽນ
    else:
        consonant = _LAO_ONSET[onset]
    if medial and nucleus in ("i", "y") and not coda:  # Huy → ຮຸຍ, Thủy → ທຸ້ຍ
        return consonant + "ຸ" + _LAO_TONE[tone] + "ຍ"
    before, sign, after, final = _lao_rhyme(medial, nucleus, coda, tone)
    cluster = consonant + ("ວ" if medial else "")
    return before + cluster + sign + _LAO_TONE[tone] + after + final


def lao_rendering(record: Record, rng: random.Random) -> str:
    by_letter = rng.random() < 0.3
    return " ".join(
        lao_syllable(part, by_letter) for part in [record.surname, *record.middle, record.given]
    )


def han_characters(record: Record, rng: random.Random) -> list[str]:
    """The name in Chinese characters, simplified (a Guangxi officer) or now and then
    traditional; one character per syllable."""
    traditional = rng.random() < 0.2
    characters = []
    for part in [record.surname, *record.middle, record.given]:
        forms = HAN_OF[part]
        characters.append(forms[-1] if traditional else forms[0])
    return characters


def pinyin_rendering(characters: list[str], rng: random.Random) -> str:
    """Ruan Shixiang (given name in one word, the usual way) or Ruan Shi Xiang."""
    syllables = [
        lazy_pinyin(c, style=Style.NORMAL, v_to_u=True)[0].replace("ü", "u") for c in characters
    ]
    if rng.random() < 0.6:
        return f"{syllables[0].capitalize()} {''.join(syllables[1:]).capitalize()}"
    return " ".join(s.capitalize() for s in syllables)


def wrong_diacritics(name: str, rng: random.Random) -> str:
    """Some tones and vowel marks changed (Nguyễn Thị Hướng → Nguyên Thi Hưởng), đ now and then
    written d."""
    quality = {"ư": "u", "ơ": "o", "â": "a", "ê": "e", "ô": "o", "ă": "a",
               "u": "ư", "o": "ô", "a": "â", "e": "ê"}  # fmt: skip
    out = []
    for part in name.split():
        decomposed = [c for c in unicodedata.normalize("NFD", part) if c not in _TONES]
        letters = unicodedata.normalize("NFC", "".join(decomposed))
        if rng.random() < 0.4:
            vowels = [i for i, c in enumerate(letters) if c.lower() in quality]
            if vowels:
                i = rng.choice(vowels)
                letters = letters[:i] + quality[letters[i].lower()] + letters[i + 1 :]
        if rng.random() < 0.3:
            letters = letters.replace("Đ", "D").replace("đ", "d")
        tone = rng.choice([*_TONE_MARKS, "ngang", "ngang"])
        vowel_at = next((i for i, c in enumerate(letters) if c.lower() in _VOWELS), None)
        if tone != "ngang" and vowel_at is not None:
            letters = letters[: vowel_at + 1] + _TONE_MARKS[tone] + letters[vowel_at + 1 :]
        out.append(unicodedata.normalize("NFC", letters))
    return " ".join(out)


def typo(name: str, rng: random.Random) -> str:
    """One letter inserted, deleted or replaced (never a space)."""
    letters = [i for i, c in enumerate(name) if c.isalpha()]
    at = rng.choice(letters)
    kind = rng.choice(("insert", "delete", "replace"))
    alphabet = "abcdeghiklmnopqrstuvxy"
    if kind == "delete" and len(name.replace(" ", "")) > 4:
        return name[:at] + name[at + 1 :]
    if kind == "insert":
        return name[:at] + rng.choice(alphabet) + name[at:]
    current = plain(name[at]).lower()
    return name[:at] + rng.choice([c for c in alphabet if c != current]) + name[at + 1 :]


_LO_ROMAN_VARIANTS = [
    (r"anh\b", "an"), (r"an\b", "anh"), (r"ou", "u"), (r"x", "s"), (r"ath\b", "ad"),
    (r"ath\b", "at"), (r"one\b", "on"), (r"y\b", "i"), (r"ak\b", "ack"), (r"v", "w"),
    (r"ph", "p"), (r"ee", "i"), (r"kh", "k"), (r"eo", "eow"),
]  # fmt: skip


def lao_name_rendering(record: Record, rng: random.Random) -> str:
    """A Lao person's name as the other side writes it: another romanisation (Phommachanh →
    Phommachan, Souk → Suk) or Lao script with other vowel lengths and tone marks."""
    if rng.random() < 0.4:
        lao = f"{record.lao_given[0]} {record.lao_surname[0]}"
        lao = lao.replace("\u0ec9", "") if rng.random() < 0.5 else lao
        swaps = {"ິ": "ີ", "ີ": "ິ", "ຸ": "ູ", "ູ": "ຸ"}
        return "".join(swaps.get(c, c) if rng.random() < 0.3 else c for c in lao)
    name = f"{record.lao_given[1]} {record.lao_surname[1]}"
    for _ in range(rng.randint(1, 3)):
        pattern, replacement = rng.choice(_LO_ROMAN_VARIANTS)
        name = re.sub(pattern, replacement, name, count=1, flags=re.I)
    return name if rng.random() < 0.7 else name.upper()


def swapped(record: Record, rng: random.Random) -> str:
    """Given name first: Hương Nguyễn Thị, or Huong Thi Nguyen (fully reversed)."""
    parts = [record.surname, *record.middle, record.given]
    if rng.random() < 0.5:
        name = " ".join([record.given, record.surname, *record.middle])
    else:
        name = " ".join(reversed(parts))
    return plain(name) if rng.random() < 0.5 else name


def loosely(text: str, rng: random.Random) -> str:
    """A place name as typed in a hurry: now and then one letter wrong."""
    return typo(text, rng) if rng.random() < 0.25 else text


def place_rendering(category: str, record: Record, rng: random.Random) -> str:
    """The home commune (village) as the partner writes it, in the script of the name."""
    commune = COMMUNE_BY_CODE[record.commune]
    if record.nationality == "LA":  # a Lao village, written by a Vietnamese officer
        if rng.random() < 0.4:
            return commune.names["name_lo"].removeprefix("ບ້ານ" if rng.random() < 0.5 else "")
        roman = commune.names["name_en"]
        for _ in range(rng.randint(0, 2)):
            pattern, replacement = rng.choice(_LO_ROMAN_VARIANTS)
            roman = re.sub(pattern, replacement, roman, count=1, flags=re.I)
        return roman
    vi = commune.names["name_vi"]
    prefix = rng.choice(["xã ", "Xã ", ""])
    if category == "vi-diacritics":
        return prefix + vi
    if category == "vi-wrong":
        return plain(prefix) + wrong_diacritics(vi, rng)
    if category in ("vi-plain", "swapped"):
        return loosely(plain(prefix + vi), rng)
    if category == "typo":  # the name has its slip; the place is as loose as elsewhere
        return loosely(plain(vi) if rng.random() < 0.5 else vi, rng)
    if category == "lao":
        by_letter = rng.random() < 0.3
        heard = "".join(lao_syllable(part, by_letter) for part in commune.syllables)
        return rng.choice(["ບ້ານ", "ຕາແສງ", ""]) + heard
    characters = [PLACE_HAN[part][-1 if rng.random() < 0.2 else 0] for part in commune.syllables]
    if category == "han":
        return "".join(characters) + rng.choice(["乡", "镇", "村", ""])
    # pinyin
    syllables = [lazy_pinyin(c, style=Style.NORMAL)[0] for c in characters]
    return loosely("".join(syllables).capitalize() + rng.choice([" xiang", " zhen", ""]), rng)


@dataclass
class Query:
    category: str
    record_id: int
    shared: dict
    user: str  # who asks the register (its country decides what it sees)
    # Fewer than 5 other records have the same name, sex and home commune and a birth year
    # within 2 years: what the partner knows can single the person out among 5 candidates.
    resolvable: bool = True
    place: object = None  # the RequestedPlace the app reads, in codes (for the baselines)


def mark_resolvable(people: list[Record], queries: list[Query]) -> None:
    """Sets ``Query.resolvable``: namesakes (same normalised name, sex and home commune, born
    within two years of the true record) that no method could tell from the person asked
    about."""
    wanted = {fold(people[q.record_id - 1].name_as_written) for q in queries}
    years = defaultdict(list)
    for record in people:
        name = fold(record.name_as_written)
        if name in wanted:
            years[(name, record.sex, record.commune)].append(record.born.year)
    for query in queries:
        record = people[query.record_id - 1]
        born = record.born.year
        namesakes = years[(fold(record.name_as_written), record.sex, record.commune)]
        query.resolvable = sum(abs(year - born) <= 2 for year in namesakes) - 1 < 5


def _renamed(record: Record, new_id: int, parts: list[str], **changes) -> Record:
    """A second register entry like ``record`` under another name (and birth date)."""
    written = " ".join(parts)
    born = changes.pop("born", record.born)
    return replace(
        record,
        id=new_id,
        surname=parts[0],
        middle=parts[1:-1],
        given=parts[-1],
        name_as_written=written,
        name_romanised=None,
        born=born,
        date_of_birth=born if record.date_of_birth else None,
        **changes,
    )


def _nearest_syllable(heard: str, true: str) -> str | None:
    """The name syllable (other than ``true``) whose spelling is nearest to what lao.py reads
    back: the name the raw transliteration prefers."""
    others = [s for s in HAN_OF if fold(s) != fold(true)]
    best = max(others, key=lambda s: (fuzz.ratio(fold(s), heard), s))
    return best if fuzz.ratio(fold(best), heard) > fuzz.ratio(fold(true), heard) else None


def hard_case(category: str, record: Record, people: list[Record], rng: random.Random):
    """(the record asked about, the name as written) for a category of what cost the first
    place; appends the records it needs to ``people`` (ids after the register's)."""
    parts = [record.surname, *record.middle, record.given]
    new_id = len(people) + 1
    if category == "namesake":  # the same name, home and sex, born two years apart
        twin = _renamed(
            record,
            new_id,
            parts,
            born=record.born.replace(
                year=record.born.year + rng.choice((-2, 2)), day=min(record.born.day, 28)
            ),
        )
        people.append(twin)
        return rng.choice((record, twin)), record.name_as_written
    if category == "order":  # family and given name swapped in the other record
        twin = _renamed(record, new_id, [parts[-1], *parts[1:-1], parts[0]])
        people.append(twin)
        target = rng.choice((record, twin))
        written = target.name_as_written
        return target, plain(written) if rng.random() < 0.5 else written
    if category == "lao-sound":  # the raw reading of a syllable is nearer another name
        for position, part in enumerate(parts):
            heard = lao_to_latin(lao_syllable(part))
            other = _nearest_syllable(heard, part) if heard != fold(part) else None
            if other:
                decoy = _renamed(record, new_id, [*parts[:position], other, *parts[position + 1 :]])
                people.append(decoy)
                return record, lao_rendering(record, rng)
        return None
    if category == "merged":  # two syllables typed together, now and then a letter between
        at = rng.randrange(len(parts) - 1)
        joiner = rng.choice(["", "", rng.choice("mnbvcx")])
        merged = [*parts[:at], parts[at] + joiner + parts[at + 1].lower(), *parts[at + 2 :]]
        written = " ".join(merged)
        return record, plain(written) if rng.random() < 0.5 else written
    if category == "pinyin-common":  # a given name (or surname) the first table misread
        given, characters = rng.choice(HARD_PINYIN)
        surname = record.surname
        if rng.random() < 0.3:
            surname, surname_characters = rng.choice(HARD_SURNAMES)
            HAN_OF.setdefault(surname, surname_characters)
        HAN_OF.setdefault(given, characters)
        target = _renamed(record, new_id, [surname, *record.middle, given])
        people.append(target)
        return target, pinyin_rendering(han_characters(target, rng), rng)
    raise ValueError(category)


def make_queries(people: list[Record], count: int, seed: int) -> list[Query]:
    """``count`` queries, the categories in turn; the hard categories append to ``people``
    the second records they need (load ``people`` after this)."""
    rng = random.Random(seed)
    by_nationality = defaultdict(list)
    for record in people:
        by_nationality[record.nationality].append(record)
    queries = []
    for index in range(count):
        category = CATEGORIES[index % len(CATEGORIES)]
        record = rng.choice(by_nationality["LA" if category == "lo-name" else "VN"])
        written = record.name_as_written
        if category in HARD:
            found = None
            while found is None:
                found = hard_case(category, record, people, rng)
                if found is None:
                    record = rng.choice(by_nationality["VN"])
            record, written = found
        elif category == "vi-wrong":
            written = wrong_diacritics(written, rng)
        elif category == "vi-plain":
            written = plain(written)
        elif category == "swapped":
            written = swapped(record, rng)
        elif category == "typo":
            written = typo(written if rng.random() < 0.5 else plain(written), rng)
        elif category == "lao":
            written = lao_rendering(record, rng)
        elif category == "han":
            written = "".join(han_characters(record, rng))
        elif category == "pinyin":
            written = pinyin_rendering(han_characters(record, rng), rng)
        elif category == "lo-name":
            written = lao_name_rendering(record, rng)
        age = TODAY.year - record.born.year + rng.randint(-2, 2)
        if category == "namesake":  # the partner knows the age: only it tells them apart
            age = TODAY.year - record.born.year
        shared = {
            "name_as_written": written,
            "name_romanised": None,
            "sex": record.sex if rng.random() < 0.95 else "unknown",
            "date_of_birth": None,
            "estimated_age": age,
            "home_province": {"id": record.province} if rng.random() < 0.5 else None,
            "home_address": place_rendering(PLACE_STYLE.get(category, category), record, rng),
        }
        user = "svk.liaison" if record.nationality == "LA" else "qt.liaison"
        queries.append(Query(category, record.id, shared, user))
    return queries


def check_lao_renderer() -> list[tuple[str, str, str]]:
    """Every syllable of the generator in Lao script and read back by lao.py: (syllable,
    Lao, Latin read back) where the reading differs from the folded syllable. (The renderer
    writes what a Lao officer hears, so most differ: ph is ຟ f, tr is ຈ ch, â is ເ-ິ.)"""
    # tests/matching/test_names.py: ຫງວຽນ ທິ ເຮືອງ is Nguyen Thi Huong (here with tone marks)
    assert " ".join(lao_syllable(s) for s in ("Nguyễn", "Thị", "Hương")) == "ຫງວ໋ຽນ ທິ້ ເຮືອງ"
    assert lao_to_latin("ຫງວ໋ຽນ ທິ້ ເຮືອງ") == "nguyen thi huong"
    assert lao_to_latin(" ".join(lao_syllable(s) for s in ("Lê", "Thị", "Lan"))) == "le thi lan"
    differing = []
    for syllable in sorted(HAN_OF):
        lao = lao_syllable(syllable)
        back = lao_to_latin(lao)
        if back != fold(syllable):
            differing.append((syllable, lao, back))
    return differing


def sound_code_of(latin: str) -> str:
    return " ".join(matching_index.sound_code(word) for word in latin.split())


def han_gaps() -> list[tuple[str, str, str]]:
    """Name syllables whose usual character names.py does not read so: (syllable,
    character, the reading it gives first)."""
    readings = matching_names.han_viet_readings()
    name_readings = getattr(matching_names, "han_viet_name_readings", dict)()
    gaps = []
    for syllable, characters in sorted(HAN_OF.items()):
        for character in dict.fromkeys(characters):
            found = [readings.get(character, ""), *name_readings.get(character, ())]
            if sound_key(fold(syllable)) not in {sound_key(fold(each)) for each in found}:
                gaps.append((syllable, character, found[0] or "-"))
    return gaps


# --- Building the database ------------------------------------------------------------------

EXTRA_AREAS = dict.fromkeys(VN_PROVINCES[2:], "VN") | dict.fromkeys(LA_PROVINCES[2:], "LA")
REPORT_COLUMNS = (
    "id", "office_id", "name_as_written", "name_romanised", "sex", "date_of_birth",
    "estimated_age", "home_province_id", "home_commune_id", "missing_since", "reporter_name",
    "reporter_relationship", "status", "search_text", "created_by_id", "created_at",
    "updated_at", "version",
)  # fmt: skip


def prepare_directory(seed: int) -> dict:
    """Demo offices and users, plus the provinces and communes people come from."""
    load_demo_data()
    countries = {c.code: c.id for c in db.session.scalars(select(Country))}
    existing = {a.code for a in db.session.scalars(select(AdministrativeArea))}
    for code, country in EXTRA_AREAS.items():
        if code not in existing:
            names = {f"name_{locale}": f"Province {code}" for locale in ("vi", "lo", "zh", "en")}
            db.session.add(
                AdministrativeArea(
                    country_id=countries[country], kind="province", code=code, **names
                )
            )
    db.session.flush()
    provinces = {a.code: a for a in db.session.scalars(select(AdministrativeArea))}
    for province, communes in generate_communes(seed).items():
        for commune in communes:
            db.session.add(
                AdministrativeArea(
                    country_id=provinces[province].country_id,
                    parent_id=provinces[province].id,
                    kind="commune",
                    code=commune.code,
                    names_reviewed=False,
                    **commune.names,
                )
            )
    db.session.commit()
    return {
        "areas": {a.code: a.id for a in db.session.scalars(select(AdministrativeArea))},
        "offices": {o.code: o.id for o in db.session.scalars(select(Office))},
        "users": {u.username: u.id for u in db.session.scalars(select(User))},
    }


def report_row(record: Record, creator: int, directory: dict) -> tuple:
    stamp = f"{record.missing_since + timedelta(days=1)} 09:00:00.000000"
    return (
        record.id,
        directory["offices"][record.office],
        record.name_as_written,
        record.name_romanised,
        record.sex,
        record.date_of_birth.isoformat() if record.date_of_birth else None,
        record.estimated_age,
        directory["areas"][record.province],
        directory["areas"][record.commune],
        record.missing_since.isoformat(),
        "Gia đình",
        "parent",
        "open",
        search_key(record.name_as_written, record.name_romanised),
        creator,
        stamp,
        stamp,
        1,
    )


def key_rows(people: list[Record], directory: dict):
    """What ``matching.operations.index_name`` stores: the name's keys and its place keys
    (the bench's communes lie directly under a province: no district above them)."""
    for record in people:
        names = (record.name_as_written, record.name_romanised)
        place = [matching_places.canonical_key(COMMUNE_BY_CODE[record.commune].names["name_en"])]
        keys = matching_index.blocking_keys(*names) | matching_index.place_keys(names, place)
        for key in sorted(keys):
            yield record.id, key


def chunks(iterable, size=50_000):
    batch = []
    for item in iterable:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def load_sqlite(engine, people: list[Record], directory: dict) -> dict:
    """executemany through the DB-API, with the name_keys indexes and the FTS trigger of the
    register dropped while loading and made again after (the same SQL, read back first)."""
    timings = {}
    creator = directory["users"]["admin"]
    raw = engine.raw_connection()
    try:
        cursor = raw.cursor()
        saved = cursor.execute(
            "SELECT name, sql FROM sqlite_master WHERE (type = 'index' AND tbl_name = 'name_keys'"
            " AND sql IS NOT NULL) OR (type = 'trigger' AND name = 'missing_search_ai')"
        ).fetchall()
        for name, sql in saved:
            kind = "TRIGGER" if sql.upper().startswith("CREATE TRIGGER") else "INDEX"
            cursor.execute(f"DROP {kind} {name}")
        start = time.perf_counter()
        placeholders = ", ".join("?" for _ in REPORT_COLUMNS)
        statement = (
            f"INSERT INTO missing_person_reports ({', '.join(REPORT_COLUMNS)}) "  # noqa: S608
            f"VALUES ({placeholders})"
        )
        for batch in chunks(people):
            cursor.executemany(
                statement, [report_row(record, creator, directory) for record in batch]
            )
        timings["reports"] = time.perf_counter() - start
        start = time.perf_counter()
        cursor.execute("INSERT INTO missing_search(missing_search) VALUES ('rebuild')")
        timings["FTS rebuild"] = time.perf_counter() - start
        start = time.perf_counter()
        for batch in chunks(key_rows(people, directory), 200_000):
            cursor.executemany(
                "INSERT INTO name_keys (record_kind, record_id, key) VALUES ('missing', ?, ?)",
                batch,
            )
        timings["name keys (blocking_keys + insert)"] = time.perf_counter() - start
        start = time.perf_counter()
        for _name, sql in saved:
            cursor.execute(sql)
        timings["name_keys indexes"] = time.perf_counter() - start
        raw.commit()
        start = time.perf_counter()
        cursor.execute("ANALYZE")
        raw.commit()
        cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        timings["ANALYZE"] = time.perf_counter() - start
    finally:
        raw.close()
    return timings


def load_postgresql(engine, people: list[Record], directory: dict) -> dict:
    """COPY, with the name_keys indexes and the register's trigram index dropped while loading
    and made again after (the same definitions, read back first)."""
    timings = {}
    creator = directory["users"]["admin"]
    raw = engine.raw_connection()
    try:
        connection = raw.driver_connection
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT indexname, indexdef FROM pg_indexes WHERE (tablename = 'name_keys' "
                "AND indexname LIKE 'ix_%%') OR indexname = 'ix_missing_person_reports_search_trgm'"
            )
            saved = cursor.fetchall()
            for name, _sql in saved:
                cursor.execute(f'DROP INDEX "{name}"')
            start = time.perf_counter()
            copy_sql = f"COPY missing_person_reports ({', '.join(REPORT_COLUMNS)}) FROM STDIN"
            with cursor.copy(copy_sql) as copy:
                for record in people:
                    copy.write_row(report_row(record, creator, directory))
            timings["reports"] = time.perf_counter() - start
            start = time.perf_counter()
            with cursor.copy("COPY name_keys (record_kind, record_id, key) FROM STDIN") as copy:
                for record_id, key in key_rows(people, directory):
                    copy.write_row(("missing", record_id, key))
            timings["name keys (blocking_keys + COPY)"] = time.perf_counter() - start
            start = time.perf_counter()
            for _name, sql in saved:
                cursor.execute(sql)
            timings["indexes"] = time.perf_counter() - start
            for table_name in ("missing_person_reports", "name_keys"):
                cursor.execute(
                    f"SELECT setval(pg_get_serial_sequence('{table_name}', 'id'), "  # noqa: S608
                    f"(SELECT max(id) FROM {table_name}))"
                )
        connection.commit()
        start = time.perf_counter()
        connection.autocommit = True
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
        connection.autocommit = False
        timings["VACUUM ANALYZE"] = time.perf_counter() - start
    finally:
        raw.close()
    return timings


def database_size(engine, kind: str, path: Path | None) -> int:
    if kind == "sqlite":
        return sum(p.stat().st_size for p in path.parent.glob(path.name + "*"))
    with engine.connect() as connection:
        return connection.execute(text("SELECT pg_database_size(current_database())")).scalar()


def name_keys_size(engine, kind: str) -> tuple[int, int | None]:
    """(rows, bytes of the table and its indexes) of name_keys."""
    with engine.connect() as connection:
        rows = connection.execute(text("SELECT count(*) FROM name_keys")).scalar()
        if kind == "postgresql":
            size = connection.execute(text("SELECT pg_total_relation_size('name_keys')")).scalar()
        else:
            try:
                size = connection.execute(
                    text(
                        "SELECT sum(pgsize) FROM dbstat WHERE name = 'name_keys' "
                        "OR name LIKE 'ix_name_keys%'"
                    )
                ).scalar()
            except Exception:  # SQLite built without the dbstat table
                size = None
    return rows, size


def build(kind: str, url: str, sqlite_path: Path | None, people: list[Record], seed: int):
    """A fresh database with the register loaded; (app, directory, facts)."""
    create_empty(kind, url)
    app = create_app({**SETTINGS, "SQLALCHEMY_DATABASE_URI": url})
    facts = {}
    with app.app_context():
        start = time.perf_counter()
        upgrade()
        directory = prepare_directory(seed)
        facts["migrations + demo data"] = time.perf_counter() - start
        db.session.remove()
        engine = db.engine
        start = time.perf_counter()
        loader = load_sqlite if kind == "sqlite" else load_postgresql
        facts["timings"] = loader(engine, people, directory)
        facts["load"] = time.perf_counter() - start
        facts["size"] = database_size(engine, kind, sqlite_path)
        facts["name_keys"] = name_keys_size(engine, kind)
    return app, directory, facts


# --- Measuring ------------------------------------------------------------------------------


@dataclass
class Outcome:
    """What one method gave for the queries of one size and database."""

    method: str
    size: int
    database: str
    latencies: list[float] = field(default_factory=list)  # ms
    positions: list[tuple[Query, int | None]] = field(default_factory=list)  # rank 0-4 or None
    in_block: list[bool] = field(default_factory=list)  # system: the index proposed it
    phases: dict = field(default_factory=lambda: defaultdict(list))  # system: ms per phase
    block_sizes: list[int] = field(default_factory=list)
    note: str = ""

    def recall(self, within: int, category: str | None = None, resolvable: bool = False):
        found = [
            position is not None and position < within
            for query, position in self.positions
            if (category is None or query.category == category)
            and (query.resolvable or not resolvable)
        ]
        return sum(found) / len(found) if found else None

    def retrieved(self, category: str | None = None) -> float | None:
        found = [
            hit
            for (query, _p), hit in zip(self.positions, self.in_block, strict=True)
            if category is None or query.category == category
        ]
        return sum(found) / len(found) if found else None


def position_of(record_id: int, candidates) -> int | None:
    ids = [candidate.record.id for candidate in candidates if candidate.record_kind == "missing"]
    return ids.index(record_id) if record_id in ids else None


def with_province_id(shared: dict, directory: dict) -> dict:
    province = shared.get("home_province")
    if not province:
        return shared
    return {**shared, "home_province": {"id": directory["areas"][province["id"]]}}


def resolve_places(app, directory, queries) -> None:
    """Sets ``Query.place``: the home place as the app reads it (``requested_place``), in the
    bench's codes, so that the baselines rank with what the system ranks with."""
    codes = {area_id: code for code, area_id in directory["areas"].items()}
    with app.app_context():
        for query in queries:
            user = db.session.get(User, directory["users"][query.user])
            place = matching_places.requested_place(
                with_province_id(query.shared, directory), user.office.area.country_id
            )
            query.place = matching_places.RequestedPlace(
                frozenset(codes[i] for i in place.communes),
                frozenset(codes[i] for i in place.near),
                place.names,
                place.ranks,
            )
        db.session.remove()


def measure_system(app, directory, queries, size, database, warmup=5, place=True) -> Outcome:
    """candidates_for() as the request page calls it, timed by phase (retrieval, loading the
    records, ranking) through wrappers around its two steps. ``place=False``: the same
    queries without the home commune (what the place adds)."""
    outcome = Outcome("system" if place else "system, no place", size, database)
    phase = {}
    original_ids, original_rank = matching_queries.candidate_ids, matching_queries.rank

    def timed_ids(shared, record_kind, visible_ids, place=matching_places.NO_PLACE):
        start = time.perf_counter()
        ids = original_ids(shared, record_kind, visible_ids, place)
        phase["retrieval"] = phase.get("retrieval", 0.0) + time.perf_counter() - start
        phase.setdefault("ids", []).extend(ids if record_kind == "missing" else [])
        return ids

    def timed_rank(shared, records, limit=5, place=matching_places.NO_PLACE):
        start = time.perf_counter()
        ranked = original_rank(shared, records, limit, place)
        phase["rank"] = time.perf_counter() - start
        phase["block"] = len(records)
        return ranked

    matching_queries.candidate_ids, matching_queries.rank = timed_ids, timed_rank
    try:
        with app.app_context():
            for number, query in enumerate(queries[:warmup] + queries):
                db.session.remove()
                user = db.session.get(User, directory["users"][query.user])
                user.office.area.country_id  # noqa: B018 - loaded per request by the login
                shared = with_province_id(query.shared, directory)
                if not place:
                    shared = {**shared, "home_address": None}
                phase.clear()
                start = time.perf_counter()
                candidates = matching_queries.candidates_for(user, shared)
                elapsed = (time.perf_counter() - start) * 1000
                if number < warmup:
                    continue
                outcome.latencies.append(elapsed)
                outcome.positions.append((query, position_of(query.record_id, candidates)))
                outcome.in_block.append(query.record_id in phase.get("ids", ()))
                outcome.block_sizes.append(phase.get("block", 0))
                retrieval = phase.get("retrieval", 0.0) * 1000
                ranking = phase.get("rank", 0.0) * 1000
                outcome.phases["retrieval"].append(retrieval)
                outcome.phases["rank"].append(ranking)
                outcome.phases["load"].append(elapsed - retrieval - ranking)
            db.session.remove()
    finally:
        matching_queries.candidate_ids, matching_queries.rank = original_ids, original_rank
    return outcome


def exact_keys(name: str | None) -> set[str]:
    if not name:
        return set()
    return {" ".join(sorted(sound_key(f).split())) for f in comparable_forms(name).forms}


def visible_country(query: Query) -> str:
    return "LA" if query.user == "svk.liaison" else "VN"


def measure_exact(app, people, queries, size) -> Outcome:
    """Baseline: the records whose normalised name (comparable forms, tokens sorted) equals
    the query's, from a dictionary in memory, ranked by rank()."""
    outcome = Outcome("exact", size, "memory")
    start = time.perf_counter()
    by_key = defaultdict(list)
    for record in people:
        for key in exact_keys(record.name_as_written) | exact_keys(record.name_romanised):
            by_key[(record.nationality, key)].append(record)
    outcome.note = f"dictionary built in {time.perf_counter() - start:.1f} s"
    with app.app_context():
        for query in queries:
            start = time.perf_counter()
            country = visible_country(query)
            found = {}
            for key in exact_keys(query.shared["name_as_written"]):
                for record in by_key.get((country, key), ()):
                    found[record.id] = record
            ranked = matching_scoring.rank(
                query.shared, [("missing", record) for record in found.values()], 5, query.place
            )
            outcome.latencies.append((time.perf_counter() - start) * 1000)
            outcome.positions.append((query, position_of(query.record_id, ranked)))
    return outcome


def measure_brute(app, people, queries, size) -> Outcome:
    """Baseline: rank() over every record the user may see. Name forms are cached and the
    reasons left untranslated (the same scores, in a fraction of the time)."""
    outcome = Outcome("brute", size, "memory")
    original_forms, original_translate = matching_names.comparable_forms, matching_scoring._
    matching_names.comparable_forms = cache(original_forms)
    matching_scoring._ = lambda message, **values: message
    by_country = defaultdict(list)
    for record in people:
        by_country[record.nationality].append(("missing", record))
    try:
        with app.app_context():
            for query in queries:
                start = time.perf_counter()
                records = by_country[visible_country(query)]
                ranked = matching_scoring.rank(query.shared, records, 5, query.place)
                outcome.latencies.append((time.perf_counter() - start) * 1000)
                outcome.positions.append((query, position_of(query.record_id, ranked)))
    finally:
        matching_names.comparable_forms, matching_scoring._ = original_forms, original_translate
    return outcome


# --- Reporting ------------------------------------------------------------------------------


def fmt(value, digits=2) -> str:
    return "-" if value is None else f"{value:.{digits}f}"


def results_table(outcomes: list[Outcome]) -> str:
    rows = [
        ["N", "database", "method", "queries", "recall@1", "recall@5", "recall@5 resolvable",
         "p50 ms", "p95 ms"]
    ]  # fmt: skip
    for o in outcomes:
        resolvable = sum(query.resolvable for query, _p in o.positions)
        rows.append(
            [
                f"{o.size:,}",
                o.database,
                o.method,
                str(len(o.positions)),
                fmt(o.recall(1)),
                fmt(o.recall(5)),
                f"{fmt(o.recall(5, resolvable=True))} (of {resolvable})",
                fmt(percentile(o.latencies, 0.5), 1),
                fmt(percentile(o.latencies, 0.95), 1),
            ]
        )
    return table(rows, "rllrrrrrr")


def category_table(outcomes: list[Outcome]) -> str:
    """Recall@1 beside recall@5 per category: of the system (and the share of true records
    the index retrieved), and of brute force where it ran."""
    sizes = sorted({o.size for o in outcomes})
    columns = []
    for size in sizes:
        for o in outcomes:
            if o.size == size and o.method.startswith("system"):
                columns.append((f"{size:,} {o.database} {o.method}: @1 / @5 (retrieved)", o))
        for o in outcomes:
            if o.size == size and o.method == "brute":
                columns.append((f"{size:,} brute ({len(o.positions)}): @1 / @5", o))
    rows = [["category", *(title for title, _o in columns)]]
    for category in [*CATEGORIES, None]:
        cells = []
        for _title, o in columns:
            cell = f"{fmt(o.recall(1, category))} / {fmt(o.recall(5, category))}"
            if o.method.startswith("system"):
                cell += f" ({fmt(o.retrieved(category))})"
            cells.append(cell)
        rows.append([category or "all", *cells])
    return table(rows, "l" + "r" * len(columns))


def phase_table(outcomes: list[Outcome]) -> str:
    rows = [["N", "database", "retrieval p50/p95 ms", "load p50/p95 ms", "rank p50/p95 ms",
             "records ranked p50/max"]]  # fmt: skip
    for o in outcomes:
        if o.method != "system":
            continue
        cells = [
            f"{percentile(o.phases[p], 0.5):.1f} / {percentile(o.phases[p], 0.95):.1f}"
            for p in ("retrieval", "load", "rank")
        ]
        blocks = f"{percentile(o.block_sizes, 0.5)} / {max(o.block_sizes)}"
        rows.append([f"{o.size:,}", o.database, *cells, blocks])
    return table(rows, "rlrrrr")


def megabytes(value: int | None) -> str:
    return "-" if value is None else f"{value / 1e6:,.0f} MB"


def peak_rss() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    import sqlite3

    return (
        f"{os.cpu_count()} cores ({cpu}), {memory / 2**30:.0f} GiB, Python "
        f"{platform.python_version()}, SQLite {sqlite3.sqlite_version}"
    )


# --- Main -----------------------------------------------------------------------------------


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000,1000000")
    parser.add_argument("--queries", type=int, default=500)
    parser.add_argument(
        "--brute",
        default="all,90,27",
        help="queries measured by brute force, per size ('all', or a number; 0: none)",
    )
    parser.add_argument("--pg", help="SQLAlchemy URL of a PostgreSQL server to measure too")
    parser.add_argument("--pg-database", default="matching_bench")
    parser.add_argument("--seed", type=int, default=20261122)
    parser.add_argument("--workdir", help="where the SQLite files go (default: a temp dir)")
    parser.add_argument("--keep", action="store_true", help="keep the SQLite files")
    args = parser.parse_args(argv)
    sizes = [int(size) for size in args.sizes.split(",")]
    brute = [args.queries if n == "all" else int(n) for n in args.brute.split(",")]
    brute += [brute[-1]] * (len(sizes) - len(brute))
    workdir = Path(args.workdir or tempfile.mkdtemp(prefix="matching-bench-"))
    workdir.mkdir(parents=True, exist_ok=True)

    differing = check_lao_renderer()
    same_sound = [
        s
        for s, _lao, back in differing
        if matching_index.sound_code(fold(s)) == sound_code_of(back)
    ]
    gaps = han_gaps()
    renderings = [
        f"- Lao script: of the {len(HAN_OF)} name syllables, lao.py reads "
        f"{len(HAN_OF) - len(differing)} back as the Vietnamese spelling; "
        f"{len(same_sound)} more get the same sound code (index.sound_code); the rest differ: "
        + ", ".join(f"{s} {lao} → {back}" for s, lao, back in differing if s not in same_sound),
        f"- Chinese characters: {len(gaps)} of the characters used for name syllables have "
        "another first reading in the tables names.py reads: "
        + ", ".join(f"{s} {c} → {found}" for s, c, found in gaps),
    ]
    start = time.perf_counter()
    everyone = generate_people(max(sizes), args.seed)
    print(
        f"generated {len(everyone):,} people in {time.perf_counter() - start:.1f} s",
        file=sys.stderr,
    )

    outcomes: list[Outcome] = []
    facts_lines = []
    databases = [("sqlite", None)] + ([("postgresql", args.pg)] if args.pg else [])
    try:
        for size, brute_count in zip(sizes, brute, strict=True):
            people = everyone[:size]
            queries = make_queries(people, args.queries, args.seed + size)
            mark_resolvable(people, queries)
            for kind, pg_url in databases:
                if kind == "sqlite":
                    path = workdir / f"matching_{size}.sqlite3"
                    url = f"sqlite:///{path}"
                else:
                    path = None
                    url = (
                        make_url(pg_url)
                        .set(database=args.pg_database)
                        .render_as_string(hide_password=False)
                    )
                print(f"\n== {size:,} records, {kind}", file=sys.stderr)
                app, directory, facts = build(kind, url, path, people, args.seed)
                keys_rows, keys_bytes = facts["name_keys"]
                steps = ", ".join(
                    f"{name} {seconds:.1f} s" for name, seconds in facts["timings"].items()
                )
                line = (
                    f"- {size:,} records, {kind}: loaded in {facts['load']:.0f} s ({steps}); "
                    f"database {megabytes(facts['size'])}; name_keys {keys_rows:,} rows, "
                    f"{megabytes(keys_bytes)} with its indexes; peak memory of the process so far "
                    f"{megabytes(peak_rss())}"
                )
                print(line, file=sys.stderr)
                facts_lines.append(line)
                if kind == "sqlite":
                    resolve_places(app, directory, queries)
                for place in (True, False):
                    outcome = measure_system(app, directory, queries, size, kind, place=place)
                    print(
                        f"   {outcome.method}: recall@5 {fmt(outcome.recall(5))}, "
                        f"p95 {percentile(outcome.latencies, 0.95):.1f} ms",
                        file=sys.stderr,
                    )
                    outcomes.append(outcome)
                with app.app_context():
                    db.engine.dispose()
                gc.collect()
            outcome = measure_exact(app, people, queries, size)
            outcomes.append(outcome)
            print(f"   exact: recall@5 {fmt(outcome.recall(5))} ({outcome.note})", file=sys.stderr)
            if brute_count:
                start = time.perf_counter()
                outcome = measure_brute(app, people, queries[:brute_count], size)
                outcomes.append(outcome)
                print(
                    f"   brute ({brute_count} queries, {time.perf_counter() - start:.0f} s): "
                    f"recall@5 {fmt(outcome.recall(5))}",
                    file=sys.stderr,
                )
            if not args.keep:
                for each in workdir.glob(f"matching_{size}.sqlite3*"):
                    each.unlink()
    finally:  # the SQLite files are big: never leave them behind unasked
        if not args.keep and not args.workdir:
            shutil.rmtree(workdir, ignore_errors=True)

    print(f"Machine: {machine()}; {TODAY.isoformat()}\n")
    print(results_table(outcomes))
    print(
        "\nRecall@1 / recall@5 per category (share of the true records the index retrieved at"
        "\nall: the most that ranking can reach).\n"
    )
    print(category_table(outcomes))
    print("\nSystem time per phase:\n")
    print(phase_table(outcomes))
    print("\nBuilding:\n")
    print("\n".join(facts_lines))
    print("\nRenderings:\n")
    print("\n".join(renderings))
    brute_sizes = ", ".join(
        f"{len(o.positions)} queries at {o.size:,}" for o in outcomes if o.method == "brute"
    )
    if brute_sizes:
        print(f"\nBrute force ran on the first queries only ({brute_sizes}).")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
