"""Cases and people exchanged in the UN/IOM Human Trafficking Case Data Standard (HTCDS 2.0):
export (CSV, JSON; de-identified by default) and import of a partner's file."""

from coordination.core.features import Feature

feature = Feature(name="htcds")
