"""Joint border patrols with partner units: proposal, confirmation, outcome reports."""

from coordination.core.features import Feature

feature = Feature(name="patrols")
