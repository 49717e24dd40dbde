"""Who may see a file: whoever may see what it is attached to, as the owning feature says.

Each feature that attaches files (cases: a case's scans and a person's photo; exchange: the
files of a request's thread) registers a rule under ``DOCUMENT_ACCESS`` in its setup. A rule
is ``function(user, document) -> bool | None``: True or False for a file it owns, None for
one it does not. The first answer decides; a file nobody claims is seen by no one.
"""

from __future__ import annotations

from coordination.attachments.models import Document
from coordination.core.panels import hooks

DOCUMENT_ACCESS = "attachments.document_access"


def can_view_document(user, document: Document) -> bool:
    for rule in hooks(DOCUMENT_ACCESS):
        answer = rule(user, document)
        if answer is not None:
            return answer
    return False
