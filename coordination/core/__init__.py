"""Pieces shared by every feature: database types, text input, errors, access helpers."""
