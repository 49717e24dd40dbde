"""Each transliteration step with real names of the three border regions."""

import pytest

from coordination.matching import names
from coordination.matching.lao import lao_to_latin
from coordination.matching.names import (
    MAX_ALTERNATIVES,
    comparable_forms,
    fold,
    han_viet_name_readings,
    han_viet_readings,
    pinyin_han_viet,
    pinyin_syllables,
    romanise,
    similarity,
)


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


# --- Pinyin renderings of Vietnamese names, and the tables behind them -------------------


@pytest.mark.parametrize(
    ("word", "syllables"),
    [
        ("shixiang", ("shi", "xiang")),
        ("wenming", ("wen", "ming")),
        ("ruan", ("ruan",)),
        ("xian", ("xian",)),  # the fewest syllables, not xi + an
        ("le", ("le",)),  # some Vietnamese words are pinyin too: they only get more forms
        ("nguyen", None),
        ("thi", None),
        ("huong", None),  # hu + ong, huo + ng: "ng" alone is not a syllable of a name
        ("van", None),
        ("somsak", None),
        ("", None),
    ],
)
def test_a_word_is_cut_into_pinyin_syllables_or_is_not_pinyin(word, syllables):
    assert pinyin_syllables(word) == syllables


@pytest.mark.parametrize(
    "written",
    ["Ruan Shi Xiang", "Ruan Shixiang", "RUAN SHI XIANG", "ruan shixiang", "Ruǎn Shìxiāng"],
)
def test_a_name_in_pinyin_gets_its_likely_sino_vietnamese_readings(written):
    forms = comparable_forms(written).forms
    assert forms[0] == fold(written)  # as written first
    assert "nguyen thi huong" in forms
    assert len(forms) <= 2 + MAX_ALTERNATIVES


@pytest.mark.parametrize(
    ("pinyin", "vietnamese"),
    [
        ("Ruan Shixiang", "Nguyễn Thị Hương"),
        ("RUAN SHI XIANG", "Nguyễn Thị Hương"),
        ("Ruan Shi Xiang", "Nguyen Thi Huong"),
        ("Xiang Ruan Shi", "Nguyễn Thị Hương"),  # given name first
        ("Chen Wen Xiong", "Trần Văn Hùng"),
        ("Chen Wenxiong", "Tran Van Hung"),
        ("Fan Shi Lan", "Phạm Thị Lan"),
        ("Huang Wenming", "Hoàng Văn Minh"),
        ("Huang Wenming", "Huỳnh Văn Minh"),  # 黃's southern reading
        ("Wu Shi Mei", "Vũ Thị Mai"),
        ("Liu Shi Fang", "Lưu Thị Phương"),
        ("Deng Shi Ying", "Đặng Thị Anh"),
        ("Pei Wen Long", "Bùi Văn Long"),
        ("Du Wen De", "Đỗ Văn Đức"),
        ("Hu Shi Hong", "Hồ Thị Hồng"),
        ("Li Ming", "Lý Minh"),
        ("Chen Wenxiong", "陈文雄"),  # pinyin and the characters it was read from
    ],
)
def test_pinyin_matches_the_vietnamese_name(pinyin, vietnamese):
    assert similarity(pinyin, vietnamese) >= 90
    assert similarity(vietnamese, pinyin) >= 90


@pytest.mark.parametrize(
    ("characters", "vietnamese"),
    [
        ("陈文雄", "Trần Văn Hùng"),  # simplified
        ("陳文雄", "Trần Văn Hùng"),  # traditional
        ("范氏兰", "Phạm Thị Lan"),  # 范 and 蘭/兰 are missing from Unihan kVietnamese
        ("范氏蘭", "Phạm Thị Lan"),
        ("黄文明", "Hoàng Văn Minh"),
        ("黃文明", "Huỳnh Văn Minh"),
        ("武氏梅", "Võ Thị Mai"),
        ("刘氏芳", "Lưu Thị Phương"),
        ("劉氏芳", "Lưu Thị Phương"),
        ("吴文德", "Ngô Văn Đức"),
        ("邓氏英", "Đặng Thị Anh"),
        ("朱文强", "Chu Văn Cường"),  # Unihan reads 朱 cho and 強 càng (Nôm)
        ("胡氏燕", "Hồ Thị Yến"),
    ],
)
def test_chinese_characters_match_the_vietnamese_name(characters, vietnamese):
    assert similarity(characters, vietnamese) >= 90


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("Chen Wen Xiong", "Nguyễn Thị Hương"),
        ("Fan Shi Lan", "Trần Văn Hùng"),
        ("Huang Wenming", "Phạm Thị Lan"),
        ("Ruan Shixiang", "Trần Văn Bình"),
        ("陈文雄", "Phạm Thị Lan"),
        ("范氏兰", "Hoàng Văn Minh"),
        ("Le Hong", "Lê Thị Lan"),
        ("ສົມສັກ ພົມມະຈັນ", "Chen Wen Xiong"),
    ],
)
def test_different_people_stay_apart_across_pinyin_and_characters(first, second):
    assert similarity(first, second) < 75


@pytest.mark.parametrize(
    ("written", "forms"),
    [
        ("Nguyễn Thị Hướng", ["nguyen thi huong"]),
        ("Le Thi Lan", ["le thi lan"]),  # "thi" is not pinyin: the name is left alone
        ("Lê Hồng", ["le hong"]),  # Vietnamese diacritics: not pinyin, though "le hong" is
        ("ເລ ທິ ລານ", ["le thi lan"]),  # Lao script is never read as pinyin
        ("Somsak Phommachan", ["somsak phommachan"]),
    ],
)
def test_vietnamese_and_lao_names_are_not_read_as_pinyin(written, forms):
    assert comparable_forms(written).forms == forms


def test_characters_with_two_name_readings_give_both():
    assert comparable_forms("黃文明").forms == [
        "hoang van minh",
        "huang wen ming",
        "huynh van minh",
    ]
    assert "vo thi mai" in comparable_forms("武氏梅").forms


def test_the_number_of_forms_is_bounded():
    for written in (
        "Xi Xi Xi Xi Xi Xi",
        "Shi Shi Shi Shi",
        "黃黃黃黃武武武",
        "Li Li Li Li Li Li Li",
    ):
        assert len(comparable_forms(written).forms) <= 2 + MAX_ALTERNATIVES


def test_comparable_forms_is_cached_but_returns_a_fresh_list():
    first = comparable_forms("Ruan Shixiang")
    first.forms.append("changed by a caller")
    assert "changed by a caller" not in comparable_forms("Ruan Shixiang").forms


def test_the_name_supplement_wins_over_unihan():
    readings = han_viet_readings()
    assert readings["阮"] == "nguyễn"  # from Unihan kVietnamese
    assert readings["范"] == "phạm"  # missing from Unihan, added by the supplement
    assert readings["朱"] == "chu"  # Unihan gives the Nôm reading "cho" first
    assert readings["徐"] == "từ"  # Unihan: "chờ"
    assert han_viet_name_readings()["黃"] == ("hoàng", "huỳnh")
    assert han_viet_name_readings()["武"] == ("vũ", "võ")


@pytest.mark.parametrize(
    ("simplified", "traditional", "reading"),
    [
        ("刘", "劉", "lưu"),
        ("吴", "吳", "ngô"),
        ("黄", "黃", "hoàng"),
        ("邓", "鄧", "đặng"),
        ("陈", "陳", "trần"),
        ("兰", "蘭", "lan"),
        ("赵", "趙", "triệu"),
        ("杨", "楊", "dương"),
    ],
)
def test_simplified_and_traditional_name_characters_read_alike(simplified, traditional, reading):
    readings = han_viet_readings()
    assert readings[simplified] == readings[traditional] == reading


def test_the_supplement_file_is_well_formed():
    import unicodedata

    rows = han_viet_name_readings()
    assert len(rows) >= 50
    for character, words in rows.items():
        assert len(character) == 1 and names.script_of(character) == "han"
        assert words and all(w == unicodedata.normalize("NFC", w).lower() for w in words)
    header = names.HAN_VIET_NAMES_TABLE.read_text(encoding="utf-8").splitlines()[0]
    assert header.startswith("# Hand-reviewed")


def test_the_pinyin_table_is_well_formed_with_provenance():
    table = pinyin_han_viet()
    assert 350 < len(table) < 450  # about all the syllables of Mandarin
    # At most 3 counted readings, then the common name syllables the counting left out.
    assert all(len(words) <= 6 for words in table.values())
    assert table["ruan"][0] == "nguyễn"
    assert "hương" in table["xiang"]
    assert table["chen"][0] == "trần"
    assert table["huang"] == ("hoàng", "huỳnh")
    assert "biang" in table  # valid pinyin with no Vietnamese reading known
    assert "ng" not in table and "m" not in table  # interjections, not syllables of names
    header = names.PINYIN_TABLE.read_text(encoding="utf-8").splitlines()[:8]
    assert any("Unihan" in ln and "kMandarin" in ln for ln in header)
    assert any(ln.startswith("# Regenerate: ") for ln in header)


def test_table_reader_skips_comments_and_notes(tmp_path):
    table = tmp_path / "table.tsv"
    table.write_text(
        "# a comment\nxiang\thương tường\nbiang\t\n范\tphạm\t# surname Phạm\n\n",
        encoding="utf-8",
    )
    assert names._read_table(table) == {
        "xiang": ("hương", "tường"),
        "biang": (),
        "范": ("phạm",),
    }
    assert names._read_table(tmp_path / "missing.tsv") == {}


@pytest.mark.parametrize(
    ("written", "latin"),
    [
        ("ສົມສັກ ພົມມະຈັນ", "Somsak Phommachan"),
        ("阮氏香", "Ruan Shi Xiang"),
        ("李明 (Li)", "Li Ming (Li)"),
        ("Nguyễn Văn An", None),  # already in Latin letters
        ("🙂", None),
        ("", None),
    ],
)
def test_romanise_prints_a_latin_form_beside_other_scripts(written, latin):
    assert romanise(written) == latin


@pytest.mark.parametrize(
    ("lao", "latin"),
    [("ແກ້ວວົງສາ", "kaeovongsa"), ("ດາວເຮືອງ", "daohuong"), ("ຂາວ", "khao"), ("ວົງສາ", "vongsa")],
)
def test_lao_final_wo_is_the_vowel_o(lao, latin):
    assert lao_to_latin(lao) == latin


@pytest.mark.parametrize(
    ("lao", "latin"),
    [("ມາຍ", "mai"), ("ທາຍ", "thai"), ("ວຽດ", "viad"), ("ຫງວຽນ", "nguyen"), ("ຍິງ", "nhing")],
)
def test_lao_final_nyo_is_i_and_an_initial_wo_stays_a_consonant(lao, latin):
    assert lao_to_latin(lao) == latin


@pytest.mark.parametrize(
    ("written", "vietnamese"),
    [("阮氏碧", "Nguyễn Thị Bích"), ("黎氏淑", "Lê Thị Thục"), ("陈文晋", "Trần Văn Tấn")],
)
def test_name_characters_with_nom_readings_first_read_as_names(written, vietnamese):
    assert similarity(written, vietnamese) >= 90
