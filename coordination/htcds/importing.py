"""Reading a partner's HTCDS file (CSV or JSON, as export.py writes them) into a report of
problems, then importing the valid rows, or nothing.

Checks: size (HTCDS_IMPORT_MAX_BYTES, 5 MB), encoding (UTF-8, with or without a byte-order
mark), format and nesting (JSON: an object with "records", or a list, of flat objects), the
columns (every column an HTCDS field we know, cas_Id and prs_Id present), the number of rows
(HTCDS_IMPORT_MAX_ROWS, 20,000), and per row: ids present and unique, values in the HTCDS
lists, ISO 3166 alpha-2 citizenship, ages and dates, lengths. The whole file is checked before
anything is stored: a file with problems imports nothing unless the user accepts importing
only the valid rows (``accept_partial``).

What an import creates: for each partner case (cas_Id) with a valid row, a new case of the
importing office, open, its summary saying which file and partner case it came from, its
``external_ref`` "htcds:<cas_Id>", an exploitation event per type the file names (so the
reports count it), with the file's people (a de-identified file's person gets its pseudonym
as name). Liaison officers then verify and match them like any case. A partner case the
office imported before is a problem of its rows (``mark_already_imported``): importing the
same file twice, or a partner's longer file again, adds only the cases not seen yet. All in
the request's one transaction, audited ("htcds.import", with the counts); each case and
person is audited as created too.
"""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass, field
from datetime import date

from flask import current_app
from sqlalchemy import select

from coordination.audit.operations import record
from coordination.cases import operations as case_operations
from coordination.cases.models import Case
from coordination.extensions import db
from coordination.htcds import mapping
from coordination.i18n import _, local_today

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 20_000
TEXT_LIMITS = {
    "cas_Id": 64,
    "prs_Id": 64,
    "prs_FirstName": 200,
    "prs_SecondName": 200,
    "prs_IdentityNumber": 64,
    "prs_MailingStreet": 1000,
    "prs_MailingState": 200,
}
COUNTRY = re.compile(r"^[A-Z]{2}$")


@dataclass
class Problem:
    row: int | None  # None: the whole file
    field: str | None
    message: str


@dataclass
class Report:
    filename: str
    total: int = 0
    valid: list[tuple[int, dict]] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    fatal: bool = False  # a problem with the whole file: nothing can be imported
    columns: list[str] = field(default_factory=list)

    @property
    def invalid_rows(self) -> int:
        return len({problem.row for problem in self.problems if problem.row is not None})

    def file_problem(self, message: str) -> Report:
        self.problems.append(Problem(None, None, message))
        self.fatal = True
        return self

    def as_dict(self) -> dict:
        return {
            "filename": self.filename,
            "rows": self.total,
            "valid_rows": len(self.valid),
            "invalid_rows": self.invalid_rows,
            "importable": not self.fatal,
            "problems": [
                {"row": p.row, "field": p.field, "message": p.message} for p in self.problems
            ],
        }


def limit(name: str, default: int) -> int:
    return int(current_app.config.get(name, default))


def _decode(data: bytes, report: Report) -> str | None:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        report.file_problem(_("The file is not in UTF-8. Save it as UTF-8 (CSV UTF-8 in Excel)."))
        return None
    return text.removeprefix("\ufeff")


def _rows_from_json(text: str, report: Report) -> list[dict] | None:
    try:
        document = json.loads(text)
    except (ValueError, RecursionError):
        report.file_problem(_("The file is not valid JSON."))
        return None
    if isinstance(document, dict):
        document = document.get("records")
    if not isinstance(document, list):
        report.file_problem(_('A JSON file must hold a list of records (or "records": [...]).'))
        return None
    rows = []
    for number, item in enumerate(document, start=1):
        if not isinstance(item, dict):
            report.problems.append(Problem(number, None, _("A record must be an object.")))
            rows.append(None)
            continue
        for name in mapping.MULTI_SELECT:
            if isinstance(item.get(name), str):
                item[name] = [part.strip() for part in item[name].split(";") if part.strip()]
        rows.append(item)
    return rows


def _rows_from_csv(text: str, report: Report) -> list[dict] | None:
    try:
        reader = csv.reader(io.StringIO(text, newline=""))
        header = next(reader, None)
        if not header:
            report.file_problem(_("The file is empty."))
            return None
        header = [name.strip() for name in header]
        if len(set(header)) != len(header):
            report.file_problem(_("A column appears twice."))
            return None
        rows = []
        for cells in reader:
            if not any(cell.strip() for cell in cells):
                continue
            if len(cells) != len(header):
                rows.append(None)
                report.problems.append(
                    Problem(
                        len(rows),
                        None,
                        _("The row has %(found)d values for %(expected)d columns.")
                        % {"found": len(cells), "expected": len(header)},
                    )
                )
                continue
            row = {}
            for name, cell in zip(header, cells, strict=True):
                cell = cell.strip()
                if cell.startswith("'") and cell[1:2] in export_formula_starts():
                    cell = cell[1:]
                if name in mapping.MULTI_SELECT:
                    row[name] = [part.strip() for part in cell.split(";") if part.strip()]
                else:
                    row[name] = cell or None
            rows.append(row)
    except csv.Error:
        report.file_problem(_("The file is not a valid CSV file."))
        return None
    report.columns = header
    return rows


def export_formula_starts() -> tuple[str, ...]:
    return ("=", "+", "-", "@", "\t", "\r")


def _check_columns(names, report: Report) -> bool:
    unknown = sorted(set(names) - set(mapping.ALL_COLUMNS))
    missing = [name for name in mapping.REQUIRED_COLUMNS if name not in names]
    if unknown:
        report.file_problem(
            _("Columns that are not HTCDS fields of this exchange: %(names)s.")
            % {"names": ", ".join(name[:40] for name in unknown[:10])}
        )
    if missing:
        report.file_problem(_("Columns missing: %(names)s.") % {"names": ", ".join(missing)})
    return not (unknown or missing)


def _value_problem(name: str, value) -> str | None:
    """Why a value cannot be imported (None: fine)."""
    if value is None or value == "" or value == []:
        if name in mapping.REQUIRED_COLUMNS:
            return _("A value is required.")
        return None
    if name in mapping.MULTI_SELECT:
        if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
            return _("Expected a list of values.")
        for item in value:
            if name == "prs_Citizenship" and not COUNTRY.match(item):
                return _("%(value)s is not an ISO 3166 country code.") % {"value": item[:40]}
            allowed = mapping.HTCDS_VALUES.get(name)
            if allowed and item not in allowed:
                return _("%(value)s is not a value of the HTCDS list.") % {"value": item[:40]}
        return None
    if name == "vic_AgeWhenTrafficked":
        if isinstance(value, bool) or not isinstance(value, (int, str)):
            return _("Expected a whole number.")
        try:
            age = int(value)
        except ValueError:
            return _("Expected a whole number.")
        return None if 0 <= age <= 120 else _("The age must be between 0 and 120.")
    if not isinstance(value, str):
        return _("Expected text.")
    if name in mapping.HTCDS_VALUES and value not in mapping.HTCDS_VALUES[name]:
        return _("%(value)s is not a value of the HTCDS list.") % {"value": value[:40]}
    if name == "prs_Birthdate":
        try:
            born = date.fromisoformat(value)
        except ValueError:
            return _("Expected a date as YYYY-MM-DD.")
        return None if born <= local_today() else _("The date is in the future.")
    if len(value) > TEXT_LIMITS.get(name, 200):
        return _("The text is too long.")
    return None


def parse(data: bytes, filename: str = "") -> Report:
    report = Report(filename=filename[:200])
    if len(data) > limit("HTCDS_IMPORT_MAX_BYTES", MAX_BYTES):
        return report.file_problem(_("The file is larger than allowed (5 MB)."))
    text = _decode(data, report)
    if text is None:
        return report
    if not text.strip():
        return report.file_problem(_("The file is empty."))
    is_json = filename.lower().endswith(".json") or text.lstrip()[:1] in ("{", "[")
    rows = _rows_from_json(text, report) if is_json else _rows_from_csv(text, report)
    if rows is None:
        return report
    report.total = len(rows)
    if report.total > limit("HTCDS_IMPORT_MAX_ROWS", MAX_ROWS):
        return report.file_problem(
            _("The file has more than %(count)d rows.")
            % {"count": limit("HTCDS_IMPORT_MAX_ROWS", MAX_ROWS)}
        )
    names = set(report.columns)
    if is_json:
        for row in rows:
            names.update(str(key) for key in (row or {}))
    if not _check_columns(names, report):
        return report
    seen: dict[str, int] = {}
    for number, row in enumerate(rows, start=1):
        if row is None:
            continue
        problems = []
        for name in mapping.ALL_COLUMNS:
            message = _value_problem(name, row.get(name))
            if message:
                problems.append(Problem(number, name, message))
        person_id = row.get("prs_Id")
        if isinstance(person_id, str) and person_id:
            if person_id in seen:
                problems.append(
                    Problem(
                        number,
                        "prs_Id",
                        _("The same id is on row %(row)d.") % {"row": seen[person_id]},
                    )
                )
            else:
                seen[person_id] = number
        if problems:
            report.problems.extend(problems)
        else:
            report.valid.append((number, row))
    return report


def _person_data(row: dict) -> dict:
    born = row.get("prs_Birthdate")
    age = row.get("vic_AgeWhenTrafficked")
    citizenship = row.get("prs_Citizenship") or []
    return {
        "role": mapping.IMPORT_ROLE.get(row.get("prs_Role") or "Victim", "victim"),
        "name_as_written": row.get("prs_FirstName") or row["prs_Id"],
        "name_romanised": row.get("prs_SecondName"),
        "sex": mapping.IMPORT_GENDER.get(row.get("prs_Gender") or "", "unknown"),
        "date_of_birth": date.fromisoformat(born) if born else None,
        "estimated_age": int(age) if age not in (None, "") and not born else None,
        "nationality": citizenship[0] if citizenship else None,
        "home_address": row.get("prs_MailingStreet"),
        "victim_status": mapping.IMPORT_STATUS.get(row.get("vic_TraffickingStatus") or ""),
        "identity_document_number": row.get("prs_IdentityNumber"),
    }


EXTERNAL_PREFIX = "htcds:"


def mark_already_imported(report: Report, office_id: int) -> Report:
    """Rows of partner cases the office imported before become problems (on cas_Id)."""
    ids = sorted({str(row["cas_Id"]) for _number, row in report.valid})
    known: dict[str, str] = {}
    for start in range(0, len(ids), 500):  # bound the number of SQL parameters
        refs = [EXTERNAL_PREFIX + partner_id for partner_id in ids[start : start + 500]]
        rows = db.session.execute(
            select(Case.external_ref, Case.number).where(
                Case.office_id == office_id,
                Case.external_ref.is_not(None),  # the partial index's condition
                Case.external_ref.in_(refs),
            )
        )
        known.update({ref.removeprefix(EXTERNAL_PREFIX): number for ref, number in rows})
    if not known:
        return report
    still = []
    for number, row in report.valid:
        case_number = known.get(str(row["cas_Id"]))
        if case_number is None:
            still.append((number, row))
            continue
        message = _("This partner case was imported before, as case %(number)s.") % {
            "number": case_number
        }
        report.problems.append(Problem(number, "cas_Id", message))
    report.valid = still
    report.problems.sort(key=lambda problem: (problem.row or 0, problem.field or ""))
    return report


def _exploitation_types(rows: list[dict]) -> list[str]:
    found = []
    for row in rows:
        for value in row.get("vic_TypeOfExploitation") or []:
            ours = mapping.IMPORT_EXPLOITATION.get(value, "other")
            if ours not in found:
                found.append(ours)
    return found


def apply(report: Report, *, actor, accept_partial: bool = False) -> dict:
    """Create the cases and people of the valid rows (flush only). Refuses (returns
    ``imported: False``) a file with problems unless ``accept_partial``."""
    if report.fatal or not report.valid or (report.problems and not accept_partial):
        return {"imported": False, "cases": 0, "people": 0}
    cases: dict[str, object] = {}
    rows_of: dict[str, list[dict]] = {}
    for _number, row in report.valid:
        partner_id = row["cas_Id"]
        case = cases.get(partner_id)
        if case is None:
            case = case_operations.create_case(
                {
                    "title": _("Imported case %(id)s") % {"id": partner_id},
                    "summary": _("Imported from the HTCDS file %(file)s, partner case %(id)s.")
                    % {"file": report.filename or "-", "id": partner_id},
                    "opened_on": local_today(),
                },
                actor=actor,
            )
            case.external_ref = EXTERNAL_PREFIX + str(partner_id)
            cases[partner_id] = case
        rows_of.setdefault(partner_id, []).append(row)
        case_operations.add_person(case, _person_data(row), actor=actor)
    for partner_id, case in cases.items():
        for kind in _exploitation_types(rows_of[partner_id]):
            event = {"kind": "exploitation", "exploitation_type": kind}
            case_operations.add_event(case, event, actor=actor)
    record(
        "htcds.import",
        actor=actor,
        details={
            "file": report.filename,
            "cases": len(cases),
            "people": len(report.valid),
            "rejected_rows": report.invalid_rows,
        },
    )
    return {"imported": True, "cases": len(cases), "people": len(report.valid)}
