"""Scoring candidates against a requested person, with the reasons a user can check."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from itertools import pairwise

from coordination.i18n import _
from coordination.matching.names import similarity
from coordination.matching.places import NO_PLACE, RequestedPlace, shared_area_id


@dataclass
class Candidate:
    record_kind: str  # "person" (of a case) or "missing" (a register entry)
    record: object
    score: float
    reasons: list[str] = field(default_factory=list)
    name_score: float = 0.0
    same_place: bool | None = None  # home commune (or district) agrees; None: not asked
    tied: bool = False  # as likely as a neighbour in the list (the same whole score)
    closeness: int = 3  # of the home place (RequestedPlace.closeness): the first tie rule
    year_gap: int = 99  # years between the birth years: the second tie rule


MAX_AGE = 120


def record_birth_year(record) -> int | None:
    """A record's birth year: from its date of birth, else from the age it was given with,
    counted from when it was given (a register entry's age is the age when reported)."""
    if getattr(record, "date_of_birth", None):
        return record.date_of_birth.year
    if getattr(record, "estimated_age", None) is not None:
        given = getattr(record, "age_recorded_on", None) or getattr(record, "created_at", None)
        return (given.year if given else date.today().year) - record.estimated_age
    return None


def year_points(gap: int, estimated: bool) -> int:
    """Points for birth years ``gap`` apart: an age is a guess (±2 counts as a match), a
    date is not. ``index._agreement`` gives the same points in SQL: keep the two in step."""
    if estimated:
        return 20 if gap <= 2 else 10 if gap <= 4 else 0
    return 20 if gap == 0 else 12 if gap <= 2 else 0


def requested_birth_year(shared: dict) -> int | None:
    """The requested person's birth year from a date or an age; None when absent or absurd
    (a shared copy is only as good as the partner's form, so it is read defensively)."""
    try:
        if shared.get("date_of_birth"):
            year = date.fromisoformat(str(shared["date_of_birth"])).year
        elif shared.get("estimated_age") is not None:
            year = date.today().year - int(shared["estimated_age"])
        else:
            return None
    except (TypeError, ValueError):
        return None
    return year if 0 <= date.today().year - year <= MAX_AGE else None


# Points for the home place the partner wrote (``RequestedPlace.closeness``): the commune is
# the strongest evidence, a district (today's or a former one) less, a province alone little.
PLACE_POINTS = {0: 5, 1: 3, 2: 2}
UNKNOWN_GAP = 99  # a record without a birth year comes after those with one, in a tie


def rank(
    shared: dict,
    records: list[tuple[str, object]],
    limit: int = 5,
    place: RequestedPlace = NO_PLACE,
) -> list[Candidate]:
    """Score ``records`` against a shared person's data, best first, with the reasons.
    ``place``: the home place the partner chose or wrote, read back to the directory.

    Candidates with the same score (as shown: a whole number) are equally likely
    (``Candidate.tied``); among them the one whose home place is closest to the partner's
    comes first (same commune, district, province), then the one whose birth year is
    closest (``tie_order``)."""
    names = [shared.get("name_as_written"), shared.get("name_romanised")]
    requested_year = requested_birth_year(shared)
    sex = shared.get("sex") if shared.get("sex") not in (None, "", "unknown") else None
    province = shared_area_id(shared, "home_province")
    ranked = []
    for kind, record in records:
        name_score = max(
            (similarity(left, right)
             for left in names if left
             for right in (record.name_as_written, record.name_romanised) if right),
            default=0.0,
        )  # fmt: skip
        score = name_score * 0.7
        reasons = [_("Name %(score)d%% alike", score=round(name_score))]
        year = record_birth_year(record)
        gap = UNKNOWN_GAP
        if requested_year and year:
            gap = abs(requested_year - year)
            estimated = not shared.get("date_of_birth") or record.date_of_birth is None
            score += year_points(gap, estimated)
            reasons.append(_("Born %(year)d (%(gap)d years apart)", year=year, gap=gap))
        if sex and record.sex not in (None, "unknown"):
            if record.sex == sex:
                score += 5
                reasons.append(_("Same sex"))
            else:
                score -= 10
                reasons.append(_("Different sex"))
        chosen_province = bool(province and record.home_province_id == province)
        if chosen_province:
            score += 5
            reasons.append(_("Same home province"))
        closeness = place.closeness(record) if place else 3
        same_place = None
        if place and record.home_commune_id is not None and (place.communes or place.near):
            same_place = closeness <= 1
        if closeness == 0:
            reasons.append(_("Same home commune"))
        elif closeness == 1 and record.home_commune_id in place.formerly:
            reasons.append(_("Same home district (former name)"))
            same_place = True
        elif closeness == 1:
            reasons.append(_("Same home district"))
        elif closeness == 2 and not chosen_province:
            reasons.append(_("Same home province"))
        if closeness < 2 or (closeness == 2 and not chosen_province):
            score += PLACE_POINTS[closeness]
        if record.photo_id:
            reasons.append(_("Photo on file"))
        candidate = Candidate(kind, record, round(score, 1), reasons, name_score, same_place)
        candidate.closeness, candidate.year_gap = closeness, gap
        ranked.append(candidate)
    ranked.sort(key=tie_order)
    ranked = ranked[:limit]
    for before, after in pairwise(ranked):
        if round(before.score) == round(after.score):
            before.tied = after.tied = True
    return ranked


def tie_order(candidate: Candidate):
    """Best score first. Scores shown alike (the same whole number: equally likely) by the
    stated rule: the home place closest, then the birth year closest; then the finer score,
    then the older record."""
    return (
        -round(candidate.score),
        candidate.closeness,
        candidate.year_gap,
        -candidate.score,
        candidate.record_kind,
        candidate.record.id,
    )
