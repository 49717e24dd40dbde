"""A readable label for a browser's User-Agent ("Firefox on Windows"), for the session list.

A small table of the browsers and systems officers use, not a full parser: an unusual
agent is shown as "Unknown browser". Order matters: Edge and Opera also say "Chrome", and
Chrome also says "Safari".
"""

from __future__ import annotations

import re

from coordination.i18n import _

_BROWSERS = (
    ("coc_coc_browser", "Cốc Cốc"),
    ("SamsungBrowser/", "Samsung Internet"),
    ("UCBrowser/", "UC Browser"),
    ("Edg/", "Edge"),
    ("EdgA/", "Edge"),
    ("EdgiOS/", "Edge"),
    ("OPR/", "Opera"),
    ("Firefox/", "Firefox"),
    ("FxiOS/", "Firefox"),
    ("CriOS/", "Chrome"),
    ("Chromium/", "Chromium"),
    ("Chrome/", "Chrome"),
    ("Safari/", "Safari"),
    ("curl/", "curl"),
)
_SYSTEMS = (
    ("Android", "Android"),
    ("iPhone", "iOS"),
    ("iPad", "iPadOS"),
    ("CrOS", "ChromeOS"),
    ("Windows", "Windows"),
    ("Macintosh", "macOS"),
    ("Mac OS X", "macOS"),
    ("Linux", "Linux"),
)
_VERSION = re.compile(r"/(\d+)")


def _browser(agent: str) -> str | None:
    for marker, name in _BROWSERS:
        position = agent.find(marker)
        if position >= 0:
            version = _VERSION.match(agent, position + len(marker) - 1)
            if name == "Safari":  # Safari's own version is in "Version/17.4"
                version = re.search(r"Version/(\d+)", agent)
            return f"{name} {version.group(1)}" if version else name
    return None


def _system(agent: str) -> str | None:
    for marker, name in _SYSTEMS:
        if marker in agent:
            return name
    return None


def device_label(agent: str | None) -> str:
    """ "Firefox 128 on Windows", "Chrome 126", "Android" or "Unknown browser"."""
    agent = agent or ""
    browser, system = _browser(agent), _system(agent)
    if browser and system:
        return _("%(browser)s on %(system)s", browser=browser, system=system)
    return browser or system or _("Unknown browser")
