#!/usr/bin/env python3
"""Rebuild the vendored PDF fonts in coordination/documents/fonts/.

Maintainer tool, NOT run at install time or at run time. ReportLab embeds TrueType
(glyf) fonts only, and each face must cover a whole space-delimited word (a font switch
inside a word breaks HarfBuzz shaping). So this script makes:

* ``CoordinationSans-Regular.ttf`` / ``-Bold.ttf``: Noto Sans merged with Noto Sans Lao
  (both 1000 units per em) into one face that covers Latin, Vietnamese, Lao, digits and
  punctuation, under its own family name "Coordination Sans" (OFL 1.1 allows a
  Modified Version under another name).
* ``CoordinationHan-Regular.ttf``: WenQuanYi Micro Hei (TTC subfont 0), subset to the
  Chinese characters and CJK punctuation. Its Latin letters are left out on purpose: it
  draws some Vietnamese letters wrongly (ờ as ớ), so Latin text always goes to
  Coordination Sans.

Hinting is dropped (PDF viewers do not use it; it also cannot be merged across fonts).
Glyph names are kept: the PDF text layer maps shaped Lao glyphs back to text by name.

Requirements (keep them out of the project's requirements files):

    apt-get install -y fonts-noto-core fonts-wqy-microhei
    python3 -m venv /tmp/fontvenv
    /tmp/fontvenv/bin/pip install fonttools
    /tmp/fontvenv/bin/python scripts/build_pdf_fonts.py

The output is reproducible for the same source fonts and fontTools version.
"""

from __future__ import annotations

import argparse
import io
import subprocess
import sys
from pathlib import Path

try:
    from fontTools import subset
    from fontTools import version as fonttools_version
    from fontTools.merge import Merger, Options
    from fontTools.ttLib import TTFont
except ImportError:  # pragma: no cover - maintainer tool
    sys.exit("fontTools is required: pip install fonttools")

REPO = Path(__file__).resolve().parent.parent
OUT_DIR = REPO / "coordination" / "documents" / "fonts"
NOTO = Path("/usr/share/fonts/truetype/noto")
WQY_TTC = Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc")

FAMILY = "Coordination Sans"
HAN_FAMILY = "Coordination Han"

# What the Chinese face keeps (inclusive code point ranges). No Latin, no Hangul, no kana.
HAN_RANGES = [
    (0x2E80, 0x2FDF),  # CJK radicals supplement, Kangxi radicals
    (0x3000, 0x303F),  # CJK symbols and punctuation (、。「」【】〔〕)
    (0x3100, 0x312F),  # Bopomofo
    (0x31C0, 0x31EF),  # CJK strokes
    (0x3200, 0x33FF),  # Enclosed CJK letters, CJK compatibility
    (0x3400, 0x4DBF),  # CJK unified ideographs extension A
    (0x4E00, 0x9FFF),  # CJK unified ideographs
    (0xF900, 0xFAFF),  # CJK compatibility ideographs
    (0xFE30, 0xFE4F),  # CJK compatibility forms
    (0xFF00, 0xFFEF),  # Halfwidth and fullwidth forms (，：（）！？)
]


def deb_version(package: str) -> str:
    try:
        out = subprocess.run(
            ["dpkg-query", "-W", "-f=${Version}", package],
            capture_output=True,
            text=True,
            check=True,
        )
        return out.stdout.strip() or "unknown"
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def _subset_options() -> subset.Options:
    options = subset.Options()
    options.layout_features = ["*"]  # every GSUB/GPOS feature (Lao marks need mark/mkmk)
    options.layout_scripts = ["*"]
    options.name_IDs = ["*"]  # keep copyright and licence records
    options.name_languages = ["*"]
    options.notdef_outline = True
    options.glyph_names = True
    options.hinting = False
    options.legacy_kern = True
    options.recalc_timestamp = False
    return options


def subset_to_memory(
    src: Path, *, unicodes=None, all_glyphs: bool = False, font_number: int = 0, drop=()
) -> TTFont:
    options = _subset_options()
    options.font_number = font_number
    options.drop_tables += list(drop)
    font = subset.load_font(str(src), options)
    cmap = font.getBestCmap()
    subsetter = subset.Subsetter(options=options)
    if all_glyphs:
        subsetter.populate(glyphs=font.getGlyphOrder(), unicodes=cmap.keys())
    else:
        subsetter.populate(unicodes=sorted(set(unicodes) & set(cmap)))
    subsetter.subset(font)
    buffer = io.BytesIO()
    subset.save_font(font, buffer, options)
    font.close()
    buffer.seek(0)
    return TTFont(buffer, recalcTimestamp=False)


def rename(font: TTFont, family: str, style: str, sources: str) -> None:
    """Give the font its own names (IDs 1-6, 16, 17) and say what it was made from."""
    postscript = f"{family.replace(' ', '')}-{style}"
    name = font["name"]
    version = f"Version 1.000; built from {sources}"
    values = {
        1: family,
        2: style,
        3: f"{postscript};{fonttools_version}",
        4: f"{family} {style}" if style != "Regular" else family,
        5: version,
        6: postscript,
        16: family,
        17: style,
    }
    for name_id in (1, 2, 3, 4, 5, 6, 16, 17, 18, 21, 22, 25):
        name.removeNames(nameID=name_id)
    for name_id, value in values.items():
        name.setName(value, name_id, 3, 1, 0x409)  # Windows, Unicode BMP, English (US)
        name.setName(value, name_id, 1, 0, 0)  # Macintosh, Roman, English
    # The trademark notice (name ID 7) stays: both licences ask to keep the notices.


def merged_sans(weight: str) -> TTFont:
    latin = subset_to_memory(NOTO / f"NotoSans-{weight}.ttf", all_glyphs=True)
    lao = subset_to_memory(NOTO / f"NotoSansLao-{weight}.ttf", all_glyphs=True)
    # Merger reads files; hand it the in-memory subsets through temporary buffers.
    buffers = []
    for font in (latin, lao):
        buffer = io.BytesIO()
        font.save(buffer)
        buffer.seek(0)
        buffers.append(buffer)
    merger = Merger(options=Options(drop_tables=["DSIG"]))
    merged = merger.merge(buffers)
    # head/OS2/hhea come from Noto Sans (first font); grow the vertical extents to the
    # Lao font's, so stacked Lao marks are never clipped.
    for table, fields in (("hhea", ("ascent", "descent")), ("OS/2", ("usWinAscent",))):
        for field in fields:
            values = [getattr(f[table], field) for f in (latin, lao)]
            setattr(merged[table], field, max(values) if field != "descent" else min(values))
    merged["OS/2"].usWinDescent = max(latin["OS/2"].usWinDescent, lao["OS/2"].usWinDescent)
    merged["head"].modified = max(latin["head"].modified, lao["head"].modified)
    merged["head"].created = max(latin["head"].created, lao["head"].created)
    rename(merged, FAMILY, weight, f"Noto Sans {weight} 2.004 + Noto Sans Lao {weight} 2.001")
    copyright_ = "; ".join(
        dict.fromkeys(
            value
            for value in (
                latin["name"].getDebugName(0),
                lao["name"].getDebugName(0),
            )
            if value
        )
    )
    merged["name"].removeNames(nameID=0)
    merged["name"].setName(copyright_, 0, 3, 1, 0x409)
    merged["name"].setName(copyright_, 0, 1, 0, 0)
    return merged


def han_face() -> TTFont:
    wanted = set()
    for low, high in HAN_RANGES:
        wanted.update(range(low, high + 1))
    # ReportLab writes horizontally and never shapes Chinese: vertical metrics and the
    # layout tables (vertical forms, locl) would only keep ~12,000 unused glyphs.
    drop = ("vhea", "vmtx", "FFTM", "GSUB", "GPOS", "GDEF")
    font = subset_to_memory(WQY_TTC, unicodes=wanted, font_number=0, drop=drop)
    rename(font, HAN_FAMILY, "Regular", "WenQuanYi Micro Hei 0.2.0-beta (subset)")
    return font


def save(font: TTFont, path: Path) -> None:
    font.recalcTimestamp = False  # keep head.modified from the source: reproducible output
    path.parent.mkdir(parents=True, exist_ok=True)
    font.save(str(path))
    with TTFont(str(path)) as check:
        cmap = check.getBestCmap()
        glyphs = len(check.getGlyphOrder())
    print(
        f"{path.name:32s} {path.stat().st_size:>10,d} bytes  {len(cmap):6d} chars  {glyphs} glyphs"
    )


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out-dir", type=Path, default=OUT_DIR)
    args = parser.parse_args(argv)

    sources = [
        NOTO / "NotoSans-Regular.ttf",
        NOTO / "NotoSans-Bold.ttf",
        NOTO / "NotoSansLao-Regular.ttf",
        NOTO / "NotoSansLao-Bold.ttf",
    ]
    for path in sources:
        if not path.exists():
            sys.exit(f"missing {path}: apt-get install fonts-noto-core")
    if not WQY_TTC.exists():
        sys.exit(f"missing {WQY_TTC}: apt-get install fonts-wqy-microhei")

    for weight in ("Regular", "Bold"):
        save(merged_sans(weight), args.out_dir / f"CoordinationSans-{weight}.ttf")
    save(han_face(), args.out_dir / "CoordinationHan-Regular.ttf")
    print(
        f"fonts-noto-core {deb_version('fonts-noto-core')}, "
        f"fonts-wqy-microhei {deb_version('fonts-wqy-microhei')}, fontTools {fonttools_version}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
