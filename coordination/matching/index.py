"""Retrieval of candidates without scanning the register: blocking keys shared by the
renderings of one name, stored in ``name_keys`` and looked up by an index."""

from __future__ import annotations

from itertools import combinations

from sqlalchemy import func, select

from coordination.extensions import db
from coordination.matching.models import NameKey
from coordination.matching.names import comparable_forms, sound_key

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
