"""The people search: one word, part of a name or a whole name, in any script.

Officers look people up by a family name, a given name or part of one ("Nguyễn", "Huong",
"ເຮືອງ", "香", "Nguy"). Each word of a name is kept in the name index (``name_keys``, the
table the identity matcher uses, under prefixes of its own) three ways:

- ``w:`` the word as written: Latin folded (Nguyễn → nguyen), a Lao word as it is, each
  Chinese character alone;
- ``f:`` each reading of it in Latin letters (names.comparable_forms: ເຮືອງ → huong,
  香 → huong and xiang), y as i;
- ``r:`` each reading as it sounds, coarsely (sounds.sound_code: huong, hung → huG).

A word of the query meets a record's word at the best of four levels: the same word as
written (4), the same reading (3), the same sound (2), or part of a word (1: the start of
a word in the index, or a substring of the names through the trigram index of
``search_text``, core.search). Part of a word is looked for when the word typed is no
whole Vietnamese syllable ("Nguy", "Huo") or is Lao (no syllable list to say so).

The ranking rule, stated on the page:

1. every word of the query found, as written > through a reading > by sound > in part;
2. then the records sharing more of the words (for a longer query);
3. then the records the identity matcher finds alike as a whole name (a spelling slip,
   "Nguyen Thi Huonh"; queries of two words or more, as the search did before);
4. then the sum of the levels, the name (its folded form), the kind and the id.

Every step is an indexed lookup (the key index of ``name_keys``, the trigram index), and
counting, ordering and the page are done by the database: no register is read in Python.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from sqlalchemy import (
    Integer,
    and_,
    bindparam,
    case,
    func,
    literal_column,
    select,
    text,
    true,
    union_all,
)
from sqlalchemy.orm import selectinload

from coordination.cases.models import Case, MissingPersonReport, Person
from coordination.cases.queries import visible_cases, visible_missing_reports
from coordination.core.features import registry
from coordination.core.text import search_key
from coordination.extensions import db
from coordination.i18n import L_
from coordination.matching import queries
from coordination.matching.models import NameKey
from coordination.matching.names import (
    comparable_forms,
    fold,
    reading_options,
    romanise,
    script_of,
    sound_key,
)
from coordination.matching.sounds import sound_code

PAGE_SIZE = 20
MAX_PAGE = 100_000  # keeps OFFSET inside every database's integer range
MAX_WORDS = 8  # words of a query searched (a name has fewer; the rest is said to be left out)
KEY_LENGTH = 80  # name_keys.key
MIN_SUBSTRING = 3  # trigram indexes need three characters
MODELS = {"person": Person, "missing": MissingPersonReport}

EXACT, WRITTEN, READING, SOUND, PART = 5, 4, 3, 2, 1
LEVEL_LABELS = {
    EXACT: L_("written the same"),
    WRITTEN: L_("the same letters, other marks"),
    READING: L_("read as %(reading)s"),
    SOUND: L_("sounds alike"),
    PART: L_("part of the name"),
}


def _key(prefix: str, word: str) -> str:
    return (prefix + word)[:KEY_LENGTH]


def written_words(name: str | None) -> list[str]:
    """The words of a name as written: Latin (and any other alphabet) folded, a Lao word
    as it is, each Chinese character on its own (a syllable: 阮氏香 is three words)."""
    words: list[str] = []
    run, run_script = "", ""

    def close():
        if run_script == "lao":
            words.append(run)
        elif run_script == "han":
            words.extend(run)
        elif run:
            words.extend(fold(run).split())

    for character in name or "":
        script = script_of(character)
        if script == "space" or (script == "other" and not character.isalnum()):
            close()
            run, run_script = "", ""
            continue
        script = script if script in ("lao", "han") else "latin"
        if script != run_script:
            close()
            run, run_script = "", script
        run += character
    close()
    return list(dict.fromkeys(word for word in words if word))


def _exact(word: str) -> str:
    """A Latin word as written, in lower case, its marks kept: Nguyễn is neither Nguyên nor
    Nguyen (each of them is the same letters, other marks)."""
    return unicodedata.normalize("NFC", word).casefold()


def _exact_words(name: str) -> list[str]:
    return [
        _exact(word)
        for word in re.findall(r"\w+", unicodedata.normalize("NFC", name))
        if all(script_of(character) == "latin" for character in word)
    ]


def _readings(text: str) -> list[str]:
    """Readings in Latin letters of one word or name (folded, y as i), best first."""
    found = [sound_key(word) for form in comparable_forms(text).forms for word in form.split()]
    for slot in reading_options(text) or ():
        found.extend(slot)
    return list(dict.fromkeys(word for word in found if word))


def _sounds(text: str) -> list[str]:
    found = [sound_code(word) for form in comparable_forms(text).forms for word in form.split()]
    for slot in reading_options(text) or ():
        found.extend(sound_code(reading) for reading in slot)
    return list(dict.fromkeys(code for code in found if code))


def search_keys(*names: str | None) -> set[str]:
    """The keys of each word of these names (the name as written and as romanised), stored
    beside the matcher's keys by operations.index_name."""
    keys: set[str] = set()
    for name in names:
        if not name:
            continue
        keys.update(_key("w:", word) for word in written_words(name))
        keys.update(_key("e:", word) for word in _exact_words(name))
        keys.update(_key("f:", reading) for reading in _readings(name))
        keys.update(_key("r:", code) for code in _sounds(name))
    return keys


@dataclass
class QueryWord:
    """One word of the query and the keys it is looked up by."""

    text: str  # as typed (a Chinese character, a Lao word, a Latin word)
    written: str  # its w: key
    exact: str  # its e: key (a Latin word with its marks), or its w: key (Lao, Chinese)
    readings: list[str]  # its f: keys, best first
    sounds: list[str]  # its r: keys
    prefixes: list[str] = field(default_factory=list)  # w:/f: key starts (part of a word)
    substring: str = ""  # search_key() form, looked for inside the names
    partial: bool = False  # looked for as part of a name (no name has it as a whole word)

    @property
    def read_as(self) -> list[str]:
        """The readings worth telling the user: none when the word was read as itself."""
        readings = [key[2:] for key in self.readings]
        return [] if readings == [sound_key(fold(self.text))] else readings


def read_query(text: str) -> tuple[list[QueryWord], bool]:
    """The words of a query and their keys; True if words beyond MAX_WORDS were left out."""
    words = written_words(text)
    typed = _typed_words(text)
    # Latin words are read as pinyin only when the whole query is pinyin ("Ruan Shixiang"),
    # as names.comparable_forms reads a whole name: "Le Thi Lan" is no pinyin, "Lan" may be.
    pinyin = reading_options(text) is not None
    found = []
    for word in words[:MAX_WORDS]:
        shown = typed.get(word, word)
        script = script_of(word[0])
        if script in ("lao", "han") or pinyin:
            readings, sounds = _readings(shown), _sounds(shown)
        else:
            readings, sounds = [sound_key(word)], [sound_code(word)]
        # A Lao word or a Chinese character is kept as written: its w: key is exact.
        exact = _key("e:", _exact(shown)) if script == "latin" else _key("w:", word)
        query_word = QueryWord(
            text=shown,
            written=_key("w:", word),
            exact=exact,
            readings=[_key("f:", reading) for reading in readings],
            sounds=[_key("r:", code) for code in sounds],
        )
        # Part of a word: the start of a word in the index, or inside the names. A Chinese
        # character is a whole syllable.
        if script == "latin":
            query_word.prefixes = [_key("w:", word), _key("f:", sound_key(word))]
        elif script == "lao":
            query_word.prefixes = [_key("w:", word)]
        if script != "han" and len(search_key(shown)) >= MIN_SUBSTRING:
            query_word.substring = search_key(shown)
        found.append(query_word)
    return found, len(words) > MAX_WORDS


def _typed_words(text: str) -> dict[str, str]:
    """Folded word → the word as the user typed it (Nguyễn, not nguyen), for display."""
    typed = {}
    for chunk in text.split():
        for word in written_words(chunk):
            typed.setdefault(word, chunk if written_words(chunk) == [word] else word)
    return typed


# --- the SQL --------------------------------------------------------------------------


def _successor(prefix: str) -> str:
    """The smallest string after every string starting with ``prefix``."""
    return prefix[:-1] + chr(ord(prefix[-1]) + 1)


def _constant(value) -> object:
    """A constant column: an int, or one of our own fixed words (never user input)."""
    if isinstance(value, int):
        return literal_column(str(int(value)), Integer)
    assert value in MODELS, value
    return literal_column(f"'{value}'")


def _contains(model, key: str, name: str):
    """``model.search_text`` contains ``key`` through its trigram index (core.search does
    the same for one key per statement; here each word has its own parameter)."""
    if db.session.get_bind().dialect.name == "sqlite":
        table = registry().search_tables[model.__tablename__]
        phrase = bindparam(name, '"' + key.replace('"', '""') + '"')
        matches = (
            select(literal_column("rowid"))
            .select_from(text(table))
            .where(text(f"{table} MATCH :{name}").bindparams(phrase))
        )
        return model.id.in_(matches)
    return model.search_text.contains(key, autoescape=True)


def _hits(words: list[QueryWord], similar: list[tuple[str, int]]):
    """(kind, record_id, word, level) for every word of every record it meets."""
    parts = []
    for index, word in enumerate(words):
        whole = [word.exact, word.written, *word.readings, *word.sounds]
        level = case(
            (NameKey.key == word.exact, EXACT),
            (NameKey.key == word.written, WRITTEN),
            (NameKey.key.in_(word.readings or [""]), READING),
            else_=SOUND,
        )
        parts.append(
            select(
                NameKey.record_kind.label("kind"),
                NameKey.record_id.label("record_id"),
                _constant(index).label("word"),
                level.label("level"),
            ).where(NameKey.key.in_(whole))
        )
        for prefix in word.prefixes if word.partial else ():
            parts.append(
                select(NameKey.record_kind, NameKey.record_id, _constant(index), _constant(PART))
                .where(
                    NameKey.key >= prefix,
                    NameKey.key < _successor(prefix),
                    NameKey.key.startswith(prefix, autoescape=True),
                )
            )  # fmt: skip
        if word.partial and word.substring:
            for kind, model in MODELS.items():
                condition = _contains(model, word.substring, f"part_{index}_{kind}")
                parts.append(
                    select(_constant(kind), model.id, _constant(index), _constant(PART))
                    .where(condition)
                )  # fmt: skip
    for kind in MODELS:
        ids = [record_id for each, record_id in similar if each == kind]
        if ids:
            model = MODELS[kind]
            parts.append(
                select(_constant(kind), model.id, _constant(-1), _constant(0))
                .where(model.id.in_(ids))
            )  # fmt: skip
    return union_all(*parts).subquery("hits")


def _visibility(user) -> dict[str, object]:
    """Record kind → the condition on its table that ``user`` may see the row (the people
    of the cases of their office, their country's register: cases/queries.py)."""
    reports = visible_missing_reports(user).whereclause
    return {
        "person": Person.case_id.in_(visible_cases(user).with_only_columns(Case.id)),
        "missing": reports if reports is not None else true(),
    }


def _named_so(word: QueryWord, visible: dict[str, object]) -> bool:
    """Whether a record the user may see has ``word`` as a whole word as written."""
    for kind, model in MODELS.items():
        query = (
            select(NameKey.record_id)
            .join(model, model.id == NameKey.record_id)
            .where(NameKey.key == word.written, NameKey.record_kind == kind, visible[kind])
            .limit(1)
        )
        if db.session.scalar(query) is not None:
            return True
    return False


def _ranked(words: list[QueryWord], similar: list[tuple[str, int]], visible: dict):
    """The visible records met, with what ranks them (a subquery)."""
    hits = _hits(words, similar)
    per_word = (
        select(hits.c.kind, hits.c.record_id, hits.c.word, func.max(hits.c.level).label("level"))
        .group_by(hits.c.kind, hits.c.record_id, hits.c.word)
        .subquery("per_word")
    )
    counted = case((per_word.c.word >= 0, 1), else_=0)
    found = (
        select(
            per_word.c.kind,
            per_word.c.record_id,
            func.sum(counted).label("matched"),
            func.min(case((per_word.c.word >= 0, per_word.c.level), else_=WRITTEN)).label(
                "weakest"
            ),
            func.sum(per_word.c.level).label("total"),
            func.max(1 - counted).label("similar"),
        )
        .group_by(per_word.c.kind, per_word.c.record_id)
        .cte("found")
    )
    tier = case((found.c.matched == len(words), found.c.weakest), else_=0)
    columns = (found.c.kind, found.c.record_id, tier.label("tier"), found.c.matched,
               found.c.similar, found.c.total)  # fmt: skip
    people = (
        select(*columns, Person.search_text.label("name"))
        .join(Person, and_(found.c.kind == "person", Person.id == found.c.record_id))
        .where(visible["person"])
    )
    missing = (
        select(*columns, MissingPersonReport.search_text.label("name"))
        .join(
            MissingPersonReport,
            and_(found.c.kind == "missing", MissingPersonReport.id == found.c.record_id),
        )
        .where(visible["missing"])
    )
    return union_all(people, missing).subquery("ranked")


# --- the answer -------------------------------------------------------------------------


@dataclass
class Found:
    """One person or register entry found, and why."""

    record_kind: str
    record: object
    reasons: list[tuple[str, str]]  # (the word searched, how it met this name)
    similar: bool = False

    @property
    def latin(self) -> str | None:
        """The name in Latin letters, to show beside one in Lao or Chinese script."""
        return self.record.name_romanised or romanise(self.record.name_as_written)


@dataclass
class SearchPage:
    text: str
    words: list[QueryWord]
    found: list[Found]
    total: int
    page: int
    per_page: int = PAGE_SIZE
    words_left_out: bool = False
    complete: int = 0  # records with every word of the query (the first ones)

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))

    @property
    def past_the_end(self) -> bool:
        return self.page > self.pages

    @property
    def has_prev(self) -> bool:
        return 1 < self.page <= self.pages + 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    @property
    def prev_num(self) -> int:
        return min(self.page - 1, self.pages)

    @property
    def next_num(self) -> int:
        return self.page + 1

    @property
    def read_as(self) -> list[str]:
        """How the words were read, where that is not simply the word without its marks."""
        return list(dict.fromkeys(r for word in self.words for r in word.read_as))

    @property
    def shown(self) -> list[list]:
        return [[each.record_kind, each.record.id] for each in self.found]


def _similar_names(user, text: str, words: list[QueryWord]) -> list[tuple[str, int]]:
    """Records the identity matcher finds alike as a whole name (the search before this
    one): spelling slips, merged words. Only for names of two words or more."""
    if len(words) < 2:
        return []
    return [(each.record_kind, each.record.id) for each in queries.search_people(user, text)]


def find_people(user, text: str, page: int = 1, per_page: int = PAGE_SIZE) -> SearchPage:
    """The page ``page`` of the people and register entries ``user`` may see whose names
    meet ``text``, ranked (see the module's docstring)."""
    words, left_out = read_query(text)
    answer = SearchPage(text, words, [], 0, page, per_page, left_out)
    if not words:
        return answer
    visible = _visibility(user)
    for word in words:  # part of a name, when no name the user may see has the whole word
        word.partial = bool(word.prefixes or word.substring) and not _named_so(word, visible)
    # The matcher is asked about the words searched, each once (its keys grow with the name).
    asked = " ".join(word.text for word in words)
    similar = _similar_names(user, asked, words)
    ranked = _ranked(words, similar, visible)
    order = (ranked.c.tier.desc(), ranked.c.matched.desc(), ranked.c.similar.desc(),
             ranked.c.total.desc(), ranked.c.name, ranked.c.kind, ranked.c.record_id)  # fmt: skip
    statement = (
        select(
            ranked.c.kind,
            ranked.c.record_id,
            ranked.c.similar,
            func.count().over(),
            func.sum(case((ranked.c.tier > 0, 1), else_=0)).over(),
        )
        .order_by(*order)
        .limit(per_page)
        .offset((min(max(page, 1), MAX_PAGE) - 1) * per_page)
    )
    rows = db.session.execute(statement).all()
    if rows:
        answer.total, answer.complete = rows[0][3], rows[0][4]
    elif page > 1:
        answer.total = db.session.scalar(select(func.count()).select_from(ranked))
    answer.found = _load(rows, words)
    return answer


def _load(rows, words: list[QueryWord]) -> list[Found]:
    records = {}
    for kind, model in MODELS.items():
        ids = [record_id for each, record_id, *_rest in rows if each == kind]
        if ids:
            query = select(model).where(model.id.in_(ids))
            if model is Person:
                query = query.options(selectinload(Person.case))
            else:
                query = query.options(selectinload(MissingPersonReport.office))
            records.update(((kind, found.id), found) for found in db.session.scalars(query))
    found = []
    for kind, record_id, similar, *_counts in rows:
        record = records[kind, record_id]
        found.append(Found(kind, record, reasons(words, record), bool(similar)))
    return found


def reasons(words: list[QueryWord], record) -> list[tuple[str, str]]:
    """How each word of the query met this record's names (from the record's own keys,
    computed again: no lookup), the words it did not meet left out."""
    names = (record.name_as_written, record.name_romanised)
    keys = search_keys(*names)
    folded = search_key(*names)
    found = []
    for word in words:
        if word.exact in keys:
            found.append((word.text, str(LEVEL_LABELS[EXACT])))
        elif word.written in keys:
            found.append((word.text, str(LEVEL_LABELS[WRITTEN])))
        elif reading := next((key for key in word.readings if key in keys), None):
            found.append((word.text, LEVEL_LABELS[READING] % {"reading": reading[2:]}))
        elif any(key in keys for key in word.sounds):
            found.append((word.text, str(LEVEL_LABELS[SOUND])))
        elif word.partial and (
            any(key.startswith(tuple(word.prefixes)) for key in keys if word.prefixes)
            or (word.substring and word.substring in folded)
        ):
            found.append((word.text, str(LEVEL_LABELS[PART])))
    return found
