"""``flask uploads cleanup``: remove files left behind by crashed or rolled-back uploads."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from coordination.attachments.storage import (
    STALE_AFTER_SECONDS,
    clean_strays,
    find_strays,
    upload_folder,
)

uploads = AppGroup("uploads", help="Stored uploads (scans and photos).")


@uploads.command("cleanup")
@click.option("--dry-run", is_flag=True, help="Only list what would be done.")
@click.option(
    "--older-than",
    type=click.IntRange(min=0),
    default=STALE_AFTER_SECONDS,
    show_default=True,
    help="Seconds after which an unfinished (.part) upload counts as abandoned.",
)
def cleanup(dry_run: bool, older_than: int) -> None:
    """Remove files no document points to, and unfinished uploads older than an hour."""
    strays = find_strays(stale_after=older_than)
    folder = upload_folder()
    for stray in strays:
        verb = {"remove": "would remove" if dry_run else "removed",
                "restore": "would restore" if dry_run else "restored"}[stray.action]  # fmt: skip
        click.echo(f"{verb} {stray.path.relative_to(folder)}: {stray.reason}")
    if not dry_run:
        clean_strays(strays)
    click.echo(
        f"{len(strays)} stray file(s) in {folder}"
        + (" (dry run: nothing changed)" if dry_run else "")
    )
