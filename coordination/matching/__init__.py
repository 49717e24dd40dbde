"""Matching people across scripts and spellings (identity verification)."""
