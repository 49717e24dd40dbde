"""URL converters."""

from werkzeug.routing import IntegerConverter

from coordination.core.validation import MAX_ID


class RecordIdConverter(IntegerConverter):
    """``<int:…>`` limited to ids a database row can have (1 … 2**31 - 1)."""

    def __init__(self, map, *args, **kwargs):
        kwargs.setdefault("min", 1)
        kwargs.setdefault("max", MAX_ID)
        super().__init__(map, *args, **kwargs)
