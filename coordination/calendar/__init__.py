"""The calendar: what is scheduled, per office and per user, on a page and as a feed (issue 12, in progress)."""
