"""The pinyin table against the 300 most common syllables of Vietnamese names: the pinyin of
each character a name syllable is written with reads back to that syllable."""

from __future__ import annotations

from pypinyin import Style, lazy_pinyin

from coordination.matching.names import DATA, fold, pinyin_han_viet, sound_key

COMMON = DATA / "common_name_syllables.tsv"


def common_syllables() -> dict[str, str]:
    rows = [
        line.split("\t")
        for line in COMMON.read_text(encoding="utf-8").splitlines()
        if line and not line.startswith(("#", "syllable\t"))
    ]
    return dict(rows)


def test_the_list_holds_300_syllables_each_with_its_characters():
    syllables = common_syllables()
    assert len(syllables) == 300
    assert all(characters for characters in syllables.values())
    for expected in ("Nguyễn", "Thị", "Văn", "Hương", "Duyên", "Lò", "Lăng", "Vũ"):
        assert expected in syllables


def test_every_common_name_syllable_reads_back_from_the_pinyin_of_its_characters():
    table = pinyin_han_viet()
    missing = []
    for syllable, characters in common_syllables().items():
        for character in characters:
            pinyin = lazy_pinyin(character, style=Style.NORMAL, v_to_u=True)[0].replace("ü", "u")
            readings = {sound_key(fold(reading)) for reading in table.get(pinyin, ())}
            if sound_key(fold(syllable)) not in readings:
                missing.append(f"{syllable} {character} {pinyin}")
    assert missing == []


def test_the_syllables_the_issue_names():
    table = pinyin_han_viet()
    assert "duyên" in table["yuan"]
    assert "lò" in table["lu"]
    assert "lăng" in table["ling"]
    assert table["yuan"][0] == "nguyên"  # the counted readings keep their order
