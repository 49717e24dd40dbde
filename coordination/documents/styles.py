"""Paragraph styles for documents, and their per-script variants.

Each base style comes in three variants, picked by ``text.paragraph`` from the text:

* plain: Latin and Vietnamese (NFC, precomposed) need neither shaping nor special wrapping;
* shaped: any Lao, shaped with HarfBuzz so tone marks sit above vowels;
* cjk: Chinese without Lao, wrapped between any two characters (``wordWrap="CJK"``).
  Shaping stays off there: mixing CJK wrapping with shaping breaks Lao.
"""

from __future__ import annotations

import threading

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle

from coordination.documents.fonts import SANS, SANS_BOLD

INK = colors.HexColor("#1a1a1a")
MUTED = colors.HexColor("#555555")
RULE = colors.HexColor("#9a9a9a")
LABEL_BACKGROUND = colors.HexColor("#f0f0f0")
ALERT = colors.HexColor("#9b1c1c")
ALERT_BACKGROUND = colors.HexColor("#fdf0f0")

# Leading about 1.4 × size: stacked Lao marks (vowel + tone mark) need the room.
_BASE = {
    "title": {"fontName": SANS_BOLD, "fontSize": 16, "leading": 22, "spaceAfter": 4},
    "subtitle": {"fontSize": 10, "leading": 14, "textColor": MUTED, "spaceAfter": 10},
    "heading": {
        "fontName": SANS_BOLD,
        "fontSize": 12.5,
        "leading": 18,
        "spaceBefore": 12,
        "spaceAfter": 5,
        "keepWithNext": 1,
    },
    "subheading": {
        "fontName": SANS_BOLD,
        "fontSize": 10.5,
        "leading": 15,
        "spaceBefore": 8,
        "spaceAfter": 3,
        "keepWithNext": 1,
    },
    # A heading that does not carry what follows to the next page (a long table that may
    # start under it: a CondPageBreak before it keeps it from being orphaned instead).
    "section": {
        "fontName": SANS_BOLD,
        "fontSize": 10.5,
        "leading": 15,
        "spaceBefore": 8,
        "spaceAfter": 3,
    },
    "body": {"fontSize": 9.5, "leading": 13.5, "spaceAfter": 3},
    "label": {"fontName": SANS_BOLD, "fontSize": 8.5, "leading": 12, "textColor": MUTED},
    "cell": {"fontSize": 9, "leading": 12.5},
    "note": {"fontSize": 8.5, "leading": 12, "textColor": MUTED},
    "message-head": {
        "fontName": SANS_BOLD,
        "fontSize": 9,
        "leading": 13,
        "spaceBefore": 6,
        "keepWithNext": 1,
    },
    "message-body": {"fontSize": 9.5, "leading": 13.5, "leftIndent": 10, "spaceAfter": 2},
    "header": {"fontSize": 8, "leading": 11, "textColor": MUTED},
    "header-right": {"fontSize": 8, "leading": 11, "textColor": MUTED, "alignment": TA_RIGHT},
    "footer": {"fontSize": 8, "leading": 11, "textColor": MUTED, "alignment": TA_CENTER},
    # Multilingual records: a label in several languages is one paragraph, the first
    # language in a base style and the others underneath in the font, size and colour of
    # its "-alt" style (text.lines, labels.Labels.stacked).
    "record-title": {"fontName": SANS_BOLD, "fontSize": 14.5, "leading": 20, "spaceAfter": 2},
    "record-id": {"fontName": SANS_BOLD, "fontSize": 9.5, "leading": 13.5},
    "title-alt": {"fontName": SANS_BOLD, "fontSize": 11.5, "leading": 16, "textColor": MUTED},
    "label-alt": {"fontSize": 7.5, "textColor": MUTED},
    "label-small": {"fontName": SANS_BOLD, "fontSize": 7.5, "leading": 10.5, "textColor": MUTED},
    "label-small-alt": {"fontSize": 7, "textColor": MUTED},
    "cell-alt": {"fontSize": 8, "textColor": MUTED},
    "th": {"fontName": SANS_BOLD, "fontSize": 6.8, "leading": 9},
    "th-alt": {"fontSize": 6.3, "textColor": MUTED},
    "cell-small": {"fontSize": 7.5, "leading": 10.5},
    "cell-small-alt": {"fontSize": 7, "textColor": MUTED},
    "caption": {"fontSize": 6.5, "leading": 9, "textColor": MUTED, "alignment": TA_CENTER},
    "side-head": {"fontName": SANS_BOLD, "fontSize": 9, "leading": 12.5, "alignment": TA_CENTER},
    "sign-head": {"fontName": SANS_BOLD, "fontSize": 8.5, "leading": 12, "alignment": TA_CENTER},
    "sign-head-alt": {"fontSize": 7.5, "textColor": MUTED},
    "sign-hint": {"fontSize": 7, "leading": 9.5, "textColor": MUTED, "alignment": TA_CENTER},
    "sign-name": {"fontSize": 8.5, "leading": 12, "alignment": TA_CENTER},
    "flag": {"fontName": SANS_BOLD, "fontSize": 9.5, "leading": 13.5, "textColor": ALERT},
    "flag-heading": {
        "fontName": SANS_BOLD,
        "fontSize": 10.5,
        "leading": 15,
        "spaceBefore": 8,
        "spaceAfter": 3,
        "keepWithNext": 1,
        "textColor": ALERT,
    },
}

STYLES: dict[str, ParagraphStyle] = {
    name: ParagraphStyle(
        name,
        **{"fontName": SANS, "textColor": INK, "alignment": TA_LEFT, **values},
    )
    for name, values in _BASE.items()
}

_variants: dict[tuple[str, str], ParagraphStyle] = {}
_variants_lock = threading.Lock()


def get(name: str) -> ParagraphStyle:
    return STYLES[name]


def variant(style: ParagraphStyle, *, lao: bool, han: bool) -> ParagraphStyle:
    """The variant of ``style`` for a text with Lao and/or Chinese in it."""
    kind = "shaped" if lao else "cjk" if han else "plain"
    if kind == "plain":
        return style
    key = (style.name, kind)
    found = _variants.get(key)
    if found is None:
        with _variants_lock:
            found = _variants.get(key)
            if found is None:
                changes = {"shaping": 1} if kind == "shaped" else {"wordWrap": "CJK"}
                found = _variants[key] = ParagraphStyle(f"{style.name}-{kind}", style, **changes)
    return found
