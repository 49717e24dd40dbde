"""Laos and China from the data files in coordination/directory/data (see its README)."""

from __future__ import annotations

from coordination.directory.gazetteer.units import LOCALES, Unit, read_table

FILES = {"LA": "laos.tsv", "CN": "china.tsv"}


def file_units(country: str) -> list[Unit]:
    return [
        Unit(
            country,
            row["code"],
            row["kind"],
            row["parent"] or None,
            {locale: row[f"name_{locale}"] for locale in LOCALES},
            reviewed=row["reviewed"] == "yes",
        )
        for row in read_table(FILES[country])
    ]
