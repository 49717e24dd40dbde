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
    reading_options,
    script_of,
    sound_key,
    vietnamese_syllables,
)
from coordination.matching.places import NO_PLACE, RequestedPlace, shared_area_id
from coordination.matching.scoring import PLACE_POINTS, requested_birth_year
from coordination.matching.sounds import sound_code

MAX_BLOCK = 25  # records handed to the scorer per record kind, likeliest first
READ_BLOCK = 4 * MAX_BLOCK  # records read to choose them from (and more when they tie)
MAX_POSTINGS = 2_000  # index entries read per lookup (the rarest keys first)
MAX_RESPELLINGS = 8  # syllables tried for a misspelt one
MAX_PLACE_NAMES = 6  # place names of a request whose keys are looked up (the likeliest)
KEY_BATCH = 16  # key counts are asked in statements of a multiple of this many keys
MAX_KEYS_PER_STATEMENT = KEY_BATCH * 25  # 400: under SQLite's 500 compound SELECT terms
MODELS = {"person": Person, "missing": MissingPersonReport}


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


def reading_keys(*names: str | None) -> set[str]:
    """Pair keys of the other readings of a name in pinyin or Chinese characters ("yuan" is
    Nguyên, Uyên, Viên or Duyên), each with the best reading of every other syllable: the
    name's forms hold a few readings only, the register's spelling may be any of them."""
    keys: set[str] = set()
    for name in names:
        options = reading_options(name) if name else None
        if not options:
            continue
        best = [sound_code(slot[0]) for slot in options]
        for position, slot in enumerate(options):
            for reading in slot[1:]:
                code = sound_code(reading)
                for other, each in enumerate(best):
                    if other != position and each != code:
                        a, b = sorted((code, each))
                        keys.add(f"p:{a}|{b}"[:80])
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
    by what it may have been meant for: two syllables typed together, with or without one
    letter between them ("Nguyen VanmTuan": van tuan), or each syllable one letter away
    ("Nguyen Thi Huonh": huong, hoanh). Without this a slip finds no name at all."""
    if not name or any(script_of(character) in ("lao", "han") for character in name):
        return []
    syllables = vietnamese_syllables()
    known = set(syllables)
    words = [sound_key(word) for word in fold(name).split()]
    unknown = [position for position, word in enumerate(words) if word not in known]
    if len(unknown) != 1:  # one slip; several unknown words are another language (pinyin…)
        return []
    position = unknown[0]
    found = [" ".join(pair) for pair in split_words(words[position], known)]
    near = process.extract(
        words[position], syllables, scorer=Levenshtein.distance, score_cutoff=1, limit=limit
    )
    found += [syllable for syllable, _distance, _index in near]
    return [
        " ".join([*words[:position], replacement, *words[position + 1 :]])
        for replacement in found[:limit]
    ]


def split_words(word: str, known) -> list[tuple[str, str]]:
    """Two known syllables ``word`` is made of, typed without the space between them or
    with one letter instead of it ("vantuan", "vanmtuan": van, tuan); the longer first."""
    found = []
    for cut in range(len(word) - 2, 0, -1):
        left = word[:cut]
        if left not in known:
            continue
        for right in (word[cut:], word[cut + 1 :]):
            if right in known and (left, right) not in found:
                found.append((left, right))
    return found


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
    counts: dict[str, int] = {}
    # SQLite allows 500 terms in one compound SELECT: a very long name asks in several.
    for start in range(0, len(ordered), MAX_KEYS_PER_STATEMENT):
        chunk = ordered[start : start + MAX_KEYS_PER_STATEMENT]
        parameters = {f"key_{number}": key for number, key in enumerate(chunk)}
        statement = _count_statement(len(chunk), cap or MAX_POSTINGS + 1)
        rows = db.session.execute(statement, {**parameters, "record_kind": record_kind})
        counts.update(rows.all())
    counts.pop("", None)
    return counts


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
    # The home place written (scoring.PLACE_POINTS by RequestedPlace.closeness).
    commune = record.home_commune_id
    closeness = []
    if place.communes:
        closeness.append((commune.in_(place.communes), PLACE_POINTS[0]))
    if place.near or place.formerly:
        closeness.append((commune.in_(place.near | place.formerly), PLACE_POINTS[1]))
    if place.provinces:
        in_province = record.home_province_id.in_(place.provinces) | commune.in_(place.provinces)
        if province_id is not None:  # the province chosen counted already
            in_province &= func.coalesce(record.home_province_id, 0) != province_id
        closeness.append((in_province, PLACE_POINTS[2]))
    if closeness:
        points.append(case(*closeness, else_=0))
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
    keys |= reading_keys(*names)
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
