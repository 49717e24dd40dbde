"""A very long name (a partner's whole sentence pasted into the name field) is still read:
the key index is asked in statements small enough for every database."""

from coordination.matching.queries import candidates_for
from tests.conftest import user_named

LONG_CHINESE = "".join(chr(0x4E00 + (i * 37) % 20000) for i in range(200))


def test_a_two_hundred_character_name_gets_an_answer_not_an_error(app_ctx):
    found = candidates_for(user_named("qt.liaison"), {"name_as_written": LONG_CHINESE}, 5)
    assert isinstance(found, list)


def test_a_long_latin_name_of_many_words_gets_an_answer(app_ctx):
    name = " ".join(f"Nguyen{i} Van{i} Tuan{i}" for i in range(60))[:300]
    found = candidates_for(user_named("qt.liaison"), {"name_as_written": name}, 5)
    assert isinstance(found, list)
