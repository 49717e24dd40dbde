"""How values read to officers of three countries: zones, countries, dates, review marks."""

import re
from datetime import UTC, date, datetime

from flask_babel import force_locale

from coordination.core.formatting import country_name, date_text, datetime_text, moment_text
from coordination.extensions import db
from coordination.i18n import timezone_label
from tests.conftest import translated
from tests.exchange.helpers import make_case

IANA = re.compile(r"Asia/(Ho_Chi_Minh|Vientiane|Shanghai)")


def visible_text(page: str) -> str:
    """What a reader sees: the page without its tags (option values are not shown)."""
    return re.sub(r"<[^>]+>", " ", page)


def test_zones_read_as_a_country_time_and_offset_never_an_iana_name(app):
    with app.test_request_context(), force_locale("vi"):
        assert timezone_label("Asia/Ho_Chi_Minh") == (
            translated(app, "vi", "Vietnam time") + " (UTC+7)"
        )
        assert timezone_label("Asia/Shanghai").endswith("(UTC+8)")
        assert not IANA.search(timezone_label("Asia/Vientiane"))


def test_the_dashboard_and_account_pages_show_no_iana_zone_and_no_nested_brackets(
    app, client, auth
):
    auth.login("svk.liaison")  # a Lao officer
    for url in ("/", "/account"):
        page = visible_text(client.get(url).get_data(as_text=True))
        assert not IANA.search(page), url
        assert "))" not in page, url
    page = client.get("/").get_data(as_text=True)
    assert translated(app, "lo", "Laos time") + " (UTC+7)" in page


def test_dates_have_four_digit_years_and_times_no_seconds_in_every_language(app):
    moment = datetime(2026, 1, 2, 1, 5, 59, tzinfo=UTC)
    for locale in ("vi", "lo", "zh", "en"):
        with app.test_request_context(), force_locale(locale):
            for format in ("short", "medium"):
                assert "2026" in date_text(date(2026, 1, 2), format), locale
                text = datetime_text(moment, format)
                assert "2026" in text and ":59" not in text and ":05" in text, (locale, text)


def test_a_moment_reads_in_the_zone_asked_for():
    from zoneinfo import ZoneInfo

    moment = datetime(2026, 12, 4, 16, 30, tzinfo=UTC)
    assert "23:30" in moment_text(moment, "vi", ZoneInfo("Asia/Ho_Chi_Minh"))
    assert "00:30" in moment_text(moment, "zh", ZoneInfo("Asia/Shanghai"))
    assert "2026年12月5日" in moment_text(moment, "zh", ZoneInfo("Asia/Shanghai"))


def test_countries_read_by_name_in_the_interface_language(app):
    with app.test_request_context():
        for locale, laos in (("vi", "Lào"), ("lo", "ລາວ"), ("zh", "老挝"), ("en", "Laos")):
            with force_locale(locale):
                assert country_name("LA") == laos
        with force_locale("vi"):
            assert country_name("KH") == "Campuchia"
            assert country_name("ZZZ") == "ZZZ"  # unknown: as stored, never an error
            assert country_name(None) == ""


def test_a_persons_nationality_shows_as_a_country_name(app, client, auth):
    with app.app_context():
        _case, victim, _relative = make_case()
        victim.nationality = "LA"
        db.session.commit()
        victim_id = victim.id
    auth.login("qt.liaison")  # Vietnamese interface
    page = client.get(f"/cases/people/{victim_id}").get_data(as_text=True)
    assert "<dd>Lào</dd>" in page
    form = client.get(f"/cases/people/{victim_id}/edit").get_data(as_text=True)
    assert '<option value="KH"' in form and "Campuchia" in form


def test_review_marks_are_for_those_who_can_correct_names_and_are_explained(app, client, auth):
    mark = translated(app, "vi", "names to check")
    auth.login("qt.liaison")
    for url in ("/directory/", "/directory/gates"):
        assert mark not in client.get(url).get_data(as_text=True), url
    auth.logout()
    auth.login("admin")
    admin_locale = "en"  # the demo administrator reads English
    for url in ("/directory/", "/directory/gates"):
        page = client.get(url).get_data(as_text=True)
        assert translated(app, admin_locale, "names to check") in page, url
        assert translated(app, admin_locale, "A native reader has checked these names")[:20] in (
            page
        ), url


def test_the_dashboards_recent_activity_reads_as_sentences_not_codes(app, client, auth):
    auth.login("admin")  # reads English; the sign-in itself is the latest entry
    page = client.get("/").get_data(as_text=True)
    assert "auth.login" not in page
    assert "signed in." in page
