"""What the reports' API accepts: a scope, and a period (a key such as 2026-Q3, 2026-H1,
2026) or a range of days (start and end)."""

from __future__ import annotations

from marshmallow import fields, validate

from coordination.core.validation import Schema, Text


class ReportArgs(Schema):
    scope = fields.String(
        required=True,
        validate=validate.Length(max=40),
        metadata={"description": "office:<id>, province:<area id>, partnership:<id> or all"},
    )
    period = fields.String(
        validate=validate.Length(max=40),
        metadata={"description": "2026-Q3, 2026-H1 or 2026 (or give start and end)"},
    )
    start = fields.String(validate=validate.Length(max=10), metadata={"description": "YYYY-MM-DD"})
    end = fields.String(validate=validate.Length(max=10), metadata={"description": "YYYY-MM-DD"})


class StoredArgs(Schema):
    scope = fields.String(required=True, validate=validate.Length(max=40))
    period = fields.String(validate=validate.Length(max=40))
    start = fields.String(validate=validate.Length(max=10))
    end = fields.String(validate=validate.Length(max=10))


class GenerateSchema(ReportArgs):
    reason = Text(max_length=500)
