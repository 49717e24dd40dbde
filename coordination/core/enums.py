"""Enumerations whose members carry a translatable label."""

from __future__ import annotations

import enum


class LabelledEnum(enum.StrEnum):
    """A string enum whose members are declared as ``NAME = "value", L_("Label")``.

    The value is what is stored; ``label`` is the text shown, in the reader's language.
    """

    def __new__(cls, value: str, label=None):
        member = str.__new__(cls, value)
        member._value_ = value
        member._label = label if label is not None else value
        return member

    @property
    def label(self) -> str:
        return str(self._label)
