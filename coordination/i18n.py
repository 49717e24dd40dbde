"""Translation functions, supported locales and time zones, and their selection.

Import ``_`` (immediate) and ``L_`` (lazy, for module-level strings) from here only.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from flask import current_app, g, has_request_context, request, session
from flask_babel import (
    get_translations,
    ngettext,  # noqa: F401 - re-exported
)
from flask_babel import gettext as _  # noqa: F401 - re-exported
from flask_babel import lazy_gettext as L_  # noqa: N812 - the conventional name
from flask_babel import refresh as refresh_locale  # noqa: F401 - re-exported
from flask_login import current_user


def N_(text: str) -> str:  # noqa: N802 - the conventional name
    """Mark ``text`` for the catalogues without translating it here (it is translated later)."""
    return text


# Locale code -> the language's own name (an endonym is never translated).
LOCALES = {
    "vi": "Tiếng Việt",
    "lo": "ພາສາລາວ",
    "zh": "中文",
    "en": "English",
}
TIMEZONES = ("Asia/Ho_Chi_Minh", "Asia/Vientiane", "Asia/Shanghai")


_ZONE_NAMES = {
    "Asia/Ho_Chi_Minh": L_("Vietnam time"),
    "Asia/Vientiane": L_("Laos time"),
    "Asia/Shanghai": L_("China time"),
}


def utc_offset(tz: str, moment: datetime | None = None) -> str:
    """ "UTC+7", "UTC+5:30": the zone's offset now (or at ``moment``)."""
    try:
        offset = (moment or datetime.now(UTC)).astimezone(ZoneInfo(tz)).utcoffset()
    except (ZoneInfoNotFoundError, ValueError, TypeError):
        return ""
    minutes = int(offset.total_seconds() // 60) if offset is not None else 0
    sign = "+" if minutes >= 0 else "-"
    hours, rest = divmod(abs(minutes), 60)
    return f"UTC{sign}{hours}" + (f":{rest:02d}" if rest else "")


def timezone_label(tz: str, moment: datetime | None = None) -> str:
    """ "Giờ Việt Nam (UTC+7)": what a reader calls the zone, and its offset (now, or at
    ``moment``); never the IANA name, which means nothing to an officer."""
    name = _ZONE_NAMES.get(tz)
    offset = utc_offset(tz, moment)
    if name is None:
        return offset or tz
    return f"{name} ({offset})" if offset else str(name)


def _user_value(attribute: str) -> str | None:
    if has_request_context():
        user = g.get("api_user") or (current_user if current_user.is_authenticated else None)
        if user is not None:
            return getattr(user, attribute, None)
    return None


def select_locale() -> str:
    """The user's stored choice, else the session's, else the browser's, else the default."""
    default = current_app.config["DEFAULT_LOCALE"]
    if not has_request_context():
        return default
    for choice in (_user_value("locale"), session.get("locale")):
        if choice in LOCALES:
            return choice
    # Browsers send zh-CN, zh-Hans, lo-LA: match on the language part.
    best = request.accept_languages.best_match(list(LOCALES))
    if best:
        return best
    for language, _quality in request.accept_languages:
        primary = language.split("-")[0].split("_")[0].lower()
        if primary in LOCALES:
            return primary
    return default


def select_timezone() -> str:
    choice = _user_value("timezone")
    return choice if choice in TIMEZONES else current_app.config["DEFAULT_TIMEZONE"]


def local_today() -> date:
    """Today on the user's wall clock. The host runs on UTC: at 00:30 in Hanoi its date
    is still yesterday, and a date typed as today would read as the future."""
    return datetime.now(ZoneInfo(select_timezone())).date()


def current_translations():
    """Flask-Babel's translations for the current locale, looked up once per locale and
    request rather than once per string: a list page translates some 240 strings, and each
    of Flask-Babel's lookups walks its context twice (about 2 ms a page). ``force_locale``
    sets a new locale object, so a forced locale gets its own translations. It reads
    Flask-Babel's per-request namespace (g._flask_babel, pinned version): should that change,
    the AttributeError path simply asks Flask-Babel each time, as before."""
    try:
        context = g._flask_babel
        locale = context.babel_locale
    except (AttributeError, RuntimeError):  # no locale chosen yet, or no app context
        return get_translations()
    if locale is None:
        return get_translations()
    kept = getattr(context, "kept_translations", None)
    if kept is not None and kept[0] is locale:
        return kept[1]
    translations = get_translations()
    context.kept_translations = (locale, translations)
    return translations


def install_template_gettext(app) -> None:
    """Templates translate through current_translations (Jinja's newstyle gettext still
    escapes and formats)."""
    app.jinja_env.install_gettext_callables(
        gettext=lambda text: current_translations().ugettext(text),
        ngettext=lambda singular, plural, n: current_translations().ungettext(singular, plural, n),
        newstyle=True,
        pgettext=lambda context, text: current_translations().upgettext(context, text),
        npgettext=lambda context, singular, plural, n: current_translations().unpgettext(
            context, singular, plural, n
        ),
    )
