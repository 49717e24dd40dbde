"""Four complete catalogues, and the interface language chosen as users expect."""

import re

import pytest
from babel.messages.pofile import read_po

from scripts.i18n import LOCALES, catalogue_path, gaps

PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|\{\w+\}")


def test_every_catalogue_is_complete():
    assert gaps() == {locale: [] for locale in LOCALES}


@pytest.mark.parametrize("locale", LOCALES)
def test_translations_keep_their_placeholders(locale):
    with catalogue_path(locale).open("rb") as handle:
        catalog = read_po(handle, locale=locale)
    for message in catalog:
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        expected = set(PLACEHOLDER.findall(ids[-1]))
        for string in strings:
            assert set(PLACEHOLDER.findall(string)) == expected, (locale, message.id)


@pytest.mark.parametrize(
    ("accept_language", "expected"),
    [
        ("lo-LA,lo;q=0.9", "lo"),
        ("zh-CN,zh;q=0.9,en;q=0.8", "zh"),
        ("zh-Hans", "zh"),
        ("en-US,en;q=0.9", "en"),
        ("vi", "vi"),
        ("fr-FR,de;q=0.8", "vi"),  # nothing we speak: the default
        ("", "vi"),
    ],
)
def test_before_sign_in_the_browser_language_is_followed(client, accept_language, expected):
    page = client.get("/login", headers={"Accept-Language": accept_language})
    assert f'<html lang="{expected}">' in page.get_data(as_text=True)


def test_language_chosen_before_sign_in_sticks_to_the_session(client):
    client.post("/locale", data={"locale": "lo", "next": "/login"})
    page = client.get("/login", headers={"Accept-Language": "zh-CN"})
    assert '<html lang="lo">' in page.get_data(as_text=True)


def test_language_choice_sticks_to_the_user(app, client, auth):
    auth.login("qt.liaison")
    client.post("/locale", data={"locale": "zh"})
    auth.logout()
    with client.session_transaction() as session:
        session.clear()
    auth.login("qt.liaison")
    page = client.get("/", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert '<html lang="zh">' in page


def test_unknown_locale_is_refused_and_nothing_changes(app, client, auth):
    auth.login("qt.liaison")
    response = client.post("/locale", data={"locale": "xx"})
    assert response.status_code == 422
    assert "Tiếng Việt, ພາສາລາວ, 中文" in response.get_data(as_text=True)
    from tests.conftest import user_named

    with app.app_context():
        assert user_named("qt.liaison").locale == "vi"


def test_locale_switch_returns_to_the_same_page(client, auth):
    auth.login("qt.liaison")
    response = client.post("/locale", data={"locale": "en", "next": "/directory/gates"})
    assert response.headers["Location"] == "/directory/gates"
    response = client.post("/locale", data={"locale": "en", "next": "https://evil.example/"})
    assert response.headers["Location"] == "/"


def test_every_marked_string_is_in_the_catalogues(tmp_path):
    """Extract the source's strings afresh: none may be missing from the catalogues."""
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    pot = tmp_path / "fresh.pot"
    subprocess.run(  # noqa: S603 - our own interpreter and fixed arguments
        [sys.executable, "-m", "babel.messages.frontend", "--quiet", "extract", "-F", "babel.cfg",
         "-k", "L_", "-k", "N_", "-o", str(pot), "."],
        cwd=root,
        check=True,
    )  # fmt: skip
    with pot.open("rb") as handle:
        wanted = {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(handle) if m.id}
    for locale in LOCALES:
        with catalogue_path(locale).open("rb") as handle:
            have = {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(handle) if m.id}
        assert sorted(wanted - have) == [], locale
