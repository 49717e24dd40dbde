"""A requested person and one candidate side by side, as the verifying officer reads them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask_babel import format_date

from coordination.cases.models import Sex
from coordination.exchange.presenters import shared_value
from coordination.i18n import _
from coordination.matching.names import similarity
from coordination.matching.places import shared_area_id
from coordination.matching.scoring import record_birth_year, requested_birth_year


@dataclass
class ComparisonRow:
    label: str
    requested: str
    candidate: str
    agrees: bool | None  # None: nothing to compare on one side


def _age_text(date_of_birth, estimated_age) -> str:
    if date_of_birth:
        born = date_of_birth if isinstance(date_of_birth, date) else None
        if born is None:
            try:
                born = date.fromisoformat(str(date_of_birth))
            except ValueError:
                return str(date_of_birth)
        return format_date(born, "medium")
    if estimated_age is not None:
        return _("about %(age)d years", age=int(estimated_age))
    return "—"


def _row(label, requested, candidate, agrees):
    present = requested not in (None, "", "—") and candidate not in (None, "", "—")
    agrees = agrees if present else None
    return ComparisonRow(str(label), requested or "—", candidate or "—", agrees)


def comparison_rows(
    shared: dict,
    record,
    *,
    name_score: float,
    same_place: bool | None = None,
    show_protected: bool,
) -> list[ComparisonRow]:
    """Rows of what the partner shared beside what our record holds, with agreement marks
    (``name_score``, ``same_place``: the scorer's, for the name and home commune rows)."""
    requested_year = requested_birth_year(shared)
    record_year = record_birth_year(record)
    sex = shared.get("sex")
    rows = [
        _row(
            _("Name as written"),
            shared.get("name_as_written"),
            record.name_as_written,
            name_score >= 85,
        ),
        _row(
            _("Name in Latin letters"),
            shared.get("name_romanised"),
            record.name_romanised,
            name_score >= 85,
        ),
        _row(
            _("Sex"),
            Sex(sex).label if sex in Sex._value2member_map_ and sex != "unknown" else None,
            record.sex_label if record.sex != "unknown" else None,
            sex == record.sex,
        ),
        _row(
            _("Date of birth or age"),
            _age_text(shared.get("date_of_birth"), shared.get("estimated_age")),
            _age_text(record.date_of_birth, record.estimated_age),
            requested_year is not None
            and record_year is not None
            and abs(requested_year - record_year) <= 2,
        ),
        _row(
            _("Home province"),
            shared_value("home_province", shared.get("home_province")),
            record.home_province.name if record.home_province else None,
            shared_area_id(shared, "home_province") == record.home_province_id,
        ),
    ]
    if show_protected:
        # The commune the partner chose, else the place it wrote (read back by the scorer).
        commune, address = shared.get("home_commune"), shared.get("home_address")
        address = address if isinstance(address, str) else None  # a copy is read defensively
        written_place = shared_value("home_commune", commune) if commune else address
        rows.append(
            _row(
                _("Home commune"),
                written_place,
                record.home_commune.name if record.home_commune else None,
                bool(same_place),
            )
        )
        rows.append(
            _row(
                _("Home address"),
                address,
                record.home_address,
                similarity(address or "", record.home_address or "") >= 80,
            )
        )
    return rows
