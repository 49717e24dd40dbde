"""Translation catalogue chores: ``extract``, ``compile``, ``check``.

    python scripts/i18n.py extract   # refresh messages.pot, merge into vi/lo/zh/en, fill en
    python scripts/i18n.py compile   # build the .mo files the app loads
    python scripts/i18n.py check     # fail if any catalogue has an empty or fuzzy entry

English is the source language: its catalogue gets msgstr = msgid, so that it is complete
and a translator can still override wording there.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
TRANSLATIONS = ROOT / "translations"
LOCALES = ("vi", "lo", "zh", "en")
PYBABEL = [sys.executable, "-m", "babel.messages.frontend"]


def _run(*args: str) -> None:
    subprocess.run([*PYBABEL, *args], cwd=ROOT, check=True)


def catalogue_path(locale: str) -> Path:
    return TRANSLATIONS / locale / "LC_MESSAGES" / "messages.po"


def extract() -> None:
    pot = str(TRANSLATIONS / "messages.pot")
    _run("extract", "-F", "babel.cfg", "-k", "L_", "-k", "N_", "--no-location",
         "--sort-output", "--project=coordination", "-o", pot, ".")  # fmt: skip
    _run("update", "-i", pot, "-d", str(TRANSLATIONS), "--no-fuzzy-matching", "--ignore-obsolete")
    fill_english()


def fill_english() -> None:
    path = catalogue_path("en")
    with path.open("rb") as handle:
        catalog = read_po(handle, locale="en")
    for message in catalog:
        if not message.id:
            continue
        if isinstance(message.id, tuple):
            if not all(message.string):
                message.string = tuple(message.id)
        elif not message.string:
            message.string = message.id
        message.flags.discard("fuzzy")
    with path.open("wb") as handle:
        write_po(handle, catalog, omit_header=False, sort_output=True, width=100)


def compile_catalogues() -> None:
    _run("compile", "-d", str(TRANSLATIONS), "--statistics")


def gaps() -> dict[str, list[str]]:
    """Untranslated or fuzzy message ids per locale."""
    found = {}
    for locale in LOCALES:
        with catalogue_path(locale).open("rb") as handle:
            catalog = read_po(handle, locale=locale)
        missing = []
        for message in catalog:
            if not message.id:
                continue
            strings = message.string if isinstance(message.string, tuple) else (message.string,)
            if message.fuzzy or not all(s and s.strip() for s in strings):
                missing.append(message.id if isinstance(message.id, str) else message.id[0])
        found[locale] = missing
    return found


def check() -> int:
    problems = {locale: ids for locale, ids in gaps().items() if ids}
    for locale, ids in problems.items():
        print(f"{locale}: {len(ids)} untranslated or fuzzy", *ids[:20], sep="\n  ")
    return 1 if problems else 0


if __name__ == "__main__":
    command = sys.argv[1] if len(sys.argv) > 1 else ""
    if command == "extract":
        extract()
    elif command == "compile":
        compile_catalogues()
    elif command == "check":
        sys.exit(check())
    else:
        sys.exit(__doc__)
