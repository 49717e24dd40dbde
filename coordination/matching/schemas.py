from __future__ import annotations

from coordination.core.validation import Choice, Int, Schema, Text
from coordination.matching.models import MatchDecisionKind


class DecisionSchema(Schema):
    decision = Choice([kind.value for kind in MatchDecisionKind], required=True)
    note = Text(max_length=2000, multiline=True)


class PeopleSearchArgs(Schema):
    class Meta:
        unknown = "exclude"

    q = Text(max_length=200, load_default=None)
    # The results' page; the search module bounds it (past the last page says so).
    page = Int(minimum=1, maximum=100_000, load_default=1)
