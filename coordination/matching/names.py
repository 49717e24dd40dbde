"""Names in comparable forms, whatever script or spelling they were written in.

A name heard across the border may come as Vietnamese with or without diacritics, in Lao
script, in Chinese characters or in pinyin, with its parts in another order. Every name is
turned into Latin forms (Lao by our ICU rules, Chinese both as pinyin via pypinyin and as
Sino-Vietnamese readings from Unihan's kVietnamese table), then folded: lower case, no
diacritics, đ → d. Those forms are what the scorer compares.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from pypinyin import Style, lazy_pinyin
from rapidfuzz import fuzz

from coordination.matching.lao import lao_to_latin

HAN_VIET_TABLE = Path(__file__).parent / "data" / "han_viet.tsv"
_LATIN_DIACRITICS = range(0x0300, 0x0370)


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


@cache
def han_viet_readings() -> dict[str, str]:
    """Character → its most common Sino-Vietnamese reading (Unihan kVietnamese)."""
    table = {}
    if HAN_VIET_TABLE.exists():
        for line in HAN_VIET_TABLE.read_text(encoding="utf-8").splitlines():
            if line and not line.startswith("#"):
                character, _tab, readings = line.partition("\t")
                if readings:
                    table[character] = readings.split()[0]
    return table


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
    """Latin forms of ``name``: one per reading of its Chinese characters (pinyin and
    Hán-Việt), the same otherwise."""
    name = unicodedata.normalize("NFC", name or "").strip()
    pinyin_parts, han_viet_parts, unreadable = [], [], []
    readings = han_viet_readings()
    for script, run in _runs(name):
        if script in ("latin", "digit"):
            pinyin_parts.append(run)
            han_viet_parts.append(run)
        elif script == "lao":
            latin = lao_to_latin(run)
            pinyin_parts.append(latin)
            han_viet_parts.append(latin)
        elif script == "han":
            # One syllable per character, as the partner side would say it.
            pinyin_parts.append(" ".join(lazy_pinyin(run, style=Style.NORMAL)))
            han_viet_parts.append(" ".join(readings.get(c, "") for c in run))
            unreadable.extend(c for c in run if c not in readings)
        elif script == "space":
            pinyin_parts.append(" ")
            han_viet_parts.append(" ")
        else:
            unreadable.append(run)
    forms = list(dict.fromkeys(fold("".join(parts)) for parts in (han_viet_parts, pinyin_parts)))
    return NameForms(name, [form for form in forms if form], "".join(unreadable))


def sound_key(form: str) -> str:
    """Spellings that sound alike made equal: y/i (Lý, Lí; Vy, Vi), ou/u (Lao "Bounmy")."""
    return form.replace("ou", "u").replace("y", "i")


def similarity(first: str, second: str) -> float:
    """0–100: how alike two written names are, across scripts, spellings and name order."""
    best = 0.0
    lefts = [sound_key(form) for form in comparable_forms(first).forms]
    rights = [sound_key(form) for form in comparable_forms(second).forms]
    for left in lefts:
        for right in rights:
            best = max(
                best,
                fuzz.token_sort_ratio(left, right),
                # Pinyin is often written without spaces inside a given name (Shixiang).
                fuzz.ratio(left.replace(" ", ""), right.replace(" ", "")),
            )
    return best
