"""Syllables as they sound, coarsely: the rules that make the renderings of one name meet.

Retrieval keys the name index by them (index.py), and the scorer compares names written in
Lao script by them (names.similarity): "ໂຮ ທິ ເຈິມ" reads back as "ho thi cheim", which is
Hồ Thị Trâm to a Lao ear (tr is ch, â is ເ-ິ), and must score so, not as "cheim".
"""

from __future__ import annotations

import re
from functools import lru_cache

# Spellings of one sound made equal, for the pair keys only: Vietnamese as written, Lao
# script read back by lao.py (ຟ້າມ → fam for Phạm, ເຈິ່ນ → chein for Trần, ຮວ່າງ → hvang for
# Hoàng, ມາຍ → manh for Mai), and French-style romanisations of Lao names (Phommachanh,
# Phommachan, Pommachan). Coarse on purpose: a key only proposes candidates, the scorer
# judges them, and the whole name (the "j:" key) stays exact.
_LAO_WORD = [  # a Lao name romanised in one word (more than one vowel group)
    (r"ae", "e"), (r"eu", "oe"), (r"one", "on"), (r"eow", "eo"), (r"ev(?![aeiou])", "eo"),
    (r"nh(?![aeiou])", "n"), (r"d(?![aeiou])", "t"), (r"b(?![aeiou])", "p"),
]  # fmt: skip
_CONSONANTS = [
    (r"ph|p", "f"), (r"x", "s"), (r"kh|ck|c(?!h)|q", "k"), (r"th", "t"), (r"ou", "u"),
    (r"ee", "i"), (r"w", "v"),
]  # fmt: skip
_ONSET = [  # Vietnamese d, gi, r and Lao ຢ (y) sound alike; tr is ch to a Lao ear
    (r"^ngh", "ng"), (r"^gh", "k"), (r"^gi(?=[aeiouy])", "z"), (r"^g", "k"), (r"^tr", "ch"),
    (r"^d", "z"), (r"^ye", "zi"), (r"^y(?=[aeiou])", "z"), (r"^r", "z"), (r"^ku(?=[aeiy])", "kv"),
    (r"^(ng|nh|ch|[bdfhklmnstvz])v(?=[aeiou])", r"\1o"),  # ຮວາງ hvang: Hoàng
]  # fmt: skip
_VOWELS = [
    (r"oe", "o"), (r"ei", "a"), (r"ae", "a"),  # ເ-ີ ơ, ເ-ິ â, ແ- (ແທງ: Thanh)
    (r"(?<=[bdfhklmnstvzg])v(?=ng|[nmktd])", "u"),  # ວ as a vowel: ຊວນ xvn, Xuân
    (r"uy(?=nh$)", "oi"), (r"uye|uie|ie|ia|ye|yi", "i"), (r"uo|ua|uu", "u"), (r"oa", "o"),
    (r"y", "i"),
]  # fmt: skip
_FINALS = [  # lao.py reads a final ຍ as nh (ມາຍ manh: Mai), a final ງ stands for Vietnamese nh
    (r"(k|ch)$", "K"), (r"(t|d)$", "T"), (r"(f|b)$", "P"), (r"(nh|ng|i)$", "G"),
    (r"(u|o|v)$", "U"), (r"n$", "N"), (r"m$", "M"),
]  # fmt: skip
_VOWEL_GROUPS = re.compile(r"[aeiouy]+")


def _compiled(rules):
    return [(re.compile(pattern), replacement) for pattern, replacement in rules]


_LAO_WORD, _CONSONANTS, _ONSET, _VOWELS, _FINALS = map(
    _compiled, (_LAO_WORD, _CONSONANTS, _ONSET, _VOWELS, _FINALS)
)


@lru_cache(maxsize=16384)
def sound_code(token: str) -> str:
    """One folded syllable (or one-word Lao name) as it sounds, coarsely: pham, fam (ຟາມ)
    → faM; hoang, hvang (ຮວາງ) → hoG; phommachanh, phommachan → fommachaN."""
    code = token
    if len(_VOWEL_GROUPS.findall(code)) > 1:
        for pattern, replacement in _LAO_WORD:
            code = pattern.sub(replacement, code)
    for pattern, replacement in _CONSONANTS:
        code = pattern.sub(replacement, code)
    for pattern, replacement in _ONSET:
        code = pattern.sub(replacement, code, count=1)
    for pattern, replacement in _VOWELS:
        code = pattern.sub(replacement, code)
    for pattern, replacement in _FINALS:
        code = pattern.sub(replacement, code, count=1)
    return code
