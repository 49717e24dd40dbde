"""Lao script to a Latin form for comparing names (not for display).

ICU ships no Lao-Latin transliterator, so these are our rules, run by ICU's rule engine.
They aim at what matters for matching names heard across the border: Lao renderings of
Vietnamese names (ຫງວຽນ → nguyen) and Lao names as usually romanised (ສົມສັກ → somsak).
Tone marks are dropped; prefix vowels (ເ ແ ໂ ໄ ໃ) are moved after their consonant.
"""

from __future__ import annotations

from functools import cache

import icu

# Order matters: ICU tries rules top to bottom at each position.
RULES = r"""
$c = [ກຂຄງຈສຊຍດຕຖທນບປຜຝພຟມຢຣລວຫອຮໜໝ] ;
# first pass: tone marks and signs carry nothing for matching (and split vowel patterns)
[່້໊໋ໆຯ] > ;
::Null ;
# silent ຫ before a sonorant (tone class only), and the ligatures
ຫງ > ng ; ຫຍ > nh ; ຫນ > n ; ຫມ > m ; ຫລ > l ; ຫວ > v ; ໜ > n ; ໝ > m ; ຫຼ > l ;
# prefix vowels with their vowel endings (C = the consonant they stand before)
# ("|" puts the cursor back before the consonant, so that it is transliterated next)
ເ ($c) ືອ > | $1 uo ;
ເ ($c) ຶອ > | $1 uo ;
ເ ($c) ັຍ > | $1 ay ;
ເ ($c) ົາ > | $1 ao ;
ເ ($c) ີ > | $1 oe ;
ເ ($c) ັ > | $1 e ;
ເ ($c) າະ > | $1 o ;
ເ ($c) ຍ > | $1 ey ;
ເ ($c) ະ > | $1 e ;
ເ ($c) > | $1 e ;
ແ ($c) > | $1 ae ;
ໂ ($c) > | $1 o ;
ໄ ($c) > | $1 ai ;
ໃ ($c) > | $1 ai ;
# ອ after a consonant (already in Latin) is the vowel o (ພອນ → phon); else a silent carrier
[bcdfghklmnprstvxy] { ອ > o ;
# ວ closing a syllable (after its vowel, before a consonant or the end) is the vowel o:
# ແກ້ວ → kaeo, ແກ້ວວົງສາ → kaeovongsa
[aeiou] { ວ } [$c ເແໂໄໃ] > o ;
[aeiou] { ວ } [^[:Lao:]] > o ;
[aeiou] { ວ } $ > o ;
# ຍ closing a syllable is the vowel i: ມາຍ → mai, ທາຍ → thai
[aeiou] { ຍ } [$c ເແໂໄໃ] > i ;
[aeiou] { ຍ } [^[:Lao:]] > i ;
[aeiou] { ຍ } $ > i ;
# ວ opening a word before ຽ is the consonant: ວຽດ → viad (Việt), not a vowel cluster
[^[:L:]] { ວຽ > via ;
^ ວຽ > via ;
# vowel clusters after the consonant
ວຽ > uye ;
ົວ > ua ;
ັວ > ua ;
ຽ > ia ;
ຳ > am ;
ໍ > o ;
ະ > a ; ັ > a ; າ > a ;
ິ > i ; ີ > i ;
ຶ > u ; ື > u ;
ຸ > u ; ູ > u ;
ົ > o ;
ຼ > l ;
# consonants
ກ > k ; ຂ > kh ; ຄ > kh ; ງ > ng ; ຈ > ch ; ສ > s ; ຊ > x ; ຍ > nh ;
ດ > d ; ຕ > t ; ຖ > th ; ທ > th ; ນ > n ; ບ > b ; ປ > p ; ຜ > ph ;
ຝ > f ; ພ > ph ; ຟ > f ; ມ > m ; ຢ > y ; ຣ > r ; ລ > l ; ວ > v ;
ຫ > h ; ອ > ; ຮ > h ;
# digits
໐ > 0 ; ໑ > 1 ; ໒ > 2 ; ໓ > 3 ; ໔ > 4 ; ໕ > 5 ; ໖ > 6 ; ໗ > 7 ; ໘ > 8 ; ໙ > 9 ;
"""


@cache
def _transliterator():
    return icu.Transliterator.createFromRules("Lao-Latin/Names", RULES, icu.UTransDirection.FORWARD)


def lao_to_latin(text: str) -> str:
    return _transliterator().transliterate(text)
