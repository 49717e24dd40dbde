"""Names in comparable forms, whatever script or spelling they were written in.

A name heard across the border may come as Vietnamese with or without diacritics, in Lao
script, in Chinese characters or in pinyin, with its parts in another order. Every name is
turned into Latin forms (Lao by our ICU rules, Chinese both as pinyin via pypinyin and as
Sino-Vietnamese readings from Unihan's kVietnamese table, corrected for names by a
hand-reviewed supplement), then folded: lower case, no diacritics, đ → d. A name written in
pinyin ("Ruan Shixiang") also gets the Sino-Vietnamese readings its syllables most likely
stand for ("nguyen thi huong"). Those forms are what the scorer compares.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from functools import cache, lru_cache
from pathlib import Path

from pypinyin import Style, lazy_pinyin
from rapidfuzz import fuzz

from coordination.matching.lao import lao_to_latin
from coordination.matching.sounds import sound_code

DATA = Path(__file__).parent / "data"
HAN_VIET_TABLE = DATA / "han_viet.tsv"  # Unihan kVietnamese (scripts/build_han_viet.py)
HAN_VIET_NAMES_TABLE = DATA / "han_viet_names.tsv"  # hand-reviewed, wins over Unihan
PINYIN_TABLE = DATA / "pinyin_han_viet.tsv"  # scripts/build_pinyin_han_viet.py
MAX_ALTERNATIVES = 3  # forms beyond the best reading, per name
_LATIN_DIACRITICS = range(0x0300, 0x0370)
# Marks that Vietnamese spelling uses and pinyin never does (circumflex, breve, tilde, hook
# above, horn, dot below): a word carrying one is not pinyin ("Lê" is not "le").
_VIETNAMESE_MARKS = frozenset("\u0302\u0303\u0306\u0309\u031b\u0323")


def script_of(character: str) -> str:
    """'latin', 'lao', 'han', 'digit', 'space' or 'other' (a script we do not read)."""
    if character.isspace() or character in "-'’.,":
        return "space"
    code = ord(character)
    if 0x0E80 <= code <= 0x0EFF:
        return "lao"
    if 0x4E00 <= code <= 0x9FFF or 0x3400 <= code <= 0x4DBF or 0x20000 <= code <= 0x2A6DF:
        return "han"
    if character.isdigit():
        return "digit"
    if unicodedata.name(character, "").startswith("LATIN") or character in "đĐ":
        return "latin"
    if unicodedata.category(character).startswith("M"):
        return "latin"  # a combining mark on a Latin letter (NFD input)
    return "other"


def fold(text: str) -> str:
    """Lower case Latin without diacritics (Nguyễn Thị Hướng → nguyen thi huong)."""
    text = text.replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFKD", text)
    kept = "".join(c for c in decomposed if ord(c) not in _LATIN_DIACRITICS)
    letters = "".join(c if c.isalnum() else " " for c in kept.casefold())
    return " ".join(letters.split())


def _read_table(path: Path) -> dict[str, tuple[str, ...]]:
    """``key TAB reading reading … [TAB # note]`` lines; ``#`` lines are comments."""
    table: dict[str, tuple[str, ...]] = {}
    if path.exists():
        for line in path.read_text(encoding="utf-8").splitlines():
            if line and not line.startswith("#"):
                key, _tab, rest = line.partition("\t")
                table[key] = tuple(rest.split("#", 1)[0].split())
    return table


@cache
def han_viet_name_readings() -> dict[str, tuple[str, ...]]:
    """Character → its readings in names, the usual one first (hand-reviewed supplement:
    黃 → hoàng, huỳnh), for characters Unihan lacks or reads otherwise first."""
    return {
        character: words for character, words in _read_table(HAN_VIET_NAMES_TABLE).items() if words
    }


@cache
def han_viet_readings() -> dict[str, str]:
    """Character → its most common Sino-Vietnamese reading (Unihan kVietnamese, where the
    hand-reviewed supplement for names wins)."""
    table = {
        character: words[0] for character, words in _read_table(HAN_VIET_TABLE).items() if words
    }
    table.update((character, words[0]) for character, words in han_viet_name_readings().items())
    return table


@cache
def pinyin_han_viet() -> dict[str, tuple[str, ...]]:
    """Toneless pinyin syllable → its likely Sino-Vietnamese readings, best first (empty for a
    valid syllable with none known): "xiang" → (tường, hương)."""
    return _read_table(PINYIN_TABLE)


@lru_cache(maxsize=4096)
def pinyin_syllables(word: str) -> tuple[str, ...] | None:
    """``word`` (folded) cut into pinyin syllables ("shixiang" → shi, xiang), or None if it
    is not pinyin ("nguyen"). Fewest syllables win, then the longer first one ("xian", not
    "xi an")."""
    valid = pinyin_han_viet()
    best: dict[int, tuple[str, ...]] = {len(word): ()}  # position → best cut of the rest
    for start in range(len(word) - 1, -1, -1):
        cuts = [
            (word[start:end], *best[end])
            for end in range(min(len(word), start + 6), start, -1)
            if end in best and word[start:end] in valid
        ]
        if cuts:
            best[start] = min(cuts, key=len)
    return best.get(0) or None


def _is_pinyin(word: str) -> bool:
    decomposed = unicodedata.normalize("NFD", word)
    if "đ" in word.casefold() or any(mark in _VIETNAMESE_MARKS for mark in decomposed):
        return False
    return pinyin_syllables(fold(word)) is not None


def _runs(text: str) -> list[tuple[str, str]]:
    """``text`` cut into (script, run) pieces."""
    runs: list[tuple[str, str]] = []
    for character in text:
        script = script_of(character)
        if runs and runs[-1][0] == script:
            runs[-1] = (script, runs[-1][1] + character)
        else:
            runs.append((script, character))
    return runs


@dataclass
class NameForms:
    """The comparable Latin forms of one written name, and what could not be read."""

    written: str
    forms: list[str] = field(default_factory=list)
    unreadable: str = ""

    @property
    def readable(self) -> bool:
        return bool(self.forms and self.forms[0])


def comparable_forms(name: str) -> NameForms:
    """Latin forms of ``name``: its Sino-Vietnamese reading, its pinyin, then a few other
    likely readings (of Chinese characters with two name readings, 黃 hoàng / huỳnh, and of
    a name written in pinyin, syllable by syllable)."""
    name = unicodedata.normalize("NFC", name or "").strip()
    forms, unreadable = _forms(name)
    return NameForms(name, list(forms), unreadable)


@lru_cache(maxsize=65536)
def _forms(name: str) -> tuple[tuple[str, ...], str]:
    """(forms, unreadable) of an NFC-normalised, stripped name; pure, so cached."""
    runs = _runs(name)
    readings = han_viet_readings()
    names = han_viet_name_readings()
    syllables = pinyin_han_viet()
    latin_words = [run for script, run in runs if script == "latin"]
    pinyin = bool(latin_words) and all(_is_pinyin(word) for word in latin_words)
    # One slot per piece, with its readings best first (one reading for most).
    slots: list[tuple[str, ...]] = []
    pinyin_parts, unreadable = [], []
    for script, run in runs:
        if script == "latin" and pinyin:
            pinyin_parts.append(run)
            for index, syllable in enumerate(pinyin_syllables(fold(run)) or ()):
                slots.extend([(" ",)] * (index > 0))
                slots.append(syllables.get(syllable) or (syllable,))
        elif script in ("latin", "digit"):
            pinyin_parts.append(run)
            slots.append((run,))
        elif script == "lao":
            latin = lao_to_latin(run)
            pinyin_parts.append(latin)
            slots.append((latin,))
        elif script == "han":
            # One syllable per character, as the partner side would say it.
            pinyin_parts.append(" ".join(lazy_pinyin(run, style=Style.NORMAL)))
            for index, character in enumerate(run):
                slots.extend([(" ",)] * (index > 0))
                slots.append(names.get(character) or (readings.get(character, ""),))
            unreadable.extend(c for c in run if c not in readings)
        elif script == "space":
            pinyin_parts.append(" ")
            slots.append((" ",))
        else:
            unreadable.append(run)
    best = [options[0] for options in slots]
    # Other readings, one slot at a time: second readings first, from the end of the name
    # (given names are the most ambiguous), at most MAX_ALTERNATIVES of them.
    others = sorted(
        ((rank, position, option)
         for position, options in enumerate(slots)
         for rank, option in enumerate(options[1:], 1)),
        key=lambda other: (other[0], -other[1]),
    )  # fmt: skip
    alternatives = [
        [*best[:position], option, *best[position + 1 :]] for _rank, position, option in others
    ]
    firsts = (pinyin_parts, best) if pinyin else (best, pinyin_parts)
    forms = [form for form in dict.fromkeys(fold("".join(parts)) for parts in firsts) if form]
    for parts in alternatives:
        if len(forms) >= len(firsts) + MAX_ALTERNATIVES:
            break
        form = fold("".join(parts))
        if form and form not in forms:
            forms.append(form)
    return tuple(forms), "".join(unreadable)


def sound_key(form: str) -> str:
    """Spellings that sound alike made equal: y/i (Lý, Lí; Vy, Vi), ou/u (Lao "Bounmy")."""
    return form.replace("ou", "u").replace("y", "i")


def _has_lao(name: str) -> bool:
    return any(script_of(character) == "lao" for character in name)


@lru_cache(maxsize=65536)
def _keyed_forms(name: str, by_sound: bool = False) -> tuple[tuple[str, ...], ...]:
    """Each form of ``name`` as a tuple of its words, by sound (sound_key), or by the
    coarser sound codes retrieval keys names by (``by_sound``: for Lao script)."""
    keyed = []
    for form in comparable_forms(name).forms:
        words = sound_key(form).split()
        if by_sound:
            words = [sound_code(word) for word in form.split()]
        keyed.append(tuple(words))
    return tuple(dict.fromkeys(keyed))


@lru_cache(maxsize=65536)
def reading_options(name: str) -> tuple[tuple[str, ...], ...] | None:
    """The readings of each syllable of a name written in pinyin or Chinese characters,
    folded and keyed by sound, best first ("Ruan Shi Yuan" → (nguyen,), (thi, ...),
    (nguyen, uyen, vien, duyen)); None for a name in another script (one reading each)."""
    name = unicodedata.normalize("NFC", name or "").strip()
    runs = _runs(name)
    if any(script == "han" for script, _run in runs):
        readings, names = han_viet_readings(), han_viet_name_readings()
        slots = []
        for script, run in runs:
            if script == "han":
                slots += [names.get(c) or (readings.get(c, ""),) for c in run]
            elif script in ("latin", "digit"):
                slots += [(word,) for word in run.split()]
        return tuple(tuple(sound_key(fold(r)) for r in slot if r) or ("",) for slot in slots)
    latin = [run for script, run in runs if script == "latin"]
    if not latin or not all(_is_pinyin(word) for word in latin):
        return None
    table = pinyin_han_viet()
    slots = []
    for word in latin:
        for syllable in pinyin_syllables(fold(word)) or ():
            slots.append(tuple(sound_key(fold(r)) for r in table.get(syllable) or (syllable,)))
    return tuple(slots)


def _guided(options: tuple[tuple[str, ...], ...], words: tuple[str, ...]) -> tuple[str, ...]:
    """A pinyin or Chinese name read with, for each syllable, the reading the other name
    has if it is one of its readings (yuan: Nguyên, Uyên, Viên … or Duyên), else its best;
    each word of the other name stands for one syllable only."""
    left = list(words)
    guided = []
    for slot in options:
        reading = next((r for r in slot if r in left), None)
        if reading is not None:
            left.remove(reading)
        guided.append(reading or slot[0])
    return tuple(guided)


ORDER_WEIGHT = 12  # name points lost when family and given name stand in each other's place
OTHER_ORDER = 20  # positional points lost reading a name given name first (both are seen)


def _roles(words: tuple[str, ...]) -> list[tuple[str, str, int]]:
    """(family name, given name, cost) for each way a name may be ordered: Vietnamese and
    Chinese order (family first, given last), then given name first (Lao renderings and
    forms: family last, or family second before the middle names)."""
    if len(words) < 2:
        return []
    roles = [(words[0], words[-1], 0), (words[-1], words[0], OTHER_ORDER)]
    if len(words) > 2:
        roles.append((words[1], words[0], OTHER_ORDER))
    return roles


def _positions(left: tuple[str, ...], right: tuple[str, ...]) -> float:
    """0–100: how well the family and the given name agree, in the likeliest orders."""
    if len(left) < 2 or len(right) < 2:
        return 100.0  # one word: no order to agree on
    best = 0.0
    for left_family, left_given, left_cost in _roles(left):
        for right_family, right_given, right_cost in _roles(right):
            family = fuzz.ratio(left_family, right_family)
            given = fuzz.ratio(left_given, right_given)
            best = max(best, (family + given) / 2 - left_cost - right_cost)
    return best


def _order_free(left: tuple[str, ...], right: tuple[str, ...], cutoff: float) -> float:
    return max(
        # The tokens in any order (fuzz.token_sort_ratio).
        fuzz.ratio(" ".join(sorted(left)), " ".join(sorted(right)), score_cutoff=cutoff),
        # Pinyin is often written without spaces inside a given name (Shixiang).
        fuzz.ratio("".join(left), "".join(right), score_cutoff=cutoff),
    )


def similarity(first: str, second: str) -> float:
    """0–100: how alike two written names are, across scripts, spellings and name order.

    The words are compared in any order (a partner may write the given name first), then
    up to ORDER_WEIGHT points are taken off when the family name of one stands where the
    other has its given name ("Mai Thị Vân" is not "Vân Thị Mai"). A name in Lao script is
    compared by sound, with the rules retrieval uses (sounds.sound_code); a name in pinyin
    or Chinese characters with the reading of each syllable that the other name has."""
    by_sound = _has_lao(first) or _has_lao(second)
    pairs = [
        (left, right)
        for left in _keyed_forms(first, by_sound)
        for right in _keyed_forms(second, by_sound)
    ]
    if not by_sound:
        for one, other, flip in ((first, second, False), (second, first, True)):
            options = reading_options(one)
            if options:
                for words in _keyed_forms(other):
                    guided = _guided(options, words)
                    pairs.append((words, guided) if flip else (guided, words))
    best, positions = 0.0, 0.0
    for left, right in pairs:
        score = _order_free(left, right, best)
        if score < best or score == 0:
            continue
        position = _positions(left, right) if score >= 50 else 100.0
        if score > best or position > positions:
            best, positions = score, position
        if best == 100 and positions == 100:
            break
    if best == 0:
        return 0.0
    return max(0.0, best - ORDER_WEIGHT * (100 - min(positions, 100)) / 100)


@cache
def vietnamese_syllables() -> tuple[str, ...]:
    """The syllables Vietnamese names are made of: every Sino-Vietnamese reading (Unihan
    and the names supplement), folded, y as i."""
    found = set()
    for table in (HAN_VIET_TABLE, HAN_VIET_NAMES_TABLE):
        if table.exists():
            for line in table.read_text(encoding="utf-8").splitlines():
                if line and not line.startswith("#"):
                    readings = line.partition("\t")[2].split("#", 1)[0]
                    found.update(sound_key(fold(reading)) for reading in readings.split())
    return tuple(sorted(found))


def romanise(name: str | None) -> str | None:
    """A Latin rendering to print beside a name written in another script (Lao by our
    rules, Chinese characters as pinyin); None when the name is already in Latin letters."""
    name = unicodedata.normalize("NFC", name or "").strip()
    if not any(script_of(c) in ("lao", "han") for c in name):
        return None
    parts = []
    for script, run in _runs(name):
        if script == "lao":
            parts.append(lao_to_latin(run))
        elif script == "han":
            parts.append(" ".join(lazy_pinyin(run, style=Style.NORMAL)))
        else:
            parts.append(run)
    words = " ".join("".join(parts).split())
    return " ".join(word[:1].upper() + word[1:] for word in words.split(" ")) or None
