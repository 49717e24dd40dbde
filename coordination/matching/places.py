"""Home places as a partner writes them, read back to the directory's places.

A rescued person usually knows where home is, and the partner writes it as heard: "xa Tan
Long", "Tân Lông", "ບ້ານເຕິນລອງ", "新龙乡", "Xinlong xiang". Among a million records full of
namesakes, that place is what singles a person out. Each commune, district and city of the
directory gets place keys from its names in every language (the Latin forms the names get,
coarsely keyed by sound, generic words such as "xã", ບ້ານ or 乡 left out). A written place
is looked up by the trigrams of its keys, and a place is found where one of its keys stands
on word boundaries of the written text, whole or with one slip in four letters; the best
and longest finds win ("Tân Đức" over the "An Đức" inside it).

Every unit is a place that may be written: communes, districts, counties and cities, and
provinces and regions, today's and former ones (Vietnam's provinces and districts before the
2025 reform, which people still write). A former unit stands for the current units that hold
its territory (``AreaSuccession``): "Quảng Bình" is now Quảng Trị, the former district "Lệ
Thủy" some communes of it. A province is weak evidence, a commune the strongest (scoring.py).

Records are keyed by their place's name (``KnownPlace.canonical``), not its id: the twenty
communes called "Tân Thành" are one lookup. The gazetteer is built once per process and
rebuilt when the directory's places change (the ``area_changed`` signal, received in
setup.py); renaming a place re-keys its people (``operations.reindex_home_place``).
"""

from __future__ import annotations

import math
import re
import time
from collections import Counter, defaultdict
from dataclasses import dataclass
from functools import cache, lru_cache
from itertools import accumulate, pairwise

from rapidfuzz import fuzz
from rapidfuzz.distance import Levenshtein
from sqlalchemy import func, select

from coordination.directory.models import AdministrativeArea, AreaSuccession
from coordination.extensions import db
from coordination.matching.names import (
    comparable_forms,
    fold,
    pinyin_syllables,
    sound_key,
    vietnamese_syllables,
)

PLACE_KINDS = ("commune", "district", "county", "city", "province", "region")
PROVINCE_KINDS = frozenset({"province", "region"})
MIN_SCORE = 80  # of a place key within the written place: 100 found whole, less per slip
SLIP_COST = 10  # per letter wrong, added, or missing
FORM_PENALTY = 3  # per rank of the written form matched (the form as written comes first)
SOUND_PENALTY = 1  # a place found by its sound only, not as spelt
MAX_READINGS = 3  # readings of a written place tried (pinyin has many)
MAX_PLACES = 60  # areas one written place may stand for (many communes share a name)
MIN_KEY = 4  # shorter keys ("an") must be a whole word of the written place
SHORT_KEY_SCORE = 90  # and then count less than a longer place found whole
CLOSE_SCORES = 6  # places scoring this much below the best are not what was meant
STAMP_SECONDS = 10  # how often a process looks whether another changed the places
CHOSEN_SCORE = 101  # a commune the partner chose from the list beats any it wrote
_CANDIDATES = 250  # place keys scored per lookup, those sharing the most trigrams first
MIN_TRIGRAMS = 0.3  # share of a place key's trigrams the written place must have (a slip
# in a short name leaves a third of them)

# Generic words of place names, left out of the keys: Vietnamese (as folded), Lao (script)
# and Chinese (characters) prefixes and suffixes for province, district, commune, village.
# Not "quận" nor "làng": folded, they are the first syllable of Quan Hóa or Lạng Giang.
_VIETNAMESE_GENERIC = re.compile(
    r"^(?:tinh|thanh pho|thi xa|thi tran|huyen|phuong|xa|thon|ban|khu tu tri)\s+"
)
# Lao and Chinese ones are cut out wherever they stand (after two characters, for Chinese),
# which also parts unspaced words: 谅山省同登镇 → 谅山 同登, ບ້ານເຕິນລອງ → ເຕິນລອງ.
_LAO_GENERIC = re.compile(r"ແຂວງ|ນະຄອນ|ເມືອງ|ບ້ານ|ຕາແສງ")
_CHINESE_GENERIC = re.compile(r"(?<=[\u4e00-\u9fff]{2})(?:自治区|自治县|街道|省|市|县|区|乡|镇|村)")


def _without_generic(text: str) -> str:
    return _CHINESE_GENERIC.sub(" ", _LAO_GENERIC.sub(" ", text))


# Spellings of one sound made equal, word by word (a Lao place is often one word, so the
# syllable-anchored rules of index.sound_code do not fit).
_SOUNDS = [
    # Vietnamese o, u before a vowel are the glide a Lao officer writes ວ (v): Hòa ຮວາ,
    # Quảng ກວາງ.
    (r"qu", "kv"), (r"oa", "va"), (r"w", "v"),
    (r"ph|p", "f"), (r"kh|c(?!h)|q", "k"), (r"th", "t"), (r"tr", "ch"), (r"gi|d|r", "z"),
    (r"x", "s"), (r"y", "i"), (r"ou", "u"), (r"ei|ae", "a"), (r"oe", "o"),
    (r"ie|ia|ye", "i"), (r"uo|ua|uu", "u"), (r"ng(?![aeiou])|nh$", "n"),
    (r"gh", "g"), (r"(.)\1", r"\1"),
]  # fmt: skip
_SOUNDS = [(re.compile(pattern), replacement) for pattern, replacement in _SOUNDS]


@lru_cache(maxsize=16384)
def _key_pieces(word: str) -> tuple[str, ...]:
    """One folded word keyed: pinyin written as one word (no Vietnamese syllable), syllable
    by syllable ("fuan": fu, an), so that no rule reads across two syllables."""
    keyed = []
    pinyin = None if sound_key(word) in _vietnamese() else pinyin_syllables(word)
    for piece in pinyin or (word,):
        for pattern, replacement in _SOUNDS:
            piece = pattern.sub(replacement, piece)
        keyed.append(piece)
    return tuple(keyed)


@cache
def _vietnamese() -> frozenset[str]:
    return frozenset(vietnamese_syllables())


def place_key(form: str) -> str:
    """A folded place form as it sounds, without spaces: "tan long", the Lao "teinlong"
    (ເຕິນລອງ) and the pinyin "xinlong" (新龙) come close; coarse on purpose, the score judges.
    Word by word, so that letters of two syllables never read as one ("phuoc hung")."""
    return "".join(piece for word in form.split() for piece in _key_pieces(word))


def canonical_key(latin_name: str) -> str:
    """The key a place name is stored under in the records' place keys."""
    return place_key(_VIETNAMESE_GENERIC.sub("", fold(latin_name)))


def _trigrams(key: str) -> set[str]:
    padded = f" {key} "
    return {padded[index : index + 3] for index in range(len(padded) - 2)}


def _name_keys(names: list[str]) -> set[str]:
    keys = set()
    for name in names:
        if not name:
            continue
        for form in comparable_forms(_without_generic(name)).forms:
            form = _VIETNAMESE_GENERIC.sub("", form)
            # Keyed by sound (across scripts), and as folded (a slip in "huqg" is one letter
            # from "hung" there, two from its key).
            keys.update(key for key in (place_key(form), form.replace(" ", "")) if key)
    return keys


@dataclass(frozen=True)
class KnownPlace:
    id: int
    kind: str
    parent_id: int | None
    province_id: int  # the top-level area above it
    country_id: int
    former: bool  # abolished: it stands for its successors
    # What the place keys of records hold: one key per place name (its English, that is
    # Latin, name), so that the many communes called "Tân Thành" are one lookup, not twenty.
    canonical: str


@dataclass(frozen=True)
class Gazetteer:
    places: dict[int, KnownPlace]
    entries: list[tuple[int, str]]  # (place id, key)
    trigram_counts: list[int]  # of each entry's key
    trigrams_needed: list[int]  # MIN_TRIGRAMS of them
    by_trigram: dict[str, list[int]]  # trigram → indexes into entries
    children: dict[int, list[int]]  # district or city → its communes
    successors: dict[int, tuple[int, ...]]  # former unit → the current units holding it
    in_province: dict[int, frozenset[int]]  # current province → the places under it


def gazetteer() -> Gazetteer:
    """The directory's places with their keys, rebuilt when the places change: the change
    is looked for at most every STAMP_SECONDS (another process may have made it), and at
    once after ``forget_places`` (this process made it)."""
    engine, now = db.engine.url.render_as_string(), time.monotonic()
    checked = _checked.get(engine)
    if checked is None or now - checked[0] > STAMP_SECONDS:
        stamp = db.session.execute(
            select(
                func.count(AdministrativeArea.id),
                func.max(AdministrativeArea.id),
                func.max(AdministrativeArea.updated_at),
                select(func.count()).select_from(AreaSuccession).scalar_subquery(),
            )
        ).one()
        checked = _checked[engine] = (now, tuple(str(value) for value in stamp))
    return _build(engine, checked[1])


def forget_places() -> None:
    """Call after adding or changing a place: the next lookup reads the places again."""
    _checked.clear()


_checked: dict[str, tuple[float, tuple]] = {}  # database → (when looked, what it said)


@lru_cache(maxsize=4)
def _build(_database: str, _stamp: tuple) -> Gazetteer:
    rows = db.session.execute(
        select(
            AdministrativeArea.id,
            AdministrativeArea.kind,
            AdministrativeArea.parent_id,
            AdministrativeArea.country_id,
            AdministrativeArea.name_vi,
            AdministrativeArea.name_lo,
            AdministrativeArea.name_zh,
            AdministrativeArea.name_en,
            AdministrativeArea.abolished_on,
        )
    ).all()
    successors: dict[int, list[int]] = defaultdict(list)
    for former_id, successor_id in db.session.execute(
        select(AreaSuccession.former_id, AreaSuccession.successor_id)
    ):
        successors[former_id].append(successor_id)
    parents = {row.id: row.parent_id for row in rows}

    def top(area_id: int) -> int:
        seen = set()
        while parents.get(area_id) is not None and area_id not in seen:
            seen.add(area_id)
            area_id = parents[area_id]
        return area_id

    places, entries = {}, []
    by_trigram: dict[str, list[int]] = defaultdict(list)
    children: dict[int, list[int]] = defaultdict(list)
    for row in rows:
        if row.kind not in PLACE_KINDS:
            continue
        places[row.id] = KnownPlace(
            row.id,
            row.kind,
            row.parent_id,
            top(row.id),
            row.country_id,
            row.abolished_on is not None,
            canonical_key(row.name_en or row.name_vi),
        )
        if row.parent_id is not None:
            children[row.parent_id].append(row.id)
        keys = _name_keys([row.name_vi, row.name_lo, row.name_zh, row.name_en])
        # A short key from another script's reading ("an" of 北安) would be found anywhere.
        keys = {key for key in keys if len(key) >= MIN_KEY} | {places[row.id].canonical}
        for key in sorted(keys):
            for trigram in _trigrams(key):
                by_trigram[trigram].append(len(entries))
            entries.append((row.id, key))
    trigram_counts = [len(_trigrams(key)) for _place_id, key in entries]
    needed = [math.ceil(MIN_TRIGRAMS * count) for count in trigram_counts]
    in_province: dict[int, set[int]] = defaultdict(set)
    for place in places.values():
        if not place.former:
            in_province[place.province_id].add(place.id)
    return Gazetteer(
        places,
        entries,
        trigram_counts,
        needed,
        dict(by_trigram),
        dict(children),
        {former: tuple(ids) for former, ids in successors.items()},
        {province: frozenset(ids) for province, ids in in_province.items()},
    )


def find_places(
    text: str | None,
    *,
    country_id: int | None,
    province_id: int | None = None,
    places: Gazetteer | None = None,
) -> list[int]:
    """Ids of the places ``text`` names (in any script or spelling, current or former),
    best first: those of ``province_id`` only when given, else of ``country_id``."""
    found = scored_places(text, country_id=country_id, province_id=province_id, places=places)
    return [place_id for place_id, _score in found]


def scored_places(
    text: str | None,
    *,
    country_id: int | None,
    province_id: int | None = None,
    places: Gazetteer | None = None,
) -> list[tuple[int, float]]:
    """(id, score) of the places ``text`` names, best first (see find_places)."""
    if not text or not text.strip():
        return []
    written = _written_forms(text[:300])
    if not written:
        return []
    words = {
        key[start:end] for key, bounds, _rank in written for start, end in pairwise(sorted(bounds))
    }
    places = places or gazetteer()

    def wanted(place_id: int) -> bool:
        place = places.places[place_id]
        return (province_id is None or place.province_id == province_id) and (
            country_id is None or place.country_id == country_id
        )

    found = _matches(places, written, words, wanted)
    kept: list[_Match] = []
    for match in found:  # best and longest first
        if not any(other.covers(match) for other in kept):
            kept.append(match)
    if not kept:
        return []
    floor = kept[0].score - CLOSE_SCORES
    found = {}
    for match in kept:
        if match.score >= floor and match.place_id not in found:
            found[match.place_id] = match.score
    return list(found.items())[:MAX_PLACES]


def _written_forms(text: str) -> list[tuple[str, frozenset[int], int]]:
    """The keys of a written place, as folded and by sound, for each reading (likeliest
    first), each with the positions where its words begin and end and the points a place
    found in it loses (for a later reading, for a likeness by sound only): a place is
    found on word boundaries only, so that "Tân Gia" is not read inside "Tân Bắc" written
    "tanibak". Generic words (ບ້ານ, 乡) are cut off first, which also parts the unspaced Lao
    and Chinese into places."""
    written = {}
    for rank, form in enumerate(comparable_forms(_without_generic(text)).forms[:MAX_READINGS]):
        keyed = [piece for word in form.split() for piece in _key_pieces(word)]
        # As written first: a place found as spelt beats one that only sounds alike.
        for pieces, penalty in ((form.split(), 0), (keyed, SOUND_PENALTY)):
            key = "".join(pieces)
            if key and key not in written:
                bounds = frozenset([0, *accumulate(len(piece) for piece in pieces)])
                written[key] = (bounds, FORM_PENALTY * rank + penalty)
    return [(key, bounds, penalty) for key, (bounds, penalty) in written.items()]


@dataclass(frozen=True)
class _Match:
    place_id: int
    score: float
    length: int  # of the place key matched
    form: int  # which written key it was found in
    start: int  # where in that form
    end: int

    def covers(self, other: _Match) -> bool:
        """A longer place found over the span of a shorter one ("Tân Đức" over "An Đức"),
        even with a slip ("Tan yBac": Tân Bắc over the "ybac" a Lao key of Gia Bắc reads)."""
        return (
            self.form == other.form
            and self.start <= other.start
            and other.end <= self.end
            and self.length > other.length
            and self.score >= other.score - SLIP_COST
        )


def _allowed_slips(key: str) -> int:
    return 0 if len(key) < 4 else 1 if len(key) < 9 else 2


def _slip_score(key: str, written: str, bounds, start: int, end: int) -> tuple[float, int, int]:
    """(score, start, end) of ``key`` against the written place around
    ``written[start:end]``: 100 less SLIP_COST per letter wrong, added or missing (one slip
    allowed from 4 letters, two from 9) and per edge off a word boundary (one at most),
    else 0. The edges tried: the word boundaries near the aligned ones, and those."""
    allowed = _allowed_slips(key)
    lefts = {start, *(bound for bound in bounds if abs(bound - start) <= 2)}
    rights = {end, *(bound for bound in bounds if abs(bound - end) <= 2)}
    slips, misses, left, right = min(
        (
            Levenshtein.distance(key, written[left:right], score_cutoff=allowed + 1),
            (left not in bounds) + (right not in bounds),
            left,
            right,
        )
        for left in lefts
        for right in rights
        if right > left
    )
    if slips > allowed or misses > 1:
        return 0.0, start, end
    return 100.0 - SLIP_COST * (slips + misses), left, right


def _matches(places: Gazetteer, written, words: set[str], wanted) -> list[_Match]:
    """The places whose keys are found, on word boundaries, in the written keys (the forms
    of the written place, likeliest reading first), best and most specific first. Only the
    places ``wanted(place_id)`` are considered."""
    # Candidates: the place keys sharing the largest part of their trigrams with one of the
    # written keys (at least MIN_TRIGRAMS of them).
    likeness: dict[int, float] = {}
    near: dict[int, list[int]] = defaultdict(list)  # entry → the written keys it is like
    for number, (key, _bounds, _penalty) in enumerate(written):
        shared = Counter()
        for trigram in _trigrams(key):
            shared.update(places.by_trigram.get(trigram, ()))
        counts, needed = places.trigram_counts, places.trigrams_needed
        for index in [index for index, count in shared.items() if count >= needed[index]]:
            if wanted(places.entries[index][0]):
                near[index].append(number)
                likeness[index] = max(shared[index] / counts[index], likeness.get(index, 0))
    best: dict[int, _Match] = {}
    for index in sorted(likeness, key=likeness.__getitem__, reverse=True)[:_CANDIDATES]:
        place_id, key = places.entries[index]
        # The alignment a slip score could still reach (an Indel ratio of 1 - slips/length).
        cutoff = max(0.0, 100.0 * (1 - (_allowed_slips(key) + 0.5) / len(key)))
        for number in near[index]:
            each, bounds, penalty = written[number]
            if len(key) < MIN_KEY:
                if key not in words:
                    continue
                score, start, end = SHORT_KEY_SCORE, 0, len(each)
            elif len(key) >= len(each):
                score, start, end = _slip_score(key, each, bounds, 0, len(each))
            else:
                aligned = fuzz.partial_ratio_alignment(key, each, score_cutoff=cutoff)
                if aligned is None:
                    continue
                start, end = aligned.dest_start, aligned.dest_end
                if aligned.score == 100 and start in bounds and end in bounds:
                    score = 100.0
                else:  # a slip, or an edge off a word ("an đức" inside "tân đức")
                    score, start, end = _slip_score(key, each, bounds, start, end)
            match = _Match(place_id, score - penalty, len(key), number, start, end)
            if match.score >= MIN_SCORE and (
                place_id not in best
                or (match.score, match.length) > (best[place_id].score, best[place_id].length)
            ):
                best[place_id] = match
    return sorted(best.values(), key=lambda match: (match.score, match.length), reverse=True)


def place_names_of(commune_id: int | None, places: Gazetteer | None = None) -> list[str]:
    """The place names a record's home commune stands for in the place keys: the commune's
    and that of the district or city above it."""
    if commune_id is None:
        return []
    places = places or gazetteer()
    place = places.places.get(commune_id)
    if place is None:
        return []
    parent = places.places.get(place.parent_id) if place.parent_id else None
    return [place.canonical, *([parent.canonical] if parent else [])]


@dataclass(frozen=True)
class RequestedPlace:
    """Where the partner says the person is from, as area ids."""

    communes: frozenset[int] = frozenset()  # communes named or chosen
    near: frozenset[int] = frozenset()  # the districts and cities named, and their communes
    names: tuple[str, ...] = ()  # their place names (canonical), likeliest first
    ranks: tuple[int, ...] = ()  # of each name: names found as well share a rank
    # The current communes of the former districts named ("huyện Lệ Thủy").
    formerly: frozenset[int] = frozenset()
    # The current provinces (regions) named, or holding the former ones named, with every
    # place under them: a record whose home province or commune is one of them agrees.
    provinces: frozenset[int] = frozenset()

    def __bool__(self) -> bool:
        return bool(self.communes or self.near or self.formerly or self.provinces)

    def closeness(self, record) -> int:
        """0: same home commune, 1: same district (or former district), 2: same province
        named, 3: none of these (or nothing asked). The scorer's points follow it."""
        commune = getattr(record, "home_commune_id", None)
        if commune is not None and commune in self.communes:
            return 0
        if commune is not None and (commune in self.near or commune in self.formerly):
            return 1
        province = getattr(record, "home_province_id", None)
        if self.provinces and (province in self.provinces or commune in self.provinces):
            return 2
        return 3

    def likeliest(self, count: int) -> list[tuple[str, int]]:
        """(name, rank) of the ``count`` likeliest place names."""
        return list(zip(self.names, self.ranks, strict=True))[:count]


NO_PLACE = RequestedPlace()


def shared_area_id(shared: dict, field_name: str) -> int | None:
    """The id of a place in a shared copy ({"id": …, "names": …}), read defensively."""
    area = shared.get(field_name)
    area_id = area.get("id") if isinstance(area, dict) else None
    return area_id if isinstance(area_id, int) and not isinstance(area_id, bool) else None


def requested_place(shared: dict, country_id: int | None) -> RequestedPlace:
    """The home commune the partner chose, and the places its address text names (in the
    home province it chose, when that province has such places; else in ``country_id``)."""
    found: list[tuple[int, float]] = []
    commune_id = shared_area_id(shared, "home_commune")
    if commune_id is not None:
        found.append((commune_id, CHOSEN_SCORE))
    text = shared.get("home_address")
    if not found and not (isinstance(text, str) and text.strip()):
        return NO_PLACE
    places = gazetteer()
    if isinstance(text, str) and text.strip():
        province_id = shared_area_id(shared, "home_province")
        written = []
        if province_id is not None:
            written = scored_places(text, country_id=None, province_id=province_id, places=places)
        found += written or scored_places(text, country_id=country_id, places=places)
    communes, near, formerly, provinces, names = set(), set(), set(), set(), {}

    def named(place: KnownPlace, score: float) -> None:
        names[place.canonical] = max(score, names.get(place.canonical, 0))

    for area_id, score in found:
        place = places.places.get(area_id)
        if place is None:
            continue
        named(place, score)
        now = [places.places[i] for i in places.successors.get(area_id, ()) if i in places.places]
        if place.kind in PROVINCE_KINDS:
            for province in now if place.former else [place]:
                provinces.add(province.id)
                if place.former:  # records are keyed by today's names
                    named(province, score - 1)
        elif place.kind == "commune" and not place.former:
            communes.add(area_id)
        elif place.former:
            formerly.update(successor.id for successor in now)
        else:  # a district, county or city: a Lao or Chinese home place may be one
            near.add(area_id)
            near.update(places.children.get(area_id, ()))
    in_provinces = {i for province in provinces for i in places.in_province.get(province, ())}
    ordered = sorted(names, key=names.__getitem__, reverse=True)
    levels = sorted(set(names.values()), reverse=True)
    return RequestedPlace(
        frozenset(communes),
        frozenset(near - communes),
        tuple(ordered),
        tuple(levels.index(names[name]) for name in ordered),
        frozenset(formerly - communes - near),
        frozenset(provinces | in_provinces),
    )
