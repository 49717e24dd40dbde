"""Flowables for records that are printed and signed: a QR code and signature blocks."""

from __future__ import annotations

import functools
from collections.abc import Sequence

from reportlab.graphics.barcode import qrencoder
from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Spacer

from coordination.documents import styles

_QR_LEVELS = {
    "L": qrencoder.QRErrorCorrectLevel.L,
    "M": qrencoder.QRErrorCorrectLevel.M,
    "Q": qrencoder.QRErrorCorrectLevel.Q,
    "H": qrencoder.QRErrorCorrectLevel.H,
}


@functools.lru_cache(maxsize=256)
def qr_modules(value: str, level: str = "M") -> tuple[tuple[bool, ...], ...]:
    """The dark/light modules of the QR code of ``value`` (UTF-8), row by row.

    Encoding is pure Python and takes milliseconds: a record printed again reuses it.
    """
    code = qrencoder.QRCode(None, _QR_LEVELS[level])
    code.addData(value)
    code.make()
    return tuple(tuple(bool(module) for module in row) for row in code.modules)


class QRCode(Flowable):
    """A square QR code of ``value``, ``size`` points wide, with a quiet zone of ``border``
    modules (the white around it counts too: keep other ink away)."""

    def __init__(self, value: str, size: float = 26 * mm, *, border: int = 2, level: str = "M"):
        super().__init__()
        self.value = value
        self.size = size
        self.border = border
        self.level = level
        self.hAlign = "CENTER"

    def wrap(self, availWidth, availHeight):  # noqa: N803 - ReportLab's names
        return self.size, self.size

    def draw(self) -> None:
        modules = qr_modules(self.value, self.level)
        count = len(modules) + 2 * self.border
        box = self.size / count
        canvas = self.canv
        canvas.saveState()
        canvas.setFillColor(colors.black)
        for row_number, row in enumerate(modules):
            y = self.size - (row_number + self.border + 1) * box
            column = 0
            while column < len(row):
                if not row[column]:
                    column += 1
                    continue
                start = column
                while column < len(row) and row[column]:
                    column += 1
                x = (start + self.border) * box
                # A hair taller than the module, so that no white seam shows between rows.
                canvas.rect(x, y, (column - start) * box, box * 1.02, stroke=0, fill=1)
        canvas.restoreState()


class SignatureLine(Flowable):
    """A dotted line to sign on, ``share`` of the available width, centred."""

    def __init__(self, share: float = 0.8, height: float = 2):
        super().__init__()
        self.share = share
        self.line_height = height

    def wrap(self, availWidth, availHeight):  # noqa: N803 - ReportLab's names
        self.width = availWidth
        return availWidth, self.line_height

    def draw(self) -> None:
        canvas = self.canv
        length = self.width * self.share
        start = (self.width - length) / 2
        canvas.saveState()
        canvas.setStrokeColor(styles.RULE)
        canvas.setLineWidth(0.6)
        canvas.setDash(1, 2)
        canvas.line(start, self.line_height, start + length, self.line_height)
        canvas.restoreState()


def signature_block(
    heading: Sequence[Flowable],
    hint: Sequence[Flowable],
    signers: Sequence[Sequence[Flowable]],
    *,
    space: float = 17 * mm,
) -> list[Flowable]:
    """The content of one signature cell: who signs (``heading``), how (``hint``), then for
    each signer room to sign, a dotted line and the signer's printed name. With no signer
    known, one blank line to sign on."""
    flowables: list[Flowable] = [*heading, *hint]
    for signer in signers or [[]]:
        flowables += [Spacer(1, space), SignatureLine(), *signer]
    return flowables
