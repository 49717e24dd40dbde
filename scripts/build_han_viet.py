#!/usr/bin/env python3
"""Build coordination/matching/data/han_viet.tsv from the Unihan database.

Maintainer tool, NOT run at install time or in CI.  It extracts every
``kVietnamese`` reading (Sino-Vietnamese / Hán-Việt and Nôm readings) from
Unihan and writes one line per character::

    <character> TAB <reading> [SPACE <reading> ...]

readings in NFC lowercase, in Unihan's order (the first is the most common),
lines sorted by code point.

Second pass: a simplified character that has no ``kVietnamese`` entry of its
own borrows the readings of its traditional variant(s) (``kTraditionalVariant``
in Unihan_Variants.txt), e.g. 陈 gets the readings of 陳.  Third pass, the
same the other way round via ``kSimplifiedVariant``, e.g. 黃 gets those of 黄.
Borrowed rows are not marked in the output.

Source: Debian's ``unicode-data`` package (only the standard library is used)::

    apt-get update && apt-get install -y unicode-data
    python3 scripts/build_han_viet.py

``--source`` also accepts a Unihan.zip, or a directory holding Unihan_*.txt
(plain or .bz2).  Output is deterministic for a given Unihan release.
"""

from __future__ import annotations

import argparse
import bz2
import io
import re
import subprocess
import sys
import unicodedata
import zipfile
from collections.abc import Iterator
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DEFAULT_SOURCE = Path("/usr/share/unicode")
DEFAULT_OUTPUT = REPO / "coordination" / "matching" / "data" / "han_viet.tsv"
_URL = re.compile(r"https?://\S+[^\s.]")
REGEN_COMMAND = "apt-get install -y unicode-data && python3 scripts/build_han_viet.py"


def _open_unihan_text(source: Path, stem: str) -> str:
    """Return the text of Unihan file ``stem`` (e.g. ``Unihan_Readings``).

    ``source`` is a Unihan.zip, a directory, or any file inside the directory
    holding the Unihan_*.txt[.bz2] files.
    """
    if source.is_file() and zipfile.is_zipfile(source):
        with zipfile.ZipFile(source) as zf:
            return zf.read(f"{stem}.txt").decode("utf-8")
    directory = source if source.is_dir() else source.parent
    plain = directory / f"{stem}.txt"
    if plain.is_file():
        return plain.read_text(encoding="utf-8")
    compressed = directory / f"{stem}.txt.bz2"
    if compressed.is_file():
        with bz2.open(compressed, "rt", encoding="utf-8") as fh:
            return fh.read()
    zipped = directory / "Unihan.zip"
    if zipped.is_file():
        return _open_unihan_text(zipped, stem)
    raise FileNotFoundError(f"no {stem}.txt, {stem}.txt.bz2 or Unihan.zip in {directory}")


def _header(text: str) -> list[str]:
    """The leading comment block of a Unihan file, without the '# ' prefix."""
    lines = []
    for line in io.StringIO(text):
        if not line.startswith("#"):
            break
        lines.append(line[1:].strip())
    return lines


def _header_value(info: list[str], key: str) -> str | None:
    for line in info:
        if line.startswith(f"{key}:"):
            return line.split(":", 1)[1].strip()
    return None


def _entries(text: str, field: str) -> Iterator[tuple[int, str]]:
    for line in io.StringIO(text):
        if line.startswith("#") or not line.strip():
            continue
        code, name, value = line.rstrip("\n").split("\t", 2)
        if name == field:
            yield int(code[2:], 16), value


def _code_points(value: str) -> list[int]:
    """Parse 'U+9673 U+9648<kSource' style variant values."""
    return [int(tok.split("<", 1)[0][2:], 16) for tok in value.split() if tok.startswith("U+")]


def _dedupe(items: list[str]) -> list[str]:
    return list(dict.fromkeys(items))


def _debian_version() -> str | None:
    try:
        out = subprocess.run(
            ["dpkg-query", "-W", "-f=${Version}", "unicode-data"],
            capture_output=True,
            text=True,
            check=True,
        )
    except (OSError, subprocess.CalledProcessError):
        return None
    return out.stdout.strip() or None


def build(source: Path) -> tuple[list[str], dict[int, list[str]], dict[str, int]]:
    """Return (header lines, readings by code point, counts by origin)."""
    readings_text = _open_unihan_text(source, "Unihan_Readings")
    variants_text = _open_unihan_text(source, "Unihan_Variants")

    direct: dict[int, list[str]] = {}
    for cp, value in _entries(readings_text, "kVietnamese"):
        words = [unicodedata.normalize("NFC", w).lower() for w in value.split()]
        direct[cp] = _dedupe(direct.get(cp, []) + words)
    readings = dict(direct)
    counts = {"kVietnamese": len(direct)}

    # Pass 2 borrows for simplified forms from their traditional variant(s);
    # pass 3 the other way round (e.g. 黃 from 黄).  Both borrow only from
    # characters that have kVietnamese themselves, never from borrowed rows.
    for field in ("kTraditionalVariant", "kSimplifiedVariant"):
        counts[field] = 0
        for cp, value in _entries(variants_text, field):
            if cp in readings:
                continue
            words = [w for t in _code_points(value) if t != cp for w in direct.get(t, [])]
            if words:
                readings[cp] = _dedupe(words)
                counts[field] += 1

    info = _header(readings_text)
    version = _header_value(info, "Unicode version") or "?"
    date = (_header_value(info, "Date") or "?").split(" [", 1)[0]
    copyright_line = next((ln for ln in info if ln.startswith("©")), "© Unicode, Inc.")
    terms_url = next(
        (m.group(0) for ln in info for m in [_URL.search(ln)] if m and "terms" in ln), ""
    )
    deb = _debian_version()

    source_note = f"Unihan_Readings.txt dated {date}"
    if deb:
        source_note += f"; Debian unicode-data {deb}"
    licence = "Unicode License Agreement - Data Files and Software (Unicode Terms of Use"
    licence += f", {terms_url})" if terms_url else ")"
    header = [
        "Sino-Vietnamese (Hán-Việt) readings from the Unihan kVietnamese field,"
        f" Unicode {version} ({source_note}).",
        "Characters without kVietnamese borrow the readings of their kTraditionalVariant(s),"
        " else of their kSimplifiedVariant(s), from Unihan_Variants.txt.",
        "Format: character TAB readings (space-separated, NFC lowercase, Unihan order)."
        " Extracted and modified from the Unicode Data Files.",
        f"Unihan data {copyright_line} Licence: {licence}.",
        f"Regenerate: {REGEN_COMMAND}",
    ]
    return header, readings, counts


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument(
        "--source",
        type=Path,
        default=DEFAULT_SOURCE,
        help="Unihan.zip, a Unihan_Readings.txt[.bz2], or a directory (default: %(default)s)",
    )
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT)
    args = parser.parse_args(argv)

    header, readings, counts = build(args.source)
    lines = [f"# {h}" for h in header]
    lines += [f"{chr(cp)}\t{' '.join(words)}" for cp, words in sorted(readings.items())]
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text("\n".join(lines) + "\n", encoding="utf-8", newline="\n")
    print(
        f"wrote {args.output}: {len(readings)} characters;",
        ", ".join(f"{field}: {n}" for field, n in counts.items()),
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
