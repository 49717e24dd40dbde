"""Each transliteration step with real names of the three border regions."""

import pytest

from coordination.matching.lao import lao_to_latin
from coordination.matching.names import comparable_forms, fold, similarity


@pytest.mark.parametrize(
    ("written", "folded"),
    [
        ("Nguyễn Thị Hướng", "nguyen thi huong"),
        ("NGUYỄN THỊ HƯỚNG", "nguyen thi huong"),
        ("Đỗ Văn Đức", "do van duc"),
        ("Hoàng  Thị-Đào", "hoang thi dao"),
    ],
)
def test_vietnamese_folds_case_diacritics_and_d_bar(written, folded):
    assert fold(written) == folded


def test_nfd_input_folds_the_same():
    import unicodedata

    assert fold(unicodedata.normalize("NFD", "Nguyễn Thị Hướng")) == "nguyen thi huong"


@pytest.mark.parametrize(
    ("lao", "latin"),
    [
        ("ຫງວຽນ ທິ ເຮືອງ", "nguyen thi huong"),  # a Vietnamese name as a Lao officer writes it
        ("ເລ ທິ ລານ", "le thi lan"),
        ("ສົມສັກ ພົມມະຈັນ", "somsak phommachan"),
        ("ຄຳພອນ ສີຫາລາດ", "khamphon sihalad"),
        ("ເຈື່ອງ", "chuong"),  # tone mark inside a split vowel
        ("ອຸດົມ", "udom"),  # a silent ອ carries the first vowel
    ],
)
def test_lao_script_to_latin(lao, latin):
    assert lao_to_latin(lao) == latin


def test_chinese_characters_give_pinyin_and_sino_vietnamese_readings():
    forms = comparable_forms("阮氏香").forms
    assert "nguyen thi huong" in forms  # Hán-Việt readings (Unihan kVietnamese)
    assert "ruan shi xiang" in forms  # pinyin
    # Unihan gives 李 as "lí"; the surname is mostly written Lý: the scorer treats y as i.
    assert set(comparable_forms("李明").forms) == {"li minh", "li ming"}
    assert similarity("李明", "Lý Minh") == 100


@pytest.mark.parametrize(
    "rendering",
    [
        "Nguyen Thi Huong",
        "nguyễn thị hướng",
        "Hướng Nguyễn Thị",  # given name first
        "ຫງວຽນ ທິ ເຮືອງ",
        "阮氏香",
    ],
)
def test_renderings_of_one_name_are_alike(rendering):
    assert similarity("Nguyễn Thị Hướng", rendering) >= 90


def test_pinyin_matches_the_characters_it_was_read_from():
    assert similarity("阮氏香", "Ruan Shixiang") >= 90
    assert similarity("ບຸນມີ", "Bounmy") >= 90  # French-style Lao romanisation


def test_different_people_are_not_alike():
    assert similarity("Nguyễn Thị Hướng", "Trần Văn Bình") < 60
    assert similarity("ສົມສັກ ພົມມະຈັນ", "李明") < 60


def test_a_script_we_do_not_read_is_reported_not_a_crash():
    forms = comparable_forms("Nguyễn ᠮᠣᠩᠭᠣᠯ")  # Mongolian script
    assert forms.forms == ["nguyen"]
    assert forms.unreadable == "ᠮᠣᠩᠭᠣᠯ"
    assert comparable_forms("   ").readable is False
