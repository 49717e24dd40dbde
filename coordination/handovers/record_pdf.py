"""The handover record (biên bản bàn giao / tiếp nhận) as a PDF, from its stored snapshot.

``render_handover_record(snapshot)`` is a pure function of the snapshot: no database, no
request, no gettext, no clock. Everything printed comes from the snapshot, translated
labels included (``snapshot["labels"][key][language]``), so a record prints the same
today and in ten years, and the same snapshot always gives the same bytes (ReportLab's
invariant mode: fixed creation date and document ID).

The snapshot (``format: 1``; tests/handovers/sample_record.json is the contract):

* ``languages``: the label languages, Vietnamese first, then the partner's ("lo" or
  "zh"), maybe a third. Every label is printed in each of them, first language first.
* ``number``, ``version``, ``supersedes`` (the number of the record this one corrects, or
  ``{"number": …, "version": …}``), ``request_reference``.
* ``gate.names`` and each side's ``office.names``: ``{language: name}``, printed in each
  label language.
* ``scheduled_at``, ``completed_at``: ISO 8601 instants (UTC); each side's column shows
  them in that side's ``time_zone``, formatted with Babel for each label language.
* ``timing`` (optional; records issued before it have none): the completion against the
  scheduled time (handovers.timing): ``mark`` ("early", "late", "on_time"), ``minutes``
  (negative: early) and ``text``, ``{language: sentence}`` as translated at issue.
* ``handing_over`` / ``receiving``: ``office``, ``time_zone``, ``unit``, ``officers``
  (``name``, ``romanised``, ``rank``); ``interpreter`` (``name``, ``romanised``),
  ``witnesses`` (``name``, ``romanised``, ``role``), ``transport``.
* ``people``: the people handed over, in order (``name_as_written``, ``name_romanised``
  (given, or read from a Lao or Chinese name when the record was issued),
  ``sex``, ``date_of_birth`` or ``estimated_age``, ``identity_checked``, ``health``,
  ``belongings``, ``documents``, ``victim_file_received``, ``return_certificate_number``,
  ``referral`` (a code: label ``referral_<code>``), ``referral_detail``, and optionally
  ``referral_office`` (``code``, ``names``: the centre or shelter referred to)), and
  optionally ``our_names`` (``name``, ``romanised``, ``offices``: our records confirmed
  as the person, printed on our side's copy only, see ``render_handover_record``).
* ``not_on_list`` and ``missing_from_list``: people handed over though not on the agreed
  list, and people on it who were not handed over (``name_as_written``,
  ``name_romanised``, ``note``); flagged in red when not empty.
* ``notes``; ``url``: the record in the system, printed as a QR code.

Values are printed as written (NFC), names with their romanised form beside them. A
character that no vendored font has (emoji…) prints as one "�" per run of such characters;
invisible format characters (zero-width joiners, byte order marks) are dropped.
"""

from __future__ import annotations

import functools
import unicodedata
from collections.abc import Mapping
from datetime import UTC, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from babel import Locale, UnknownLocaleError
from babel.dates import format_datetime
from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, Flowable, KeepTogether, Spacer, Table

from coordination.core.formatting import name_with_romanised, plain_text
from coordination.documents import styles
from coordination.documents.flowables import QRCode, signature_block
from coordination.documents.fonts import HAN, SANS, covers, register_fonts
from coordination.documents.labels import Labels, stacked, unique
from coordination.documents.layout import (
    CONTENT_WIDTH,
    PagedTable,
    data_table,
    facts_grid,
    gap,
    render_pdf,
    table_style,
)
from coordination.documents.text import REPLACEMENT, clean
from coordination.documents.textlines import text_block, text_lines

FORMAT = 1
SEPARATOR = " / "

# The people table: (label key, width in mm); 174 mm is the A4 content width.
PEOPLE_COLUMNS = (
    ("no", 6),
    ("name", 24),
    ("sex", 10),
    ("born", 16.5),
    ("identity_checked", 13.5),
    ("health", 21),
    ("belongings", 23.5),
    ("victim_file", 13.5),
    ("certificate", 17),
    ("referral", 29),
)
LIST_COLUMNS = (("no", 8), ("name", 66), ("notes", 100))
SIDES = ("handing_over", "receiving")
SIDE_LABELS = {"handing_over": "handing_over_side", "receiving": "receiving_side"}
SIGNATURE_LABELS = {"handing_over": "signature_handing", "receiving": "signature_receiving"}
PEOPLE_TABLE_START = 70 * mm
QR_SIZE = 25 * mm
QR_COLUMN = 40 * mm


class SnapshotError(ValueError):
    """The snapshot is not a handover record this renderer understands."""


# --- Input -----------------------------------------------------------------------------------


@functools.lru_cache(maxsize=65536)
def _drawable(char: str) -> bool:
    return char.isspace() or covers(SANS, char) or covers(HAN, char)


def printable(text: str) -> str:
    """``text`` as the record prints it: NFC, no control or invisible format characters,
    and each run of characters no font has (an emoji with its modifiers) as one "�"."""
    return _printable_cached(text) if len(text) <= 400 else _printable(text)


@functools.lru_cache(maxsize=16384)
def _printable_cached(text: str) -> str:
    return _printable(text)


def _printable(text: str) -> str:
    out: list[str] = []
    replaced = False
    for char in clean(text):
        category = unicodedata.category(char)
        if category == "Cf":  # zero-width (non-)joiner, byte order mark, soft hyphen…
            continue
        if _drawable(char):
            out.append(char)
            replaced = False
        elif category in {"Mn", "Me", "Sk"} or replaced:
            continue  # a variation selector, keycap or skin tone: part of what went before
        else:
            out.append(REPLACEMENT)
            replaced = True
    return "".join(out)


def normalise(value):
    """A copy of a snapshot (or part of one) with every string made ``printable``."""
    if isinstance(value, str):
        return printable(value)
    if isinstance(value, Mapping):
        return {key: normalise(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [normalise(item) for item in value]
    return value


def _mapping(value) -> Mapping:
    return value if isinstance(value, Mapping) else {}


def _entries(value) -> list[Mapping]:
    return [item for item in value if isinstance(item, Mapping)] if isinstance(value, list) else []


def _languages(record: Mapping) -> tuple[str, ...]:
    languages = unique(
        language for language in record.get("languages") or [] if isinstance(language, str)
    )
    return tuple(languages) or ("vi",)


@functools.lru_cache(maxsize=64)
def _locale(language: str) -> Locale:
    try:
        return Locale.parse(language.replace("-", "_"))
    except (UnknownLocaleError, ValueError, TypeError):
        return Locale.parse("en")


@functools.lru_cache(maxsize=64)
def _zone(name: str | None) -> tuple[ZoneInfo, str]:
    try:
        return ZoneInfo(name), name
    except (ZoneInfoNotFoundError, ValueError, TypeError):
        return ZoneInfo("UTC"), "UTC"


def _instant(value) -> datetime | None:
    text = plain_text(value)
    if not text:
        return None
    try:
        instant = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    return instant if instant.tzinfo else instant.replace(tzinfo=UTC)


def _offset(instant: datetime) -> str:
    minutes = int(instant.utcoffset().total_seconds() // 60)
    sign = "+" if minutes >= 0 else "-"
    return f"UTC{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


# --- The document ------------------------------------------------------------------------------


@functools.lru_cache(maxsize=64)
def _datetime_pattern(language: str) -> str:
    """The locale's medium date with its short time (no seconds), in the locale's order."""
    locale = _locale(language)
    glue = str(locale.datetime_formats.get("medium", "{1} {0}"))
    return glue.replace("{1}", locale.date_formats["medium"].pattern).replace(
        "{0}", locale.time_formats["short"].pattern
    )


def _text_flowable(text, style: str) -> Flowable:
    """Text (or the placeholder when empty) in a style: headings, cells, the notes.

    ``textlines.TextLines`` rather than paragraphs: the same fonts, shaping and line
    breaking for plain text, at a fraction of the cost (see bench/HANDOVER_PDF_RESULTS.md).
    """
    return text_lines([None if text is None else str(text)], style)


def _blank() -> Flowable:
    return Spacer(0, 0)


class _Record:
    """One rendering: the normalised snapshot, its languages and labels."""

    def __init__(self, snapshot: Mapping, *, our_names: bool = False):
        if not isinstance(snapshot, Mapping):
            raise SnapshotError("a handover record snapshot is a mapping")
        if snapshot.get("format") != FORMAT:
            raise SnapshotError(f"unsupported handover record format: {snapshot.get('format')!r}")
        self.data = normalise(snapshot)
        self.languages = _languages(self.data)
        self.labels = Labels(_mapping(self.data.get("labels")), self.languages)
        self.our_names = our_names

    # Small pieces

    def label(self, key: str, style: str = "label-small", **params) -> Flowable:
        """A label cell: one line per language, the first language first."""
        return self.labels.stacked(key, style, **params)

    def heading(self, key: str, style: str = "subheading", suffix: str = "") -> Flowable:
        return _text_flowable(self.labels.joined(key) + suffix, style)

    def enum(self, key: str | None, style: str = "cell-small") -> Flowable:
        """A coded value (sex, yes/no, referral) as its label in every language."""
        return self.labels.stacked(key, style) if key else stacked([], style)

    def yes_no(self, value) -> Flowable:
        return self.enum(None if value is None else "yes" if value else "no_answer")

    def names(self, names) -> list[str]:
        """A place or office name in each label language (English, then any, if none)."""
        names = _mapping(names)
        found = unique(plain_text(names.get(language)) for language in self.languages)
        return found or unique(
            [plain_text(names.get("en")), *(plain_text(n) for n in names.values())]
        )

    def zone(self, side: Mapping) -> tuple[ZoneInfo, str]:
        return _zone(plain_text(side.get("time_zone")))

    def zone_names(self, side: Mapping) -> list[str]:
        """ "Giờ Lào (UTC+7)" in each language, as named at issue; a record issued before
        names were kept shows the zone's identifier, as it did."""
        names = _mapping(side.get("time_zone_names"))
        found = unique(plain_text(names.get(language)) for language in self.languages)
        return found or [self.zone(side)[1]]

    def when(self, value, side: Mapping) -> Flowable:
        """An instant in one side's time zone, in every label language ("(UTC+07:00)")."""
        instant = _instant(value)
        if instant is None:
            return _text_flowable(plain_text(value), "cell")
        zone, _zone_name = self.zone(side)
        local = instant.astimezone(zone)
        lines = [
            format_datetime(
                local, _datetime_pattern(language), tzinfo=zone, locale=_locale(language)
            )
            for language in self.languages
        ]
        lines[0] = f"{lines[0]} ({_offset(local)})"
        return stacked(lines, "cell", "cell-alt")

    # Sections

    def title_block(self) -> Flowable:
        texts = self.labels.texts("title")
        titles: list[Flowable] = [_text_flowable(texts[0], "record-title")]
        titles += [_text_flowable(text, "title-alt") for text in texts[1:]]
        titles += [gap(3 * mm), self.identifiers()]
        url = plain_text(self.data.get("url"))
        if not url:
            return KeepTogether(titles)
        code = [QRCode(url, QR_SIZE), self.labels.stacked("scan_to_open", "caption")]
        table = Table(
            [[titles, code]],
            colWidths=[CONTENT_WIDTH - QR_COLUMN, QR_COLUMN],
            hAlign="LEFT",
        )
        table.setStyle(
            table_style(
                8,
                0,
                0,
                0,
                ("RIGHTPADDING", (0, 0), (0, 0), 8),
                ("LEFTPADDING", (1, 0), (1, 0), 2),
            )
        )
        return table

    def identifiers(self) -> Flowable:
        """Record number, version, what it corrects, the proposal it carries out."""
        data = self.data

        def line(key: str, value) -> str | None:
            value = plain_text(value)
            return f"{self.labels.joined(key)}: {value}" if value else None

        return text_block(
            [
                (line("record_number", data.get("number")), "record-id"),
                (line("version", data.get("version")), "body"),
                (line("corrects", self.superseded()), "flag"),
                (line("request", data.get("request_reference")), "body"),
            ],
            "body",
        )

    def superseded(self) -> str | None:
        """The record this one corrects: "QT-…/0001 v1" or {"number": …, "version": …}."""
        supersedes = self.data.get("supersedes")
        if isinstance(supersedes, Mapping):
            number = plain_text(supersedes.get("number")) or ""
            version = plain_text(supersedes.get("version"))
            return f"{number} v{version}" if version else number or None
        return plain_text(supersedes)

    def facts(self) -> Flowable:
        data = self.data
        interpreter = _mapping(data.get("interpreter"))
        witnesses = []
        for witness in _entries(data.get("witnesses")):
            name = name_with_romanised(witness.get("name"), witness.get("romanised"))
            role = plain_text(witness.get("role"))
            witnesses.append(" – ".join(part for part in (name, role) if part))
        gate = _mapping(data.get("gate"))
        interpreter = name_with_romanised(interpreter.get("name"), interpreter.get("romanised"))
        rows = [
            [
                (self.label("border_gate"), stacked(self.names(gate.get("names")), "cell")),
                (self.label("transport"), plain_text(data.get("transport"))),
            ],
            [(self.label("interpreter"), interpreter)],
            [(self.label("witnesses"), text_lines(witnesses, "cell"))],
        ]
        timing = self.timing()
        if timing is not None:  # absent from records issued before it was recorded
            rows.insert(1, [(self.label("timing"), timing)])
        return facts_grid(rows)

    def timing(self) -> Flowable | None:
        """Early, late or on time, in each label language as frozen at issue."""
        timing = _mapping(self.data.get("timing"))
        if not timing:
            return None
        text = _mapping(timing.get("text"))
        lines = [plain_text(text.get(language)) for language in self.languages]
        if not any(lines):
            lines = [plain_text(timing.get("mark"))]
        return stacked(lines, "cell")

    def sides(self) -> Flowable:
        data = self.data
        sides = [_mapping(data.get(side)) for side in SIDES]
        header: list = [_blank()]
        for key, side in zip(SIDES, sides, strict=True):
            header.append(
                text_lines(
                    [*self.labels.texts(SIDE_LABELS[key]), *self.zone_names(side)],
                    "side-head",
                    "label-alt",
                )
            )

        def officers(side: Mapping) -> Flowable:
            found = []
            for officer in _entries(side.get("officers")):
                name = name_with_romanised(officer.get("name"), officer.get("romanised"))
                rank = plain_text(officer.get("rank"))
                found.append(", ".join(part for part in (name, rank) if part))
            return text_lines(found, "cell")  # two officers may share a name

        rows = [
            [self.label("office"), *(self.office(side) for side in sides)],
            [self.label("unit"), *(plain_text(side.get("unit")) for side in sides)],
            [self.label("officers"), *(officers(side) for side in sides)],
            [self.label("scheduled_at"), *(self.when(data.get("scheduled_at"), s) for s in sides)],
            [self.label("completed_at"), *(self.when(data.get("completed_at"), s) for s in sides)],
        ]
        label_width = CONTENT_WIDTH * 0.17
        value_width = (CONTENT_WIDTH - label_width) / 2
        return data_table(header, rows, [label_width, value_width, value_width], label_column=True)

    def office(self, side: Mapping) -> Flowable:
        return stacked(self.names(_mapping(side.get("office")).get("names")), "cell")

    def people(self) -> list[Flowable]:
        people = _entries(self.data.get("people"))
        header = [self.label(key, "th") for key, _width in PEOPLE_COLUMNS]
        rows = [self.person(number, person) for number, person in enumerate(people, start=1)]
        if not rows:
            rows = [[_text_flowable(None, "cell-small")] + [_blank()] * (len(PEOPLE_COLUMNS) - 1)]
        widths = [width * mm for _key, width in PEOPLE_COLUMNS]
        # The table starts where it is (keepWithNext would carry it to a new page whole)
        # if its heading, header row and a row or two fit; else on the next page.
        return [
            CondPageBreak(PEOPLE_TABLE_START),
            self.heading("people", "section", suffix=f" ({len(people)})"),
            data_table(header, rows, widths),
        ]

    def person(self, number: int, person: Mapping) -> list:
        def cell(*values) -> Flowable:
            return text_lines([plain_text(value) for value in values], "cell-small")

        born = plain_text(person.get("date_of_birth"))
        age = person.get("estimated_age")
        if born:  # ISO 8601 as stored: read the same way on both sides of the border
            born_cell = cell(born)
        elif isinstance(age, int | float) and not isinstance(age, bool):
            born_cell = stacked(self.labels.texts("age_years", age=int(age)), "cell-small")
        elif plain_text(age):
            born_cell = cell(age)
        else:
            born_cell = self.enum("unknown")
        sex = plain_text(person.get("sex"))
        referral = plain_text(person.get("referral"))
        detail = plain_text(person.get("referral_detail"))
        centre = self.names(_mapping(person.get("referral_office")).get("names"))
        if referral and f"referral_{referral}" in self.labels:
            texts = self.labels.texts(f"referral_{referral}")
            referral_cell = text_block(
                [
                    (texts[0], "cell-small"),
                    *((text, "cell-small-alt") for text in texts[1:]),
                    *((text, "cell-small") for text in centre[:1]),
                    *((text, "cell-small-alt") for text in centre[1:]),
                    (detail, "cell-small"),
                ],
                "cell-small",
            )
        else:
            referral_cell = cell(referral, *centre, detail)
        name = name_with_romanised(person.get("name_as_written"), person.get("name_romanised"))
        ours = []
        if self.our_names and "our_record" in self.labels:
            label = " / ".join(self.labels.texts("our_record"))
            ours = [
                f"{label}: {name_with_romanised(entry.get('name'), entry.get('romanised'))}"
                for entry in _entries(person.get("our_names"))
                if plain_text(entry.get("name"))
            ]
        if (person.get("child") and "child" in self.labels) or ours:
            # A child is marked in every label language: the receiving side's duty differs.
            child = person.get("child") and "child" in self.labels
            name_cell = text_block(
                [
                    (name, "cell-small"),
                    *((text, "cell-small-alt") for text in ours),
                    *(
                        [(" / ".join(self.labels.texts("child")), "cell-small-alt")]
                        if child
                        else []
                    ),
                ],
                "cell-small",
            )
        else:
            name_cell = cell(name)
        return [
            cell(number),
            name_cell,
            self.enum(sex if sex in ("female", "male") else "unknown"),
            born_cell,
            self.yes_no(person.get("identity_checked")),
            cell(person.get("health")),
            cell(person.get("belongings"), person.get("documents")),
            self.yes_no(person.get("victim_file_received")),
            cell(person.get("return_certificate_number")),
            referral_cell,
        ]

    def listed(self, key: str) -> list[Flowable]:
        entries = _entries(self.data.get(key))
        if not entries:
            return [self.heading(key, suffix=" (0)"), _text_flowable(None, "body")]
        header = [self.label(column, "th") for column, _width in LIST_COLUMNS]
        rows = [
            [
                _text_flowable(str(number), "cell"),
                _text_flowable(
                    name_with_romanised(entry.get("name_as_written"), entry.get("name_romanised")),
                    "cell",
                ),
                _text_flowable(plain_text(entry.get("note")), "cell"),
            ]
            for number, entry in enumerate(entries, start=1)
        ]
        widths = [width * mm for _key, width in LIST_COLUMNS]
        return [
            self.heading(key, "flag-heading", suffix=f" ({len(entries)})"),
            data_table(header, rows, widths, flagged=True),
        ]

    def notes(self) -> list[Flowable]:
        return [self.heading("notes"), _text_flowable(plain_text(self.data.get("notes")), "body")]

    def signatures(self) -> Flowable:
        """Both sides, then the witnesses, four to a row: room to sign above each name."""
        hint = self.labels.stacked("sign_here", "sign-hint")

        def signer(person: Mapping, detail: str | None) -> list[Flowable]:
            """The printed name under the line: as written, romanised under it, then rank."""
            written, romanised = plain_text(person.get("name")), plain_text(person.get("romanised"))
            if romanised and written and romanised.casefold() != written.casefold():
                romanised = f"({romanised})"
            elif written:
                romanised = None
            segments = [(written, "sign-name"), (romanised, "sign-name"), (detail, "sign-hint")]
            return [text_block(segments, "sign-name")] if written or romanised or detail else []

        blocks = []
        for side_key in SIDES:
            side = _mapping(self.data.get(side_key))
            signers = [
                signer(officer, plain_text(officer.get("rank")))
                for officer in _entries(side.get("officers"))
            ]
            heading = self.labels.stacked(SIGNATURE_LABELS[side_key], "sign-head")
            blocks.append(signature_block([heading], [hint], signers))
        witness_heading = self.labels.stacked("signature_witness", "sign-head")
        for witness in _entries(self.data.get("witnesses")):
            signers = [signer(witness, plain_text(witness.get("role")))]
            blocks.append(signature_block([witness_heading], [hint], signers))
        rows = [blocks[start : start + 4] for start in range(0, len(blocks), 4)]
        rows[-1] += [_blank()] * (4 - len(rows[-1]))
        # The sides' blocks ruled apart from the witnesses'.
        commands = [("LINEAFTER", (1, 0), (1, 0), 0.4, styles.RULE)] if len(blocks) > 2 else []
        # Kept on one page with what precedes it where it can be; a side with more
        # officers than a page holds runs on (PagedTable splits such a row).
        table = PagedTable(
            rows, colWidths=[CONTENT_WIDTH / 4] * 4, hAlign="LEFT", splitByRow=1, splitInRow=1
        )
        table.setStyle(table_style(8, 4, 6, 8, *commands))
        return KeepTogether([gap(5 * mm), table])

    # The whole

    def story(self) -> list[Flowable]:
        return [
            self.title_block(),
            gap(4 * mm),
            self.facts(),
            gap(3 * mm),
            self.sides(),
            *self.people(),
            *self.listed("not_on_list"),
            *self.listed("missing_from_list"),
            *self.notes(),
            self.signatures(),
        ]

    def page_label(self, page: int, pages: int) -> str:
        return " · ".join(self.labels.texts("page", page=page, pages=pages))

    def render(self) -> bytes:
        data = self.data
        number = plain_text(data.get("number")) or ""
        first = self.languages[0]
        version = plain_text(data.get("version"))
        header_left = number
        if version:
            header_left = f"{number} · {self.labels.text('version', first)} {version}"
        gate = SEPARATOR.join(self.names(_mapping(data.get("gate")).get("names")))
        title = self.labels.text("title", first)
        return render_pdf(
            self.story(),
            header_left=header_left,
            header_right=gate,
            page_label=self.page_label,
            title=f"{title} {number}".strip(),
            subject=number,
            lang=first,
            invariant=True,
        )


def render_handover_record(snapshot: Mapping, *, our_names: bool = False) -> bytes:
    """The handover record of ``snapshot`` as A4 PDF bytes, ready to print and sign.

    Pure and reproducible: the same snapshot gives the same bytes. Raises
    ``SnapshotError`` (a ValueError) for a snapshot of another format.

    ``our_names``: our side's copy, which prints beside a person's name the names of our
    records confirmed as them (each person's ``our_names``, frozen at issue; the caller
    leaves in it only those the reader may read). Without it (the record both sides sign,
    whose fingerprint is stored), they are never printed.
    """
    register_fonts()
    return _Record(snapshot, our_names=our_names).render()
