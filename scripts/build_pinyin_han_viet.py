#!/usr/bin/env python3
"""Build coordination/matching/data/pinyin_han_viet.tsv from the Unihan database.

Maintainer tool, NOT run at install time or in CI.  A Vietnamese name written in
pinyin by a Chinese office ("Ruan Shi Xiang" for Nguyễn Thị Hương) lost its
characters; this table guesses them back, one toneless pinyin syllable at a time::

    <syllable> TAB <reading> [SPACE <reading> ...]

the most likely Sino-Vietnamese (Hán-Việt) readings of that syllable, best first,
at most ``MAX_READINGS``; a syllable no character with a Vietnamese reading has
gets an empty field (it is still valid pinyin).  Lines are sorted by syllable.

How the readings are counted: every character with a Mandarin reading
(``kMandarin``, its first value only, tones and the ü umlaut dropped; other
readings, even of name characters only, brought more noise than names) and a
Vietnamese reading (the first ``kVietnamese`` reading, with the borrowing
between variants of ``scripts/build_han_viet.py``, overridden by the
hand-reviewed ``han_viet_names.tsv``, whose second readings count too, at
falling weight) adds its weight to the pair (syllable, reading).  A traditional
character with a distinct simplified form is left to that form, so that a pair
of forms counts once.  Readings that fold to the same Latin letters (hương,
hướng) count together, spelled as the heaviest one; a reading weighing less
than ``MIN_SHARE`` of the best is dropped unless a name character has it.

The weight favours names: ``NAME_WEIGHT`` for the characters of Vietnamese
surnames and given names (``NAME_CHARACTERS``, their Unihan simplified and
traditional variants, and the supplement's characters), twice that for the
most common ones (``COMMON_NAME_CHARACTERS``), plus a weight by ``kFrequency``
(1 = most common); other characters weigh little.

Then each of the 300 most common syllables of Vietnamese names
(``common_name_syllables.tsv``: the syllable and the characters it is written
with) is made sure of: a syllable of the pinyin of one of its characters (every
``kMandarin`` value) that does not list it gets it, after its counted readings
(the weights alone left out yuan → Duyên, lu → Lò, ling → Lăng, yu → Vũ).

It also checks the supplement: the simplified form (``kSimplifiedVariant``, if
in the mainland standard list ``kTGHZ2013``) of a supplement character must be
in the supplement too, or already have the same reading; otherwise it writes
the table and exits with status 1.

Source: Debian's ``unicode-data`` package (only the standard library is used)::

    apt-get update && apt-get install -y unicode-data
    python3 scripts/build_pinyin_han_viet.py

``--source`` also accepts a Unihan.zip, or a directory holding Unihan_*.txt
(plain or .bz2).  Output is deterministic for a given Unihan release and
supplement.
"""

from __future__ import annotations

import argparse
import sys
import unicodedata
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from build_han_viet import (
    DEFAULT_SOURCE,
    _code_points,
    _debian_version,
    _entries,
    _header,
    _header_value,
    _open_unihan_text,
)
from build_han_viet import build as build_han_viet

REPO = Path(__file__).resolve().parent.parent
DATA = REPO / "coordination" / "matching" / "data"
DEFAULT_OUTPUT = DATA / "pinyin_han_viet.tsv"
SUPPLEMENT = DATA / "han_viet_names.tsv"
COMMON_SYLLABLES = DATA / "common_name_syllables.tsv"
REGEN_COMMAND = "apt-get install -y unicode-data && python3 scripts/build_pinyin_han_viet.py"

MAX_READINGS = 3
NAME_WEIGHT = 40.0
COMMON_NAME_WEIGHT = 80.0
FREQUENCY_WEIGHT = {1: 16.0, 2: 8.0, 3: 4.0, 4: 2.0, 5: 1.0}  # Unihan kFrequency
GRADE_WEIGHT = 1.0  # in kGradeLevel (taught at school) but no kFrequency
OTHER_WEIGHT = 0.1
MIN_SHARE = 0.2  # drop a reading weighing less than this share of the syllable's best

# Characters of Vietnamese surnames and given names (traditional or shared forms; their
# Unihan simplified/traditional variants are added by the script).  The most common: the
# surnames of about nine Vietnamese in ten, the middle names Thị and Văn, frequent given names.
COMMON_NAME_CHARACTERS = (
    "阮陳黎范黃潘武鄧裴杜胡吳楊李氏文有香蘭花玲英明雄勇俊河梅玉秋恆海南龍芳草輝德光清紅幸娥燕賢"
)
NAME_CHARACTERS = COMMON_NAME_CHARACTERS + (
    # surnames
    "阮陳黎范黃潘武鄧裴杜胡吳楊李丁張林梅高蘇何劉朱陶梁王鄭謝蔡郭孫趙段喬陸賴莫周馮"
    "孔江譚曾羅徐申嚴許葉尹韋翁呂金石韓宋歐寧關農夏"
    # given names and middle names
    "氏文有德明香蘭玉秋芳雄英花華紅海河霞玲龍南光青清成誠忠中俊勇輝幸孝和慶鸞娥福鳳"
    "瓊心草水進秀松雲越春燕強平蓉維達厚賢興祿義銀仁豐風軍君貴山才新勝善盛全智貞榮薇"
    "恆姮月妙珠寶芝雪東翠詩懷美安祥翔如日國家世公仲克廷功登名鳴桃菊竹蓮荷映雅麗娟"
    "鵑潔靜惠慧容輝煌皇凰桂柳杏萍泉峰剛偉傑豪鴻勳孟長壽泰太保順道恩思敏聰晶星真玄冬"
    "姬愛兒茹莊妝啟靈嬌鶯鵬濤凱傳權賓鶴慈緣圓欣蝶絨簪鴛淵書舒堅科利琴俠合協力倫發信"
    "通娘珍卿景敬情精陽元原永康定仙垂閑魁顯閨歡欽旺隆宗尊恭寬純朗亮晨霜楓柏鎮錦勤儉佳嘉"
    "娜珊瑤瑞銘鋒淳奎昌熙琪"
)


def _toneless(pinyin: str) -> str:
    """'xiāng' → 'xiang', 'lǚ' → 'lu' (as a Latin form is folded for comparing)."""
    decomposed = unicodedata.normalize("NFD", pinyin.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _fold(reading: str) -> str:
    """'hướng' → 'huong' (as coordination.matching.names.fold does)."""
    decomposed = unicodedata.normalize("NFD", reading.replace("đ", "d").replace("Đ", "D"))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


def read_supplement(path: Path) -> dict[str, list[str]]:
    table = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            character, readings = line.split("\t")[:2]
            table[character] = [unicodedata.normalize("NFC", r) for r in readings.split()]
    return table


def read_common_syllables(path: Path) -> dict[str, str]:
    """Syllable → the characters it is written with (common_name_syllables.tsv)."""
    table = {}
    for line in path.read_text(encoding="utf-8").splitlines()[1:]:
        if line and not line.startswith("#") and not line.startswith("syllable\t"):
            syllable, characters = line.split("\t")[:2]
            table[unicodedata.normalize("NFC", syllable.lower())] = characters
    return table


def add_common_syllables(
    table: dict[str, list[str]], common: dict[str, str], readings_text: str
) -> list[str]:
    """Append to ``table`` each common syllable that the pinyin of its characters does not
    read back; returns what was added ("yuan → duyên (缘)")."""
    mandarin = {
        cp: [_toneless(value) for value in values.split()]
        for cp, values in _entries(readings_text, "kMandarin")
    }
    added = []
    for syllable, characters in common.items():
        for character in characters:
            for pinyin in dict.fromkeys(mandarin.get(ord(character), [])):
                pinyin = pinyin.replace("ü", "u")
                words = table.setdefault(pinyin, [])
                if _fold(syllable) not in {_fold(word) for word in words}:
                    words.append(syllable)
                    added.append(f"{pinyin} → {syllable} ({character})")
    return added


def _linked(variants_text: str) -> dict[int, set[int]]:
    """Code point → its simplified and traditional variants, and the characters whose
    variant it is (both directions)."""
    linked: dict[int, set[int]] = defaultdict(set)
    for field in ("kTraditionalVariant", "kSimplifiedVariant"):
        for cp, value in _entries(variants_text, field):
            for other in _code_points(value):
                if other != cp:
                    linked[cp].add(other)
                    linked[other].add(cp)
    return linked


def check_supplement(
    supplement: dict[str, list[str]],
    readings: dict[int, list[str]],
    variants_text: str,
    standard: set[int],
) -> list[str]:
    """Simplified forms (kSimplifiedVariant) of supplement characters, in the mainland
    standard list (kTGHZ2013), left with another reading: they should be none.  (Only this
    direction: a traditional variant such as 範 of the surname 范 is another word.)"""
    problems = []
    for cp, value in _entries(variants_text, "kSimplifiedVariant"):
        words = supplement.get(chr(cp))
        if not words:
            continue
        for other in _code_points(value):
            if other == cp or other not in standard or chr(other) in supplement:
                continue
            theirs = readings.get(other, [])
            if not theirs or _fold(theirs[0]) != _fold(words[0]):
                got = " ".join(theirs) or "nothing"
                problems.append(f"{chr(other)} (simplified {chr(cp)} {words[0]}) reads {got}")
    return problems


def build(
    source: Path, supplement_path: Path, common_path: Path = COMMON_SYLLABLES
) -> tuple[list[str], dict[str, list[str]], dict[str, int], list[str]]:
    """Return (header lines, readings by syllable, counts, supplement problems)."""
    _han_viet_header, readings, _counts = build_han_viet(source)
    readings_text = _open_unihan_text(source, "Unihan_Readings")
    variants_text = _open_unihan_text(source, "Unihan_Variants")
    dictionary_text = _open_unihan_text(source, "Unihan_DictionaryLikeData")
    supplement = read_supplement(supplement_path)
    linked = _linked(variants_text)
    standard = {cp for cp, _value in _entries(readings_text, "kTGHZ2013")}
    problems = check_supplement(supplement, readings, variants_text, standard)

    mandarin = {
        cp: _toneless(value.split()[0]) for cp, value in _entries(readings_text, "kMandarin")
    }
    frequency = {cp: int(value) for cp, value in _entries(dictionary_text, "kFrequency")}
    graded = {cp for cp, _value in _entries(dictionary_text, "kGradeLevel")}
    names = {ord(c) for c in NAME_CHARACTERS} | {ord(c) for c in supplement}
    names |= {other for cp in list(names) for other in linked.get(cp, ())}
    common = {ord(c) for c in COMMON_NAME_CHARACTERS}
    common |= {other for cp in list(common) for other in linked.get(cp, ())}
    # Pinyin is written on the mainland: a traditional character (one with another
    # simplified form) is counted once, as its simplified form.
    traditional = {
        cp
        for cp, value in _entries(variants_text, "kSimplifiedVariant")
        if any(other != cp for other in _code_points(value))
    }

    # syllable → folded reading → [total weight, {spelling: weight}, read from a name character]
    pairs: dict[str, dict[str, list]] = defaultdict(dict)
    valid = set()
    used = 0
    for cp, syllable in mandarin.items():
        if not any(vowel in syllable for vowel in "aeiouv"):
            continue  # m, n, ng, hm, hng: interjections, not syllables of names
        valid.add(syllable)
        if cp in traditional:
            continue
        # (Unihan's later readings are mostly Nôm: only the first counts.)
        words = supplement.get(chr(cp)) or readings.get(cp, [])[:1]
        if not words:
            continue
        used += 1
        weight = FREQUENCY_WEIGHT.get(frequency.get(cp, 0), GRADE_WEIGHT if cp in graded else 0)
        weight = (weight or OTHER_WEIGHT) + (
            COMMON_NAME_WEIGHT if cp in common else NAME_WEIGHT if cp in names else 0
        )
        for rank, word in enumerate(words):
            entry = pairs[syllable].setdefault(_fold(word), [0.0, defaultdict(float), False])
            entry[0] += weight / (rank + 1)
            entry[1][word] += weight / (rank + 1)
            entry[2] = entry[2] or cp in names

    table: dict[str, list[str]] = {}
    for syllable in sorted(valid):
        ranked = sorted(pairs[syllable].items(), key=lambda item: (-item[1][0], item[0]))
        best = ranked[0][1][0] if ranked else 0.0
        kept = [entry for _folded, entry in ranked if entry[2] or entry[0] >= best * MIN_SHARE]
        table[syllable] = [
            max(spellings.items(), key=lambda item: (item[1], item[0]))[0]
            for _weight, spellings, _name in kept[:MAX_READINGS]
        ]

    common = read_common_syllables(common_path)
    added = add_common_syllables(table, common, readings_text)
    table = dict(sorted(table.items()))

    info = _header(readings_text)
    version = _header_value(info, "Unicode version") or "?"
    date = (_header_value(info, "Date") or "?").split(" [", 1)[0]
    copyright_line = next((ln for ln in info if ln.startswith("©")), "© Unicode, Inc.")
    deb = _debian_version()
    source_note = f"Unihan_Readings.txt dated {date}"
    if deb:
        source_note += f"; Debian unicode-data {deb}"
    header = [
        "Toneless pinyin syllable → its most likely Sino-Vietnamese (Hán-Việt) readings, best first"
        f" (at most {MAX_READINGS}; empty: valid pinyin, no reading known).",
        f"Counted over Unicode {version} Unihan ({source_note}): kMandarin (first value) of every"
        " character paired with its first kVietnamese reading (variants borrowed as in"
        " han_viet.tsv), or with the readings of the hand-reviewed han_viet_names.tsv;"
        " traditional characters with a distinct simplified form left out (counted once).",
        f"Weights: {NAME_WEIGHT:g} for characters of Vietnamese names ({COMMON_NAME_WEIGHT:g} for"
        " the most common), plus kFrequency"
        f" 1-5 → {', '.join(f'{w:g}' for w in FREQUENCY_WEIGHT.values())}, kGradeLevel only →"
        f" {GRADE_WEIGHT:g}, else {OTHER_WEIGHT:g}; readings folding alike count together;"
        f" readings under {MIN_SHARE:.0%} of the best dropped, unless of a name character."
        f" Then the {len(common)} most common syllables of Vietnamese names"
        " (common_name_syllables.tsv) added after them where the pinyin of one of their"
        f" characters (any kMandarin value) lacked them: {len(added)} readings."
        " Extracted and modified from the Unicode Data Files.",
        f"Unihan data {copyright_line} Licence: Unicode License Agreement - Data Files and"
        " Software (Unicode Terms of Use, http://www.unicode.org/terms_of_use.html).",
        f"Regenerate: {REGEN_COMMAND}",
    ]
    counts = {
        "syllables": len(table),
        "characters counted": used,
        "common name readings added": len(added),
    }
    return header, table, counts, problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument(
        "--source",
        type=Path,
        default=DEFAULT_SOURCE,
        help="Unihan.zip, a Unihan_Readings.txt[.bz2], or a directory (default: %(default)s)",
    )
    parser.add_argument("--supplement", type=Path, default=SUPPLEMENT)
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT)
    args = parser.parse_args(argv)

    header, table, counts, problems = build(args.source, args.supplement)
    lines = [f"# {h}" for h in header]
    lines += [f"{syllable}\t{' '.join(words)}" for syllable, words in table.items()]
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text("\n".join(lines) + "\n", encoding="utf-8", newline="\n")
    print(
        f"wrote {args.output}:",
        ", ".join(f"{n} {what}" for what, n in counts.items()),
        file=sys.stderr,
    )
    for problem in problems:
        print(f"supplement {args.supplement.name}: {problem}", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
