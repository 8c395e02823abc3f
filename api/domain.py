"""Creating, revoking and using personal access tokens.

Each function checks permission through api.rules, validates, writes its
audit record (accounts.audit) in the same transaction."""

import secrets
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from accounts import audit
from core.errors import DomainError
from core.permissions import require

from .models import TOKEN_PREFIX, ApiToken, digest
from .rules import SignIn
from .scopes import SCOPES

# A token lasts at most a year; the person chooses a shorter life.
MAX_LIFETIME = timedelta(days=365)
LIFETIMES = {7: "7 days", 30: "30 days", 90: "90 days", 365: "1 year"}
# Last-used times are written at most this often, so a busy integration does
# not write its token row on every request.
LAST_USED_PRECISION = timedelta(minutes=1)


def new_secret() -> str:
    """The token: the recognisable prefix and 256 random bits."""
    return TOKEN_PREFIX + secrets.token_urlsafe(32)


@transaction.atomic
def create_token(user, *, sign_in: SignIn, name: str, scopes, expires_in_days: int) -> tuple[ApiToken, str]:
    """A new token for `user`, and the token itself, which is never stored and
    cannot be shown again. Refused unless the session passed two-factor
    authentication. Needs a name, at least one known scope and a life of at
    most a year."""
    require(user, "api.create_token", sign_in)
    name = " ".join((name or "").split())
    if not name:
        raise DomainError("Enter a name for the token")
    scopes = sorted(set(scopes or []))
    if not scopes:
        raise DomainError("Select at least one thing the token may do")
    unknown = [s for s in scopes if s not in SCOPES]
    if unknown:
        raise DomainError(f"Unknown scope: {', '.join(unknown)}")
    lifetime = timedelta(days=int(expires_in_days))
    if lifetime <= timedelta(0) or lifetime > MAX_LIFETIME:
        raise DomainError("A token lasts at most a year")
    now = timezone.now()
    secret = new_secret()
    token = ApiToken.objects.create(
        user=user,
        name=name[:100],
        hint=secret[: len(TOKEN_PREFIX) + 4],
        digest=digest(secret),
        scopes=scopes,
        created_at=now,
        expires_at=now + lifetime,
    )
    audit.record(
        actor=user,
        action="api_token.created",
        obj=token,
        after={"name": token.name, "scopes": scopes, "expires_at": token.expires_at.isoformat()},
    )
    return token, secret


@transaction.atomic
def revoke_token(user, token: ApiToken) -> ApiToken:
    """Revoked at once: the next request with it is refused. Revoking a token
    already revoked changes nothing."""
    require(user, "api.revoke_token", token)
    token = ApiToken.objects.select_for_update().get(pk=token.pk)
    if token.revoked_at is not None:
        return token
    token.revoked_at = timezone.now()
    token.revoked_by = user
    token.save(update_fields=["revoked_at", "revoked_by"])
    audit.record(actor=user, action="api_token.revoked", obj=token, after={"revoked_at": token.revoked_at.isoformat()})
    return token


def find_token(secret: str) -> ApiToken | None:
    """The token with this secret, whatever its state (the caller asks
    `api.use_token`), or None."""
    if not secret.startswith(TOKEN_PREFIX) or len(secret) > 200:
        return None
    return ApiToken.objects.select_related("user").filter(digest=digest(secret)).first()


def record_use(token: ApiToken, *, method: str, path: str, status: int) -> None:
    """Every authenticated API request leaves one audit row (who, which token,
    what was asked, the answer's status) and moves the token's last-used time."""
    now = timezone.now()
    with transaction.atomic():
        audit.record(
            actor=token.user,
            action="api_token.used",
            obj=token,
            after={"method": method, "path": path[:300], "status": status},
            at=now,
        )
        if token.last_used_at is None or now - token.last_used_at >= LAST_USED_PRECISION:
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
            token.last_used_at = now
