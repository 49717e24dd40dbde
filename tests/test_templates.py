"""Templates keep to the Content-Security-Policy the app sends (style-src 'self',
script-src 'self'): an inline <style>, style="…" or <script> body is silently ignored by the
browser, as the meetings' and the caseload's styles were."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent / "coordination"
INLINE = re.compile(r"<style\b|\sstyle=|<script\b(?![^>]*\bsrc=)", re.IGNORECASE)


def test_no_template_relies_on_inline_styles_or_scripts():
    found = [
        f"{path.relative_to(ROOT)}:{number}"
        for path in sorted(ROOT.rglob("templates/**/*.html"))
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if INLINE.search(line)
    ]
    assert found == []
