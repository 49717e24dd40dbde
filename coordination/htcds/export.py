"""Streaming HTCDS exports: a generator of CSV or JSON chunks, memory flat at any volume.

Rows come from one SELECT of plain columns (no ORM objects) read ``yield_per`` rows at a
time (a server-side cursor on PostgreSQL); the trafficking events of each batch's cases are
read in one more query per batch. Nothing of the whole export is held at once.

De-identification (the default): ``cas_Id``/``prs_Id`` are pseudonyms, an HMAC-SHA256 of our
id keyed with the app's SECRET_KEY (stable: a re-export gives the same ids, so a partner can
match updates; not reversible without the key); no names, birth dates, addresses, identity
numbers, staff or free text; the age at trafficking in whole years instead of the birth date.
With identifiers (the right in policies.py, audited by the caller), the identifier columns
are added; children's identifiers stay empty unless ``children`` is asked for too.

CSV: UTF-8 with a byte-order mark (Excel opens Vietnamese, Lao and Chinese text correctly only
with it; the importer accepts both), ``;`` between the values of a multi-select, and a text
starting with = + - @ (or a tab/CR) prefixed with ``'`` so that a spreadsheet does not run it
as a formula.
"""

from __future__ import annotations

import csv
import hashlib
import hmac
import io
import json
from collections.abc import Iterator
from datetime import date

from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import aliased

from coordination.auth.models import Role
from coordination.cases.models import CHILD_AGE, Case, Person, TraffickingEvent
from coordination.directory.models import AdministrativeArea, Office
from coordination.extensions import db
from coordination.htcds import mapping

BATCH = 2000
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def pseudonym(kind: str, record_id: int) -> str:
    key = current_app.config["SECRET_KEY"].encode()
    digest = hmac.new(key, f"htcds:{kind}:{record_id}".encode(), hashlib.sha256).hexdigest()
    return f"{kind[0].upper()}-{digest[:20]}"


def _age(born: date | None, estimated: int | None, recorded: date | None, day: date):
    if born is not None:
        return day.year - born.year - ((day.month, day.day) < (born.month, born.day))
    if estimated is not None:
        return estimated + max(0, (day - (recorded or day)).days // 365)
    return None


def people_statement():
    """Every person with the columns the export reads (scoped by ``statement``)."""
    home = aliased(AdministrativeArea)
    return (
        select(
            Person.id,
            Person.role,
            Person.name_as_written,
            Person.name_romanised,
            Person.sex,
            Person.date_of_birth,
            Person.estimated_age,
            Person.age_recorded_on,
            Person.nationality,
            Person.home_address,
            Person.identity_documents,
            Person.flagged_child,
            Person.victim_status,
            home.name_en.label("province"),
            Case.id.label("case_id"),
            Case.number,
            Case.status,
            Case.opened_on,
        )
        .join(Case, Case.id == Person.case_id)
        .outerjoin(home, home.id == Person.home_province_id)
        .order_by(Case.id, Person.id)
    )


def statement(user):
    """The people of the cases the user may export (own office; a supervisor's province)."""
    query = people_statement()
    if user.has_role(Role.SUPERVISOR):
        offices = select(Office.id).where(Office.province_id == user.office.province_id)
        return query.where(Case.office_id.in_(offices))
    return query.where(Case.office_id == user.office_id)


def _events(case_ids: list[int]) -> dict[int, tuple[date | None, list[str]]]:
    """Per case: the first dated event and the HTCDS exploitation types (in first-seen order)."""
    found: dict[int, tuple[date | None, list[str]]] = {}
    rows = db.session.execute(
        select(
            TraffickingEvent.case_id,
            TraffickingEvent.occurred_on,
            TraffickingEvent.exploitation_type,
        ).where(TraffickingEvent.case_id.in_(case_ids))
    )
    for case_id, occurred_on, kind in rows:
        first, kinds = found.get(case_id, (None, []))
        if occurred_on is not None and (first is None or occurred_on < first):
            first = occurred_on
        value = mapping.TYPE_OF_EXPLOITATION.get(kind) if kind else None
        if value and value not in kinds:
            kinds.append(value)
        found[case_id] = (first, kinds)
    return found


def records(query, *, identifiers: bool = False, children: bool = False) -> Iterator[dict]:
    """Each person the query (``statement(user)``) selects, as {HTCDS field: value} (a list
    for a multi-select)."""
    result = db.session.execute(query.execution_options(yield_per=BATCH))
    for batch in result.partitions():
        events = _events(sorted({row.case_id for row in batch}))
        for row in batch:
            first, kinds = events.get(row.case_id, (None, []))
            age = _age(
                row.date_of_birth,
                row.estimated_age,
                row.age_recorded_on,
                first or row.opened_on,
            )
            child = row.flagged_child or (age is not None and age < CHILD_AGE)
            record = {
                "cas_Id": row.number if identifiers else pseudonym("case", row.case_id),
                "cas_Status": mapping.CASE_STATUS.get(row.status, ""),
                "prs_Id": f"P{row.id}" if identifiers else pseudonym("person", row.id),
                "prs_Role": mapping.ROLE.get(row.role, ""),
                "prs_Gender": mapping.GENDER.get(row.sex, "NonSpecifiedUnknown"),
                "prs_Citizenship": [row.nationality] if row.nationality else [],
                "vic_AgeWhenTrafficked": age,
                "vic_TraffickingStatus": mapping.TRAFFICKING_STATUS.get(row.victim_status, ""),
                "vic_TypeOfExploitation": kinds,
            }
            if identifiers:
                shown = children or not child
                documents = (row.identity_documents or []) if shown else []
                record.update(
                    {
                        "prs_FirstName": row.name_as_written if shown else None,
                        "prs_SecondName": row.name_romanised if shown else None,
                        "prs_Birthdate": row.date_of_birth.isoformat()
                        if shown and row.date_of_birth
                        else None,
                        "prs_IdentityNumber": documents[0].get("number") if documents else None,
                        "prs_MailingStreet": row.home_address if shown else None,
                        "prs_MailingState": row.province if shown else None,
                    }
                )
            yield record


def safe_cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        value = ";".join(str(item) for item in value)
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def columns(identifiers: bool) -> tuple[str, ...]:
    return mapping.ALL_COLUMNS if identifiers else mapping.DEIDENTIFIED_COLUMNS


def csv_chunks(rows: Iterator[dict], identifiers: bool, rows_per_chunk: int = 500):
    names = columns(identifiers)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    buffer.write("\ufeff")
    writer.writerow(names)
    for count, record in enumerate(rows, start=1):
        writer.writerow([safe_cell(record.get(name)) for name in names])
        if count % rows_per_chunk == 0:
            yield buffer.getvalue().encode("utf-8")
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue().encode("utf-8")


def json_chunks(rows: Iterator[dict], rows_per_chunk: int = 500):
    yield b'{"standard": "HTCDS 2.0", "records": ['
    parts: list[str] = []
    first = True
    for record in rows:
        parts.append(("" if first else ",") + json.dumps(record, ensure_ascii=False))
        first = False
        if len(parts) >= rows_per_chunk:
            yield "".join(parts).encode("utf-8")
            parts = []
    yield ("".join(parts) + "]}").encode("utf-8")


def export_chunks(user, fmt: str, *, identifiers: bool = False, children: bool = False):
    # The statement is built now, while the user is loaded; the rows are read as sent.
    rows = records(statement(user), identifiers=identifiers, children=children)
    if fmt == "json":
        return json_chunks(rows)
    return csv_chunks(rows, identifiers)
