"""Arguments and answers of the HTCDS API."""

from __future__ import annotations

from marshmallow import fields

from coordination.core.validation import Choice, FormBool, Schema


class ExportArgs(Schema):
    format = Choice(("csv", "json"), load_default="csv", metadata={"description": "csv or json"})
    identifiers = FormBool(
        load_default=False,
        metadata={"description": "Names, birth dates, addresses (needs the right; audited)."},
    )
    children = FormBool(
        load_default=False, metadata={"description": "Children's identifiers too (audited)."}
    )


class ImportArgs(Schema):
    accept_partial = FormBool(
        load_default=False,
        metadata={"description": "If some rows are invalid, import only the valid rows."},
    )


class ProblemOut(Schema):
    row = fields.Integer(allow_none=True)
    field = fields.String(allow_none=True)
    message = fields.String()


class ReportOut(Schema):
    filename = fields.String()
    rows = fields.Integer()
    valid_rows = fields.Integer()
    invalid_rows = fields.Integer()
    importable = fields.Boolean()
    problems = fields.List(fields.Nested(ProblemOut))
    imported = fields.Boolean()
    cases = fields.Integer()
    people = fields.Integer()
    # A refusal of the arguments themselves (as every API answer of 422): code and message.
    code = fields.Integer()
    status = fields.String()
    message = fields.String()
    errors = fields.Dict(
        keys=fields.String(),
        metadata={"description": "When nothing was imported: the file's first problem."},
    )
