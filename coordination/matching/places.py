"""Home places as a partner writes them, read back to the directory's communes and districts.

A rescued person usually knows where home is, and the partner writes it as heard: "xa Tan
Long", "Tân Lông", "ບ້ານເຕິນລອງ", "新龙乡", "Xinlong xiang". Among a million namesakes-prone
records, that place is what singles a person out, so it is read back to area ids: each
commune, district and city of the directory gets place keys from its names in every
language (the same Latin forms and sound codes the names get, generic words such as "xã",
ບ້ານ or 乡 left out), and a written place is looked up by the trigrams of its keys, then
scored with ``fuzz.partial_ratio`` so that the place may sit inside a longer address.

The gazetteer is built once per process and rebuilt when the directory's places change.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz import fuzz
from sqlalchemy import func, select

from coordination.directory.models import AdministrativeArea
from coordination.extensions import db
from coordination.matching.names import comparable_forms, fold

PLACE_KINDS = ("commune", "district", "city")
MIN_SCORE = 80  # fuzz.partial_ratio of a place key within the written place (one slip in 5)
FORM_PENALTY = 3  # per rank of the written form matched (the form as written comes first)
MAX_PLACES = 60  # areas one written place may stand for (many communes share a name)
MIN_KEY = 4  # shorter keys ("an") must be a whole word of the written place
_CANDIDATES = 600  # place keys scored per lookup, those sharing the most trigrams first

# Generic words of place names, left out of the keys: Vietnamese (as folded), Lao (script)
# and Chinese (characters) prefixes and suffixes for province, district, commune, village.
_VIETNAMESE_GENERIC = re.compile(
    r"^(?:tinh|thanh pho|thi xa|thi tran|huyen|quan|phuong|xa|thon|ban|lang|khu tu tri)\s+"
)
_LAO_GENERIC = re.compile(r"^(?:ແຂວງ|ນະຄອນ|ເມືອງ|ບ້ານ)\s*")
_CHINESE_GENERIC = re.compile(r"(?:自治区|自治县|街道|省|市|县|区|乡|镇|村)$")


# Spellings of one sound made equal, letter by letter over the whole place name (a Lao or
# pinyin place is often one word, so the syllable-anchored rules of the names do not fit).
_SOUNDS = [
    (r"ph|p", "f"), (r"kh|c(?!h)|q", "k"), (r"th", "t"), (r"tr", "ch"), (r"gi|d|r", "z"),
    (r"x", "s"), (r"w", "v"), (r"y", "i"), (r"ou", "u"), (r"ei|ae", "a"), (r"oe|oa", "o"),
    (r"ie|ia|ye", "i"), (r"uo|ua|uu", "u"), (r"ng|nh(?![aeiou])", "n"),
    (r"gh", "g"), (r"(.)\1", r"\1"),
]  # fmt: skip
_SOUNDS = [(re.compile(pattern), replacement) for pattern, replacement in _SOUNDS]


@lru_cache(maxsize=16384)
def place_key(form: str) -> str:
    """A folded place form as it sounds, without spaces: "tan long", the Lao "teinlong"
    (ເຕິນລອງ) and the pinyin "xinlong" (新龙) come close; coarse on purpose, the score judges."""
    key = form.replace(" ", "")
    for pattern, replacement in _SOUNDS:
        key = pattern.sub(replacement, key)
    return key


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
        name = _CHINESE_GENERIC.sub("", _LAO_GENERIC.sub("", name.strip()))
        for form in comparable_forms(name).forms:
            key = place_key(_VIETNAMESE_GENERIC.sub("", form))
            if len(key) >= 2:
                keys.add(key)
    return keys


@dataclass(frozen=True)
class KnownPlace:
    id: int
    kind: str
    parent_id: int | None
    province_id: int  # the top-level area above it
    country_id: int
    # What the place keys of records hold: one key per place name (its English, that is
    # Latin, name), so that the many communes called "Tân Thành" are one lookup, not twenty.
    canonical: str


@dataclass(frozen=True)
class Gazetteer:
    places: dict[int, KnownPlace]
    entries: list[tuple[int, str]]  # (place id, key)
    by_trigram: dict[str, list[int]]  # trigram → indexes into entries
    children: dict[int, list[int]]  # district or city → its communes


def gazetteer() -> Gazetteer:
    """The directory's places with their keys (cached while the places stay unchanged)."""
    stamp = db.session.execute(
        select(
            func.count(AdministrativeArea.id),
            func.max(AdministrativeArea.id),
            func.max(AdministrativeArea.updated_at),
        )
    ).one()
    return _build(id(db.engine), tuple(str(value) for value in stamp))


@lru_cache(maxsize=4)
def _build(_engine: int, _stamp: tuple) -> Gazetteer:
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
        )
    ).all()
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
            canonical_key(row.name_en or row.name_vi),
        )
        if row.parent_id is not None:
            children[row.parent_id].append(row.id)
        for key in sorted(_name_keys([row.name_vi, row.name_lo, row.name_zh, row.name_en])):
            for trigram in _trigrams(key):
                by_trigram[trigram].append(len(entries))
            entries.append((row.id, key))
    return Gazetteer(places, entries, dict(by_trigram), dict(children))


def find_places(
    text: str | None,
    *,
    country_id: int | None,
    province_id: int | None = None,
    places: Gazetteer | None = None,
) -> list[int]:
    """Ids of the communes, districts and cities ``text`` names (in any script or spelling),
    best first: those of ``province_id`` only when given, else of ``country_id``."""
    if not text or not text.strip():
        return []
    forms = comparable_forms(text[:300]).forms
    written = [key for key in dict.fromkeys(place_key(form) for form in forms) if key]
    words = {place_key(word) for form in forms for word in form.split()}
    if not written:
        return []
    places = places or gazetteer()
    found = []
    for place_id, _score in _matches(places, written, words):
        place = places.places[place_id]
        if (province_id is None or place.province_id == province_id) and (
            country_id is None or place.country_id == country_id
        ):
            found.append(place_id)
    return found[:MAX_PLACES]


def _matches(places: Gazetteer, written: list[str], words: set[str]) -> list[tuple[int, tuple]]:
    """(place id, (score, key length)) of the places found in the written keys (the forms
    of the written place, likeliest reading first), best and most specific first."""
    shared = Counter()
    for key in written:
        for trigram in _trigrams(key):
            shared.update(places.by_trigram.get(trigram, ()))
    best: dict[int, tuple[float, int]] = {}  # place id → (score, length of its key)
    for index, count in shared.most_common(_CANDIDATES):
        place_id, key = places.entries[index]
        if count < len(_trigrams(key)) // 2:
            continue
        if len(key) < MIN_KEY:
            score = 100.0 if key in words else 0.0
        else:
            score = max(
                fuzz.partial_ratio(key, each) - FORM_PENALTY * rank
                for rank, each in enumerate(written)
            )
        if score >= MIN_SCORE:
            best[place_id] = max(best.get(place_id, (0, 0)), (score, len(key)))
    return sorted(best.items(), key=lambda item: item[1], reverse=True)


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
    near: frozenset[int] = frozenset()  # communes of the districts and cities named
    names: tuple[str, ...] = ()  # their place names (canonical), likeliest first

    def __bool__(self) -> bool:
        return bool(self.communes or self.near)

    def likeliest(self, count: int) -> tuple[str, ...]:
        return self.names[:count]


NO_PLACE = RequestedPlace()


def requested_place(shared: dict, country_id: int | None) -> RequestedPlace:
    """The home commune the partner chose, and the places its address text names (in the
    home province it chose, when that province has such places; else in ``country_id``)."""
    areas: list[int] = []
    commune = shared.get("home_commune")
    if isinstance(commune, dict) and isinstance(commune.get("id"), int):
        areas.append(commune["id"])
    text = shared.get("home_address")
    if not areas and not (isinstance(text, str) and text.strip()):
        return NO_PLACE
    places = gazetteer()
    if isinstance(text, str) and text.strip():
        province = shared.get("home_province")
        province_id = province.get("id") if isinstance(province, dict) else None
        found = []
        if isinstance(province_id, int):
            found = find_places(text, country_id=None, province_id=province_id, places=places)
        areas += found or find_places(text, country_id=country_id, places=places)
    communes, near, names = set(), set(), []
    for area_id in areas:
        place = places.places.get(area_id)
        if place is None:
            continue
        names.append(place.canonical)
        if place.kind == "commune":
            communes.add(area_id)
        else:
            near.update(places.children.get(area_id, ()))
    return RequestedPlace(
        frozenset(communes), frozenset(near - communes), tuple(dict.fromkeys(names))
    )
