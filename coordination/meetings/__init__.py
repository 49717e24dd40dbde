"""Liaison meetings with partner offices: recurrence, agenda, minutes, action items."""

from coordination.core.features import Feature

feature = Feature(name="meetings")
