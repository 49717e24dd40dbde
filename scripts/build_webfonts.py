#!/usr/bin/env python3
"""Rebuild the vendored web fonts in coordination/static/fonts/.

Maintainer tool, NOT run at install time.  It subsets the fonts shipped by
Debian's font packages into WOFF2 files and regenerates
coordination/static/css/fonts.css, so the app renders Vietnamese, Lao and
Simplified Chinese with no internet access and no fonts on the client.

Requirements (keep them out of the project's requirements files):

    apt-get install -y fonts-noto-core fonts-noto-cjk   # or fonts-wqy-microhei
    python3 -m venv /tmp/fontvenv
    /tmp/fontvenv/bin/pip install fonttools brotli
    /tmp/fontvenv/bin/python scripts/build_webfonts.py

Only the standard library and fontTools (+ brotli, used by fontTools for the
WOFF2 flavor) are used.  Output is deterministic for a given set of source
fonts and fontTools version (head.modified is kept from the source font).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

try:
    from fontTools import subset
    from fontTools import version as fonttools_version
    from fontTools.ttLib import TTFont
except ImportError:  # pragma: no cover - maintainer tool
    sys.exit("fontTools is required: pip install fonttools brotli")

try:
    import brotli  # noqa: F401  (needed by fontTools for flavor=woff2)
except ImportError:  # pragma: no cover
    sys.exit("brotli is required for WOFF2 output: pip install brotli")

REPO = Path(__file__).resolve().parent.parent
FONT_DIR = REPO / "coordination" / "static" / "fonts"
CSS_FILE = REPO / "coordination" / "static" / "css" / "fonts.css"
FAMILY = "App Sans"
BOTH = (400, 700)

NOTO = Path("/usr/share/fonts/truetype/noto")
NOTO_CJK_TTC = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")
NOTO_CJK_SC_PSNAME = "NotoSansCJKsc-Regular"
WQY_TTC = Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc")
# Rare characters of the data files that Noto Sans CJK lacks (Nom characters
# of CJK Extension B-F in matching/data/han_viet.tsv): Hanazono Mincho, OFL.
HANAZONO = Path("/usr/share/fonts/truetype/hanazono")

# Project files whose every character must be renderable in "App Sans".
DATA_GLOBS = (
    "coordination/directory/data/*.tsv",
    "coordination/matching/data/*.tsv",
    "translations/*/LC_MESSAGES/messages.po",
)
# The data files of places and names are shown on common pages: their few
# characters outside GB2312 go into the main Chinese file (so a page of
# provinces, e.g. 乂安省, does not fetch the multi-megabyte extension file).
# Other data characters (the Han-Viet table: thousands) go into the
# lazily loaded extension file.
MAIN_DATA_GLOBS = (
    "coordination/directory/data/*.tsv",
    "coordination/matching/data/han_viet_names.tsv",
    "coordination/matching/data/common_name_syllables.tsv",
    "translations/*/LC_MESSAGES/messages.po",
)
# The rest of the source font's CJK Unified Ideographs and Extension A go
# into the extension file (downloaded only by a page that has one of them).
CJK_EXT_RANGES = [(0x3400, 0x4DBF), (0x4E00, 0x9FFF)]

# --------------------------------------------------------------------------
# Character ranges (inclusive code point pairs)
# --------------------------------------------------------------------------
LATIN_RANGES = [
    (0x0000, 0x00FF),  # Basic Latin + Latin-1 Supplement (incl. × ·)
    (0x0100, 0x017F),  # Latin Extended-A
    (0x0180, 0x024F),  # Latin Extended-B (incl. Ơ ơ Ư ư)
    (0x02B0, 0x02FF),  # Spacing Modifier Letters (ˆ ˜ ˘ ...)
    (0x0300, 0x036F),  # Combining Diacritical Marks
    (0x1E00, 0x1EFF),  # Latin Extended Additional (Vietnamese)
    (0x2000, 0x206F),  # General Punctuation (— “ ” … ‹ ›)
    (0x20A0, 0x20CF),  # Currency Symbols (₫ ₭ € ¥ ...)
    (0x2116, 0x2116),  # № numero sign
    (0x2122, 0x2122),  # ™
    (0xFEFF, 0xFEFF),  # BOM / ZWNBSP
    (0xFFFD, 0xFFFD),  # replacement character
]
LAO_RANGES = [(0x0E80, 0x0EFF), (0x25CC, 0x25CC)]  # Lao + dotted circle
# Noto Sans itself has neither arrows nor check marks: take them from the
# Noto fonts that do, as two tiny extra files.
ARROW_RANGES = [(0x2190, 0x21FF), (0x2212, 0x2212)]  # arrows, minus sign
SYMBOL_RANGES = [(0x2713, 0x2718)]  # ✓ ✔ ✕ ✖ ✗ ✘
CJK_EXTRA_RANGES = [
    (0x3000, 0x303F),  # CJK Symbols and Punctuation
    (0xFF00, 0xFFEF),  # Halfwidth and Fullwidth Forms
]
# GB2312 also contains Greek and Cyrillic letters; leave them out of the
# CJK file so a Greek/Russian word does not make the browser fetch ~2 MB.
CJK_EXCLUDE_RANGES = [(0x0370, 0x03FF), (0x0400, 0x04FF)]


def expand(ranges):
    out = set()
    for lo, hi in ranges:
        out.update(range(lo, hi + 1))
    return out


def data_codepoints(globs) -> set[int]:
    """Every code point of the project files matched by globs (no controls)."""
    cps = set()
    for pattern in globs:
        for path in sorted(REPO.glob(pattern)):
            cps.update(map(ord, path.read_text(encoding="utf-8")))
    return {c for c in cps if c >= 0x20}


def gb2312_codepoints():
    """Every character encoded by GB2312 (rows 0xA1-0xF7, cells 0xA1-0xFE)."""
    cps = set()
    for lead in range(0xA1, 0xF8):
        for trail in range(0xA1, 0xFF):
            try:
                ch = bytes((lead, trail)).decode("gb2312")
            except UnicodeDecodeError:
                continue
            cps.update(map(ord, ch))
    hanzi = sum(1 for c in cps if 0x4E00 <= c <= 0x9FFF)
    if hanzi != 6763:
        sys.exit(f"GB2312 decode gave {hanzi} hanzi, expected 6763")
    return cps


# --------------------------------------------------------------------------
# Source font discovery
# --------------------------------------------------------------------------
def ttc_face_index(path: Path, psname: str) -> int:
    """Index of the face whose PostScript name (name ID 6) is psname."""
    from fontTools.ttLib import TTCollection

    coll = TTCollection(str(path), lazy=True)
    try:
        for i, font in enumerate(coll.fonts):
            if font["name"].getDebugName(6) == psname:
                return i
    finally:
        coll.close()
    sys.exit(f"no face named {psname} in {path}")


def cjk_source(choice: str):
    """(path, face index, debian package, description) of the SC font."""
    if choice in ("auto", "noto") and NOTO_CJK_TTC.exists():
        idx = ttc_face_index(NOTO_CJK_TTC, NOTO_CJK_SC_PSNAME)
        return NOTO_CJK_TTC, idx, "fonts-noto-cjk", "Noto Sans CJK SC Regular"
    if choice in ("auto", "wqy") and WQY_TTC.exists():
        return WQY_TTC, 0, "fonts-wqy-microhei", "WenQuanYi Micro Hei"
    sys.exit(
        "no Simplified Chinese source font: apt-get install fonts-noto-cjk (or fonts-wqy-microhei)"
    )


def deb_version(pkg: str) -> str:
    try:
        out = subprocess.run(
            ["dpkg-query", "-W", "-f=${Version}", pkg],
            capture_output=True,
            text=True,
            check=True,
        )
        return out.stdout.strip() or "unknown"
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


# --------------------------------------------------------------------------
# Subsetting
# --------------------------------------------------------------------------
def font_cmap(path: Path, font_number=0) -> set[int]:
    with TTFont(str(path), lazy=True, fontNumber=font_number) as font:
        return set(font.getBestCmap())


def subset_font(src: Path, dest: Path, unicodes=None, font_number=0, all_glyphs=False) -> set[int]:
    """Write a WOFF2 subset of src to dest; return the code points it maps."""
    opts = subset.Options()
    opts.flavor = "woff2"
    opts.layout_features = ["*"]  # keep every GSUB/GPOS feature
    opts.layout_scripts = ["*"]
    opts.name_IDs = ["*"]  # keep copyright/licence name records
    opts.name_languages = ["*"]
    opts.notdef_outline = True
    opts.desubroutinize = True  # CFF only: ~4% smaller WOFF2 for CJK
    opts.recalc_timestamp = False  # reproducible output
    opts.font_number = font_number
    font = subset.load_font(str(src), opts, dontLoadGlyphNames=True)
    try:
        cmap = font.getBestCmap()
        sub = subset.Subsetter(options=opts)
        if all_glyphs:
            sub.populate(glyphs=font.getGlyphOrder(), unicodes=cmap.keys())
        else:
            sub.populate(unicodes=sorted(set(unicodes) & set(cmap)))
        sub.subset(font)
        dest.parent.mkdir(parents=True, exist_ok=True)
        subset.save_font(font, str(dest), opts)
    finally:
        font.close()
    with TTFont(str(dest)) as check:
        return set(check.getBestCmap())


def css_ranges(cps, forbidden=frozenset(), max_gap=256):
    """Compact unicode-range list for cps; ranges never cover `forbidden`."""
    ranges = []
    for cp in sorted(cps):
        if ranges:
            lo, hi = ranges[-1]
            if cp - hi <= max_gap and not any(c in forbidden for c in range(hi + 1, cp)):
                ranges[-1] = (lo, cp)
                continue
        ranges.append((cp, cp))

    def fmt(lo, hi):
        return f"U+{lo:04X}" if lo == hi else f"U+{lo:04X}-{hi:04X}"

    return ", ".join(fmt(lo, hi) for lo, hi in ranges)


def ranges_css(ranges):
    return ", ".join(f"U+{lo:04X}" if lo == hi else f"U+{lo:04X}-{hi:04X}" for lo, hi in ranges)


def line_metrics(path: Path) -> str:
    """ascent/descent/line-gap overrides equal to path's hhea metrics."""
    with TTFont(str(path), lazy=True) as font:
        upm = font["head"].unitsPerEm
        hhea = font["hhea"]
        return (
            f"  ascent-override: {100 * hhea.ascent / upm:g}%;\n"
            f"  descent-override: {100 * -hhea.descent / upm:g}%;\n"
            f"  line-gap-override: {100 * hhea.lineGap / upm:g}%;\n"
        )


def font_face(comment, filename, weight, urange, extra=""):
    return (
        f"/* {comment} */\n"
        "@font-face {\n"
        f'  font-family: "{FAMILY}";\n'
        "  font-style: normal;\n"
        f"  font-weight: {weight};\n"
        "  font-display: swap;\n"
        f'  src: url("../fonts/{filename}") format("woff2");\n'
        f"  unicode-range: {urange};\n"
        f"{extra}"
        "}\n"
    )


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument(
        "--cjk-source",
        choices=("auto", "noto", "wqy"),
        default="auto",
        help="Simplified Chinese source font",
    )
    ap.add_argument("--out-dir", type=Path, default=FONT_DIR)
    ap.add_argument("--css", type=Path, default=CSS_FILE)
    args = ap.parse_args(argv)

    latin_cps = expand(LATIN_RANGES)
    lao_cps = expand(LAO_RANGES)
    arrow_cps = expand(ARROW_RANGES)
    sym_cps = expand(SYMBOL_RANGES)
    claimed = latin_cps | lao_cps | arrow_cps | sym_cps

    cjk_path, cjk_idx, cjk_pkg, cjk_desc = cjk_source(args.cjk_source)
    data_cps = data_codepoints(DATA_GLOBS)
    main_data = {c for c in data_codepoints(MAIN_DATA_GLOBS) if c >= 0x2E80} - claimed
    cjk_wanted = (
        (gb2312_codepoints() | expand(CJK_EXTRA_RANGES)) - claimed - expand(CJK_EXCLUDE_RANGES)
    ) | main_data
    cjk_cmap = font_cmap(cjk_path, cjk_idx)
    cjk_main = cjk_wanted & cjk_cmap
    ext_wanted = ((expand(CJK_EXT_RANGES) | data_cps) & cjk_cmap) - cjk_main - claimed
    # Data characters that the CJK font lacks: take them from Hanazono.
    rare = data_cps - claimed - cjk_main - ext_wanted
    rare_a, rare_b = set(), set()
    hana_a, hana_b = HANAZONO / "HanaMinA.ttf", HANAZONO / "HanaMinB.ttf"
    if rare:
        if not hana_a.exists():
            sys.exit(f"missing source font {hana_a}: apt-get install fonts-hanazono")
        rare_a = rare & font_cmap(hana_a)
        rare_b = (rare - rare_a) & font_cmap(hana_b)
    uncovered = sorted(rare - rare_a - rare_b)
    n_main_extra = len(main_data - gb2312_codepoints())
    print(
        f"data files: {len(data_cps)} characters; main CJK adds {n_main_extra}"
        f" outside GB2312; extension {len(ext_wanted)}; Hanazono {len(rare_a)} + {len(rare_b)};"
        f" in no source font: {len(uncovered)}"
    )
    if uncovered:
        print("  " + css_ranges(uncovered, max_gap=0))

    core = "fonts-noto-core"
    # The Lao font's own space/ZWSP/₭ glyphs stay unused: only Lao
    # characters are routed to it by unicode-range.
    #
    # A file that has no bold counterpart is declared for BOTH weights
    # (BOTH = 400 and 700, same URL, downloaded once).  Browsers pick the
    # faces of a family by weight first and only then by unicode-range, so
    # a face declared for 400 alone is never used for bold text: bold
    # Chinese/arrows/check marks would fall through to system fonts (tofu
    # on a client without any).  Declared for 700 too, they render bold
    # text in their regular weight (no synthetic bold inside one family).
    jobs = [
        # (file, source, face, kwargs, weights, description, package, ranges)
        (
            "app-sans-latin-400.woff2",
            NOTO / "NotoSans-Regular.ttf",
            0,
            {"unicodes": latin_cps},
            400,
            "Noto Sans Regular",
            core,
            LATIN_RANGES,
        ),
        (
            "app-sans-latin-700.woff2",
            NOTO / "NotoSans-Bold.ttf",
            0,
            {"unicodes": latin_cps},
            700,
            "Noto Sans Bold",
            core,
            LATIN_RANGES,
        ),
        (
            "app-sans-arrows-400.woff2",
            NOTO / "NotoSansMath-Regular.ttf",
            0,
            {"unicodes": arrow_cps},
            BOTH,
            "Noto Sans Math Regular",
            core,
            ARROW_RANGES,
        ),
        (
            "app-sans-symbols-400.woff2",
            NOTO / "NotoSansSymbols2-Regular.ttf",
            0,
            {"unicodes": sym_cps},
            BOTH,
            "Noto Sans Symbols2 Regular",
            core,
            SYMBOL_RANGES,
        ),
        (
            "app-sans-lao-400.woff2",
            NOTO / "NotoSansLao-Regular.ttf",
            0,
            {"all_glyphs": True},
            400,
            "Noto Sans Lao Regular",
            core,
            LAO_RANGES,
        ),
        (
            "app-sans-lao-700.woff2",
            NOTO / "NotoSansLao-Bold.ttf",
            0,
            {"all_glyphs": True},
            700,
            "Noto Sans Lao Bold",
            core,
            LAO_RANGES,
        ),
        (
            "app-sans-sc-400.woff2",
            cjk_path,
            cjk_idx,
            {"unicodes": cjk_main},
            BOTH,
            cjk_desc,
            cjk_pkg,
            None,
        ),
        (
            "app-sans-sc-ext-400.woff2",
            cjk_path,
            cjk_idx,
            {"unicodes": ext_wanted},
            BOTH,
            cjk_desc,
            cjk_pkg,
            None,
        ),
    ]
    for fname, src, cps in (
        ("app-sans-han-rare-a-400.woff2", hana_a, rare_a),
        ("app-sans-han-rare-b-400.woff2", hana_b, rare_b),
    ):
        if cps:
            jobs.append((fname, src, 0, {"unicodes": cps}, BOTH, src.stem, "fonts-hanazono", None))

    built = []
    total = 0
    for fname, src, idx, kw, weights, desc, pkg, ranges in jobs:
        if not src.exists():
            sys.exit(f"missing source font {src}: apt-get install {pkg}")
        dest = args.out_dir / fname
        mapped = subset_font(src, dest, font_number=idx, **kw)
        size = dest.stat().st_size
        total += size
        print(
            f"{fname:28s} {size:>9,d} bytes  {len(mapped):5d} chars  "
            f"<- {src}#{idx} ({pkg} {deb_version(pkg)})"
        )
        if fname == "app-sans-sc-400.woff2":
            missing = [c for c in cjk_wanted if c not in mapped and 0x4E00 <= c <= 0x9FFF]
            if missing:
                sys.exit(f"{src} lacks {len(missing)} GB2312 hanzi")
        built.append((fname, src, weights, desc, pkg, ranges, mapped))
    print(f"{'total':28s} {total:>9,d} bytes")

    # The CJK files' ranges never overlap: each may bridge only code points
    # that no other file maps, so a page downloads the extension or rare
    # file only if it has one of their characters.
    cjk_mapped = {fname: mapped - claimed for fname, *_, r, mapped in built if r is None}
    faces = []
    for fname, _src, weights, desc, pkg, ranges, _mapped in built:
        if ranges is not None:
            urange = ranges_css(ranges)
        else:
            others = set().union(*(m for f, m in cjk_mapped.items() if f != fname))
            urange = css_ranges(cjk_mapped[fname], forbidden=claimed | others)
        # Math/Symbols2 have deep descenders: give their faces Noto Sans'
        # line metrics so an arrow or a check mark does not grow the line.
        extra = ""
        if fname.startswith(("app-sans-arrows", "app-sans-symbols")):
            extra = line_metrics(NOTO / "NotoSans-Regular.ttf")
        if isinstance(weights, int):
            weights = (weights,)
        for weight in weights:
            faces.append((fname, weight, urange, desc, pkg, extra))

    header = (
        "/*\n"
        " * GENERATED by scripts/build_webfonts.py -- do not edit by hand.\n"
        f' * One family, "{FAMILY}", split per script with unicode-range so\n'
        " * the browser downloads the Lao or Chinese file only for pages that\n"
        " * contain such characters.  Files without a bold cut are declared\n"
        " * for weight 400 and 700 (same URL) so bold text never falls back\n"
        " * to system fonts.  Fonts are SIL OFL 1.1, see\n"
        " * ../fonts/LICENSE-OFL.txt and ../fonts/README.md.\n"
        " */\n"
    )
    blocks = [header]
    for fname, weight, urange, desc, pkg, extra in faces:
        blocks.append(font_face(f"{desc} ({pkg}), subset", fname, weight, urange, extra))
    args.css.parent.mkdir(parents=True, exist_ok=True)
    args.css.write_text("\n".join(blocks), encoding="utf-8")
    print(f"wrote {os.path.relpath(args.css, Path.cwd())} (fontTools {fonttools_version})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
