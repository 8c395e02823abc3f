"""Signing deliveries: `Webhook-Signature: t=<unix time>,v1=<hex HMAC-SHA256
of "<t>.<body>" with the endpoint's secret>`. The receiver recomputes the
HMAC over the exact bytes it received and refuses a timestamp older than
its tolerance, so a captured delivery cannot be replayed later by someone
else (docs/webhooks.md)."""

import hashlib
import hmac
import secrets
import time

SECRET_PREFIX = "whsec_"
TOLERANCE_SECONDS = 300


def new_secret() -> str:
    return SECRET_PREFIX + secrets.token_urlsafe(32)


def signature(secret: str, body: bytes, timestamp: int) -> str:
    return hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()


def signature_header(secret: str, body: bytes, timestamp: int | None = None) -> str:
    timestamp = int(time.time()) if timestamp is None else timestamp
    return f"t={timestamp},v1={signature(secret, body, timestamp)}"


def verify(
    secret: str, body: bytes, header: str, *, tolerance: int = TOLERANCE_SECONDS, now: int | None = None
) -> bool:
    """What a receiver does (the snippet in docs/webhooks.md is this function):
    the header parses, the timestamp is recent and one v1 signature matches."""
    try:
        fields = [part.strip().split("=", 1) for part in header.split(",") if "=" in part]
        timestamp = int(next(value for key, value in fields if key == "t"))
    except (ValueError, StopIteration):
        return False
    now = int(time.time()) if now is None else now
    if abs(now - timestamp) > tolerance:
        return False
    expected = signature(secret, body, timestamp)
    return any(key == "v1" and hmac.compare_digest(value, expected) for key, value in fields)
