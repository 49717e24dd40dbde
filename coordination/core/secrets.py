"""What is stored of a secret handed to a client (a session cookie, an API token, a calendar
feed link): its SHA-256, never the value."""

from __future__ import annotations

import hashlib


def secret_digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()
