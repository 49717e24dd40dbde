"""URL converters."""

from werkzeug.routing import BaseConverter, IntegerConverter

from coordination.core.validation import MAX_ID


def at_most_regex(limit: int) -> str:
    """A regex for the whole numbers 1 … ``limit``, written without leading zeros."""
    digits = str(limit)
    shorter = f"[1-9]\\d{{0,{len(digits) - 2}}}" if len(digits) > 1 else ""
    same_length = []
    for i, digit in enumerate(digits):
        low = 1 if i == 0 else 0
        if int(digit) > low:
            rest = len(digits) - i - 1
            same_length.append(
                f"{digits[:i]}[{low}-{int(digit) - 1}]" + (f"\\d{{{rest}}}" if rest else "")
            )
    same_length.append(digits)
    return "(?:" + "|".join(filter(None, [shorter, *same_length])) + ")"


class RecordIdConverter(IntegerConverter):
    """``<int:…>`` limited to ids a database row can have (1 … 2**31 - 1).

    The limit is in the regex, not only in ``to_python``: werkzeug answers 405 instead of
    404 when a path matches one rule's pattern for another method (GET and PUT on
    ``/api/v1/cases/<id>``) and only the converter then rejects the value.
    """

    def __init__(self, map, *args, **kwargs):
        kwargs.setdefault("min", 1)
        kwargs.setdefault("max", MAX_ID)
        super().__init__(map, *args, **kwargs)
        if self.min == 1 and not self.fixed_digits and not self.signed:
            self.regex = at_most_regex(self.max)


class JobIdConverter(BaseConverter):
    """``<job:…>``: a job id as features declare them ("exchange.remind_deadlines"); any
    other path segment is simply not found, before any sign-in redirect."""

    regex = r"[a-z][a-z0-9_]*(?:\.[a-z][a-z0-9_]*)+"
