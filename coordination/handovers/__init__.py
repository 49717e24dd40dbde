"""Handovers of victims at the border gate, and their signed records."""
