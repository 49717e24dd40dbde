"""Hotline calls, letters and diplomatic notes: contacts outside the app, logged in it."""

from coordination.core.features import Feature

feature = Feature(name="contacts")
