"""Templates translate through translations kept per request and locale (i18n.current_
translations): a forced locale (a document or an e-mail in the reader's language) must be
honoured inside the block and the page's own language restored after it."""

from __future__ import annotations

from flask import render_template_string
from flask_babel import force_locale

from tests.conftest import translated, translated_plural

PAGE = "{{ _('Cancelled') }}|{{ ngettext('%(num)d person', '%(num)d people', 3) }}"


def test_a_forced_locale_is_honoured_and_the_pages_own_restored(app):
    with app.test_request_context(headers={"Accept-Language": "vi"}):
        before = render_template_string(PAGE)
        with force_locale("zh"):
            chinese = render_template_string(PAGE)
            with force_locale("lo"):
                lao = render_template_string(PAGE)
            chinese_again = render_template_string(PAGE)
        after = render_template_string(PAGE)

    def expected(locale):
        people = translated_plural(app, locale, "%(num)d person", "%(num)d people", 3)
        return f"{translated(app, locale, 'Cancelled')}|{people}"

    assert before == after == expected("vi")
    assert chinese == chinese_again == expected("zh")
    assert lao == expected("lo")
    assert len({before, chinese, lao}) == 3
