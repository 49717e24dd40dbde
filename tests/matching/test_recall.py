"""Issue 11, part 7: what cost the first place, one test per cause (each failed before)."""

from __future__ import annotations

from datetime import date

from coordination.extensions import db
from coordination.matching.names import similarity
from coordination.matching.queries import candidates_for
from tests.conftest import translated, user_named
from tests.matching.helpers import lao_request, register


def first_names(shared: dict, username: str = "qt.liaison") -> list[str]:
    return [c.record.name_as_written for c in candidates_for(user_named(username), shared)]


def test_namesakes_with_equal_scores_are_equally_likely_and_the_closest_birth_year_first(
    app, client, auth
):
    with app.app_context():
        # Entered first (the lower id): born 2002; the partner's age says 2000.
        register("ls.liaison", "Nguyễn Thị Hương", born=date(2002, 3, 1))
        register("ls.liaison", "Nguyễn Thị Hương", born=date(2000, 3, 1))
        age = date.today().year - 2000
        shared = {"name_as_written": "Nguyễn Thị Hương", "estimated_age": age, "sex": "female"}
        found = candidates_for(user_named("qt.liaison"), shared)
        assert [c.record.date_of_birth.year for c in found] == [2000, 2002]
        assert found[0].score == found[1].score and found[0].tied and found[1].tied
        request = lao_request([{"name_as_written": "Nguyễn Thị Hương", "estimated_age": age}])
        db.session.commit()
        request_id, shared_id = request.id, request.people[0].id
        badge = translated(app, "vi", "equally likely")
    auth.login("qt.liaison")  # a Vietnamese user
    page = client.get(f"/verification/{shared_id}").get_data(as_text=True)
    section = page.split('class="card candidates"')[1]
    assert section.count(f'<span class="badge tie">{badge}</span>') == 2
    assert section.index("2000") < section.index("2002")
    page = client.get(f"/requests/{request_id}").get_data(as_text=True)
    assert page.split('class="candidates"')[1].count(f'<span class="badge tie">{badge}</span>') == 2


def test_different_scores_are_not_called_equally_likely(app_ctx):
    register("ls.liaison", "Nguyễn Thị Hương", born=date(2000, 3, 1))
    register("ls.liaison", "Trần Thị Hương", born=date(2000, 3, 1))
    found = candidates_for(user_named("qt.liaison"), {"name_as_written": "Nguyễn Thị Hương"})
    assert found[0].record.name_as_written == "Nguyễn Thị Hương"
    assert not found[0].tied


def test_a_lao_rendering_is_scored_by_sound_as_retrieval_reads_it(app_ctx):
    # ໂຮ ທິ ເຈິມ reads back "ho thi cheim": Hồ Thị Trâm to a Lao ear (tr is ch, â is ເ-ິ).
    assert similarity("ໂຮ ທິ ເຈິມ", "Hồ Thị Trâm") == 100
    register("ls.liaison", "Hồ Thị Tâm", born=date(2000, 1, 1))
    register("ls.liaison", "Hồ Thị Trâm", born=date(2000, 1, 1))
    assert first_names({"name_as_written": "ໂຮ ທິ ເຈິມ"})[0] == "Hồ Thị Trâm"


def test_the_family_name_and_the_given_name_keep_their_places(app_ctx):
    assert similarity("Mai Thị Vân", "Mai Thị Vân") > similarity("Mai Thị Vân", "Vân Thị Mai")
    register("ls.liaison", "Mai Văn Hoàng", sex="male", born=date(1999, 1, 1))
    register("ls.liaison", "Hoàng Văn Mai", sex="male", born=date(1999, 1, 1))
    found = candidates_for(user_named("qt.liaison"), {"name_as_written": "Hoàng Văn Mai"})
    assert [c.record.name_as_written for c in found][:2] == ["Hoàng Văn Mai", "Mai Văn Hoàng"]
    assert round(found[0].score) > round(found[1].score)  # not a tie
    # Given name first is still read (a Lao form, a partner's habit).
    assert first_names({"name_as_written": "Mai Hoang Van"})[0] == "Hoàng Văn Mai"


def test_two_words_typed_together_still_find_the_nearest_names(app_ctx):
    register("ls.liaison", "Nguyễn Văn Tuấn", sex="male")
    register("ls.liaison", "Trần Thị Lan")
    for written in ("Nguyen VanmTuan", "NguyenVan Tuan", "Nguyen VanTuan"):
        assert first_names({"name_as_written": written})[:1] == ["Nguyễn Văn Tuấn"], written


def test_pinyin_of_common_name_syllables_reads_back(app_ctx):
    register("ls.liaison", "Nguyễn Thị Duyên")
    register("ls.liaison", "Nguyễn Thị Nguyệt")
    register("ls.liaison", "Lò Văn Lăng", sex="male")
    register("ls.liaison", "Vũ Thị Lan")
    for written, meant in (
        ("Ruan Shiyuan", "Nguyễn Thị Duyên"),  # yuan: Duyên
        ("Lu Wen Ling", "Lò Văn Lăng"),  # lu: Lò, ling: Lăng
        ("Yu Shilan", "Vũ Thị Lan"),  # yu: Vũ (宇)
    ):
        found = candidates_for(user_named("qt.liaison"), {"name_as_written": written})
        assert found[0].record.name_as_written == meant, written
        assert found[0].name_score == 100
