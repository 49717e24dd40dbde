"""Retrieval of candidates without scanning the register: blocking keys shared by the
renderings of one name, stored in ``name_keys`` and looked up by an index.

Keys: the whole name as written ("j:"), the whole name as it sounds in any order ("n:") and
each pair of its syllables as they sound ("p:"), so that a Lao-script or pinyin rendering,
another romanisation or the name order of the partner still meets the register's spelling;
and each syllable ("a:") and the whole name ("c:") with the name of the home commune and
district (see places.py): among a million records, "Hương from Tân Long" is a handful where
"Nguyễn Thị Hương" is thousands, and the place is what the partner nearly always knows.

The work of one lookup is bounded whatever the size of the register (bench/matching_bench.py
measures it up to a million records): the keys of the requested name are counted first,
each up to ``MAX_POSTINGS`` index entries, and only the rarest are read, at most
``MAX_POSTINGS`` entries in all. A key that a hundred thousand records share ("Nguyễn Thị")
tells nothing about which of them is meant; the whole name, or a pair with the given name,
does. A syllable in the place counts twice (two facts agree), the whole name there three
times. Among the records sharing as many keys, those whose birth year, sex and home area
agree with the request come first (the points the scorer gives them), so that the scorer
gets the likeliest ``MAX_BLOCK`` records, not an arbitrary few of thousands of namesakes.
A Latin name with one syllable that is no Vietnamese syllable (a typing slip) is also looked
up as the names one letter away.

Changing the keys needs ``flask matching reindex`` on an existing database.
"""

from __future__ import annotations

import re
from functools import lru_cache
from itertools import combinations

from rapidfuzz import process
from rapidfuzz.distance import Levenshtein
from sqlalchemy import Select, String, bindparam, case, extract, func, select, true, union_all

from coordination.cases.models import MissingPersonReport, Person
from coordination.extensions import db
from coordination.matching.models import NameKey
from coordination.matching.names import (
    comparable_forms,
    fold,
    script_of,
    sound_key,
    vietnamese_syllables,
)
from coordination.matching.places import NO_PLACE, RequestedPlace, shared_area_id
from coordination.matching.scoring import requested_birth_year

MAX_BLOCK = 25  # records handed to the scorer per record kind, likeliest first
READ_BLOCK = 4 * MAX_BLOCK  # records read to choose them from (and more when they tie)
MAX_POSTINGS = 2_000  # index entries read per lookup (the rarest keys first)
MAX_RESPELLINGS = 8  # syllables tried for a misspelt one
MAX_PLACE_NAMES = 6  # place names of a request whose keys are looked up (the likeliest)
KEY_BATCH = 16  # key counts are asked in statements of a multiple of this many keys
MODELS = {"person": Person, "missing": MissingPersonReport}


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


def blocking_keys(*names: str | None) -> set[str]:
    """Keys shared by renderings of one name: the whole name without spaces ("j:", exact;
    pinyin is often written "Shixiang"); the whole name as it sounds, in any order ("n:",
    for three syllables or more); and each pair of its syllables as they sound ("p:", or
    "t:" for a name of one syllable), which survive a misspelt or misheard syllable."""
    keys: set[str] = set()
    for name in names:
        if not name:
            continue
        for form in comparable_forms(name).forms:
            words = form.split()
            keys.add("j:" + "".join(sound_key(word) for word in words)[:78])
            codes = sorted({sound_code(word) for word in words})
            if len(codes) > 2:
                keys.add("n:" + "|".join(codes)[:78])
            keys.update(f"p:{a}|{b}"[:80] for a, b in combinations(codes, 2))
            if len(codes) == 1:
                keys.add("t:" + codes[0][:78])
    return keys


def place_keys(names, place_names) -> set[str]:
    """Keys of a name in a home place: each syllable of the name as it sounds ("a:"), and
    the whole name as it sounds, in any order ("c:"), with each place name
    (places.KnownPlace.canonical: of a record's commune and district; of the places a
    request names). Among a million records, "Hương from Tân Long" is a handful where
    "Hương" is thousands, and "Nguyễn Thị Hương from Tân Long" one or two."""
    if not place_names:
        return set()
    codes, wholes = set(), set()
    for name in names:
        for form in comparable_forms(name).forms if name else ():
            form_codes = sorted({sound_code(word) for word in form.split()})
            codes.update(form_codes)
            if len(form_codes) > 1:
                wholes.add("|".join(form_codes))
    return {f"a:{place}|{code}"[:80] for place in place_names for code in codes} | {
        f"c:{place}|{whole}"[:80] for place in place_names for whole in wholes
    }


def respellings(name: str | None, limit: int = MAX_RESPELLINGS) -> list[str]:
    """``name`` (in Latin letters) with one syllable that is no Vietnamese syllable replaced
    by each syllable one letter away: a typing slip ("Nguyen Thi Huonh") is looked up as
    the names it may have been meant for ("... Huong", "... Hoanh")."""
    if not name or any(script_of(character) in ("lao", "han") for character in name):
        return []
    syllables = vietnamese_syllables()
    known = set(syllables)
    words = [sound_key(word) for word in fold(name).split()]
    unknown = [position for position, word in enumerate(words) if word not in known]
    if len(unknown) != 1:  # one slip; several unknown words are another language (pinyin…)
        return []
    position = unknown[0]
    near = process.extract(
        words[position], syllables, scorer=Levenshtein.distance, score_cutoff=1, limit=limit
    )
    return [
        " ".join([*words[:position], syllable, *words[position + 1 :]])
        for syllable, _distance, _index in near
    ]


@lru_cache(maxsize=64)
def _count_statement(size: int, cap: int):
    """SELECT key, count FROM the first ``cap`` entries of each of ``size`` keys (UNION ALL),
    with the keys and the record kind as parameters: built once per size."""
    counts = []
    for number in range(size):
        key = bindparam(f"key_{number}", type_=String)
        hits = (
            select(NameKey.record_id)
            .where(NameKey.key == key, NameKey.record_kind == bindparam("record_kind"))
            .limit(cap)
            .subquery()
        )
        counts.append(select(key.label("key"), func.count().label("n")).select_from(hits))
    return union_all(*counts)


def key_counts(keys: set[str], record_kind: str, cap: int | None = None) -> dict[str, int]:
    """How many records of ``record_kind`` have each key, counted up to ``cap`` (default
    MAX_POSTINGS + 1): one short range of the key index each, in one statement."""
    ordered = sorted(keys)
    # Padded with a key no record has ("" is never stored), so that a few statement sizes
    # serve every lookup: each new size costs a compilation.
    ordered += [""] * (-len(ordered) % KEY_BATCH)
    parameters = {f"key_{number}": key for number, key in enumerate(ordered)}
    statement = _count_statement(len(ordered), cap or MAX_POSTINGS + 1)
    return dict(db.session.execute(statement, {**parameters, "record_kind": record_kind}).all())


def _agreement(record, shared: dict, place: RequestedPlace):
    """SQL for the points scoring.rank gives beside the name (birth year, sex, home province
    and commune), or None when the request gives none of them. Keep the two in step."""
    points = []
    year = requested_birth_year(shared)
    if year:
        # An age counts from when it was given (scoring.record_birth_year does the same).
        given_on = record.created_at
        if hasattr(record, "age_recorded_on"):
            given_on = func.coalesce(record.age_recorded_on, record.created_at)
        given_year = extract("year", given_on)
        born = case(
            (record.date_of_birth.is_not(None), extract("year", record.date_of_birth)),
            else_=given_year - record.estimated_age,
        )
        gap = func.abs(born - year)
        if shared.get("date_of_birth"):  # a date against a date is exact; against an age not
            exact = record.date_of_birth.is_not(None)
            points.append(
                case(
                    (exact & (gap == 0), 20),
                    (exact & (gap <= 2), 12),
                    (~exact & (gap <= 2), 20),
                    (~exact & (gap <= 4), 10),
                    else_=0,
                )
            )
        else:
            points.append(case((gap <= 2, 20), (gap <= 4, 10), else_=0))
    sex = shared.get("sex")
    if sex in ("female", "male"):
        points.append(
            case((record.sex == sex, 5), (record.sex.in_(("female", "male")), -10), else_=0)
        )
    province_id = shared_area_id(shared, "home_province")
    if province_id is not None:
        points.append(case((record.home_province_id == province_id, 5), else_=0))
    if place.communes:
        points.append(case((record.home_commune_id.in_(place.communes), 5), else_=0))
    if place.near:
        points.append(case((record.home_commune_id.in_(place.near), 3), else_=0))
    if not points:
        return None
    total = points[0]
    for each in points[1:]:
        total = total + each
    return total


def _visible(visible_ids, record, record_id):
    """The condition that ``record_id`` is among ``visible_ids``, for the found records
    only. When ``visible_ids`` selects from the record table itself (the register, the
    people of cases), its conditions apply to the joined record row; otherwise a correlated
    EXISTS on the key. Never ``record_id IN (subquery)``: SQLite would walk the visible
    register from one end to the other, PostgreSQL may hash all of it."""
    if not isinstance(visible_ids, Select):
        return record_id.in_(visible_ids)
    if visible_ids.get_final_froms() == [record.__table__]:
        return visible_ids.whereclause if visible_ids.whereclause is not None else true()
    column = visible_ids.selected_columns[0]
    return visible_ids.where(column == record_id).exists()


def candidate_ids(
    shared: dict, record_kind: str, visible_ids, place: RequestedPlace = NO_PLACE
) -> list[int]:
    """Ids of visible records sharing the most of the rarest keys of the shared person's
    names (and of those names in the home place asked about), those agreeing on birth year,
    sex and home place first; at most MAX_BLOCK."""
    names = (shared.get("name_as_written"), shared.get("name_romanised"))
    keys = blocking_keys(*names)
    if not keys:
        return []
    likeliest = place.likeliest(MAX_PLACE_NAMES)
    keys |= place_keys(names, [name for name, _rank in likeliest])
    for name in names:  # the whole names it may have been meant for (their pairs are noise)
        for near in respellings(name):
            keys.update(key for key in blocking_keys(near) if key[:2] in ("j:", "n:"))
    counts = key_counts(keys, record_kind)
    # The rarest keys first, those of a likelier place before those of a less likely one.
    place_rank = {f"{tag}:{name}|": rank for name, rank in likeliest for tag in "ac"}

    def order(key: str):
        return place_rank.get(key[: key.find("|") + 1], 0), counts[key], key

    chosen, postings = [], 0
    for key in sorted((key for key in keys if counts.get(key)), key=order):
        if chosen and postings + counts[key] > MAX_POSTINGS:
            break
        chosen.append(key)
        postings += counts[key]
    if not chosen:
        return []
    entries = select(NameKey.record_id, NameKey.key).where(
        NameKey.key.in_(chosen), NameKey.record_kind == record_kind
    )
    if postings > MAX_POSTINGS:  # even the rarest key is common: its latest records only
        entries = entries.order_by(NameKey.record_id.desc()).limit(MAX_POSTINGS)
    entries = entries.subquery()
    # A syllable of the name in the home place asked about is two facts agreeing: it counts
    # twice; the whole name there, three times.
    tag = func.substr(entries.c.key, 1, 2)
    weight = case((tag == "a:", 2), (tag == "c:", 3), else_=1)
    shared_keys = func.sum(weight).label("shared_keys")
    found = select(entries.c.record_id, shared_keys).group_by(entries.c.record_id).cte("found")
    # Only the records sharing as much as the READ_BLOCK-th best are read (the tie at that
    # level included), not the thousand sharing one key; READ_BLOCK leaves room for records
    # the user may not see (the keys cover every office's records).
    least = (
        select(found.c.shared_keys)
        .order_by(found.c.shared_keys.desc())
        .limit(1)
        .offset(READ_BLOCK - 1)
        .scalar_subquery()
    )
    record = MODELS[record_kind]
    agreement = _agreement(record, shared, place)
    order = [found.c.shared_keys.desc()]
    if agreement is not None:
        order.append(agreement.desc())
    query = (
        select(found.c.record_id)
        .join(record, record.id == found.c.record_id)
        .where(
            found.c.shared_keys >= func.coalesce(least, 0),
            _visible(visible_ids, record, found.c.record_id),
        )
        .order_by(*order, found.c.record_id.desc())
        .limit(MAX_BLOCK)
    )
    return list(db.session.scalars(query))
