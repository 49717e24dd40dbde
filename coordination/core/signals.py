"""Events between features, so that a lower layer never imports a higher one.

A feature sends a signal when something happened that higher features may care about;
those features connect receivers in their ``setup`` (``init_app``, see core/features.py).
The sender knows nothing of who listens.

Rules for every signal here:

- Receivers run synchronously, in the sender's transaction: they may read and write
  through ``db.session`` and ``flush()``, but never commit (the request or job commits
  once at its end, or rolls everything back, the receivers' writes included). An exception
  in a receiver fails the sender's action.
- Connect module-level functions (blinker holds weak references to receivers); connecting
  the same function again is harmless, so a setup may run for every app a process builds.
- Send with keyword arguments only, as documented for each signal, so receivers can take
  ``**extra`` and keep working when a keyword is added.
"""

from __future__ import annotations

from blinker import Namespace

signals = Namespace()

person_saved = signals.signal(
    "person-saved",
    doc="""A person of a case was created or edited (names, home, birth, documents…).

    Sent by cases.operations.add_person and update_person, after the person's fields are
    set (and, when created, flushed: it has an id).
    sender: the ``Person``; keywords: ``created`` (bool), ``actor`` (the user).
    Received by matching (keeps the person's keys in the name index current).""",
)

missing_report_saved = signals.signal(
    "missing-report-saved",
    doc="""An entry of the missing-person register was created or edited.

    Sent by cases.operations.create_missing_report and update_missing_report, after its
    fields are set (and, when created, flushed: it has an id).
    sender: the ``MissingPersonReport``; keywords: ``created`` (bool), ``actor``.
    Received by matching (keeps the entry's keys in the name index current).""",
)

area_changed = signals.signal(
    "area-changed",
    doc="""A place (administrative area) was added, or its code or names changed.

    Sent by directory.operations.create_area and update_area (only when something
    changed), after the flush and the audit entry.
    sender: the ``AdministrativeArea``; keywords: ``created`` (bool), ``fields`` (frozenset
    of the changed field names: "code", "name_vi", "name_en"…; all of them when created),
    ``actor``.
    Received by matching (reads the gazetteer again; a renamed place re-keys the people
    and register entries from it, whose place keys hold its name).""",
)

match_confirmed = signals.signal(
    "match-confirmed",
    doc="""An officer confirmed that a record is the person a partner's request asked about.

    Sent by matching.operations.decide_match when the decision is "confirmed", after the
    flush and the audit entry.
    sender: the ``MatchDecision``; keywords: ``request_person`` (the exchange
    ``RequestPerson``), ``record_kind`` ("person" or "missing"), ``record`` (the ``Person``
    or ``MissingPersonReport``), ``actor``.""",
)

match_withdrawn = signals.signal(
    "match-withdrawn",
    doc="""A confirmed match was withdrawn: the officer marked the record "not this person".

    Sent by matching.operations.decide_match, after the flush and the audit entry, with
    the keywords of ``match_confirmed``.""",
)

handover_completed = signals.signal(
    "handover-completed",
    doc="""A handover at a border gate was logged as completed (its first record issued).

    Sent by handovers.operations.log_at_gate for the action "complete", after the record
    is issued; a later correction of a completed handover does not send it again.
    sender: the ``Handover``; keywords: ``record`` (the ``HandoverRecord`` issued),
    ``actor``.""",
)

request_answered = signals.signal(
    "request-answered",
    doc="""The recipient office replied to a request: it is answered.

    Sent by exchange.operations.take_step for a reply, after the flush, the audit entry
    and the notification of the other office.
    sender: the ``Request``; keywords: ``message`` (the reply, a ``RequestMessage``),
    ``actor``.""",
)
