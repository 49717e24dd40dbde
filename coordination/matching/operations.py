"""Keeping the name index current, and finding ranked candidates for a requested person."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from itertools import combinations

from sqlalchemy import delete, func, select

from coordination.extensions import db
from coordination.i18n import _
from coordination.matching.models import NameKey
from coordination.matching.names import comparable_forms, similarity, sound_key

MAX_BLOCK = 500  # records looked at per request person, best-sharing first


def blocking_keys(*names: str | None) -> set[str]:
    """Keys shared by renderings of one name: each pair of its syllables, and the whole
    name without spaces (pinyin is often written "Shixiang")."""
    keys: set[str] = set()
    for name in names:
        if not name:
            continue
        for form in comparable_forms(name).forms:
            tokens = sorted(set(sound_key(form).split()))
            keys.add("j:" + "".join(sound_key(form).split())[:78])
            keys.update(f"p:{a}|{b}"[:80] for a, b in combinations(tokens, 2))
            if len(tokens) == 1:
                keys.add("t:" + tokens[0][:78])
    return keys


def index_name(record_kind: str, record_id: int, *names: str | None) -> None:
    """Replace the keys of one record (call after it is created or its names change)."""
    db.session.execute(
        delete(NameKey).where(NameKey.record_kind == record_kind, NameKey.record_id == record_id)
    )
    db.session.add_all(
        NameKey(record_kind=record_kind, record_id=record_id, key=key)
        for key in sorted(blocking_keys(*names))
    )


@dataclass
class Candidate:
    record_kind: str  # "person" (of a case) or "missing" (a register entry)
    record: object
    score: float
    reasons: list[str] = field(default_factory=list)


def _birth_year(record) -> int | None:
    if getattr(record, "date_of_birth", None):
        return record.date_of_birth.year
    if getattr(record, "estimated_age", None) is not None:
        return date.today().year - record.estimated_age
    return None


def rank(shared: dict, records: list[tuple[str, object]], limit: int = 5) -> list[Candidate]:
    """Score ``records`` against a shared person's data, best first, with the reasons."""
    names = [shared.get("name_as_written"), shared.get("name_romanised")]
    requested_year = None
    if shared.get("date_of_birth"):
        requested_year = date.fromisoformat(shared["date_of_birth"]).year
    elif shared.get("estimated_age") is not None:
        requested_year = date.today().year - int(shared["estimated_age"])
    province = (shared.get("home_province") or {}).get("id")
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
        year = _birth_year(record)
        if requested_year and year:
            gap = abs(requested_year - year)
            score += 20 if gap == 0 else 12 if gap <= 2 else 0
            reasons.append(_("Born %(year)d (%(gap)d years apart)", year=year, gap=gap))
        if shared.get("sex") and shared["sex"] != "unknown" and record.sex == shared["sex"]:
            score += 5
            reasons.append(_("Same sex"))
        if province and record.home_province_id == province:
            score += 5
            reasons.append(_("Same home province"))
        ranked.append(Candidate(kind, record, round(score, 1), reasons))
    ranked.sort(key=lambda candidate: candidate.score, reverse=True)
    return ranked[:limit]


def candidate_ids(shared: dict, record_kind: str, visible_ids) -> list[int]:
    """Ids of visible records sharing most keys with the shared person's names."""
    keys = blocking_keys(shared.get("name_as_written"), shared.get("name_romanised"))
    if not keys:
        return []
    shared_keys = func.count(NameKey.id)
    query = (
        select(NameKey.record_id)
        .where(
            NameKey.key.in_(sorted(keys)),
            NameKey.record_kind == record_kind,
            NameKey.record_id.in_(visible_ids),
        )
        .group_by(NameKey.record_id)
        .order_by(shared_keys.desc(), NameKey.record_id.desc())
        .limit(MAX_BLOCK)
    )
    return list(db.session.scalars(query))
