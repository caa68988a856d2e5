"""The signature partners check: ``X-Vocations-Signature: t=<unix time>,v1=<hex>`` where
``v1 = HMAC-SHA256(secret, f"{t}." + body)`` (the Stripe scheme: the time inside the signed
text lets the receiver refuse an old delivery replayed). docs/api.md shows the check in Python.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

HEADER = "X-Vocations-Signature"


def new_secret() -> str:
    return "whsec_" + secrets.token_urlsafe(32)


def sign(*, secret: str, timestamp: int, body: bytes) -> str:
    message = f"{timestamp}.".encode() + body
    digest = hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={digest}"
