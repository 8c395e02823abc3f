import hashlib

from django.conf import settings
from django.db import models
from django.utils import timezone

from .scopes import SCOPES

# Every token starts with this, so a leaked one is recognisable (secret
# scanners, logs) and cannot be mistaken for a password.
TOKEN_PREFIX = "scapat_"


def digest(secret: str) -> str:
    """Tokens are stored as the SHA-256 of the whole token: the token is 256
    random bits, so a slow password hash would add nothing but cost."""
    return hashlib.sha256(secret.encode()).hexdigest()


class ApiToken(models.Model):
    """A personal access token: acts as its person, within its scopes, until
    it expires or is revoked. Only its digest is stored; the token itself is
    shown once, when it is created."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField("token name", max_length=100)
    # The first characters of the token, shown in lists so a person can tell their tokens apart.
    hint = models.CharField(max_length=20)
    digest = models.CharField(max_length=64, unique=True)
    scopes = models.JSONField(default=list)
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["user", "revoked_at"])]

    def __str__(self):
        return f"{self.name} ({self.hint}…)"

    def is_usable(self, now=None) -> bool:
        """Not revoked and not expired: refused from the instant either happens."""
        now = now or timezone.now()
        return self.revoked_at is None and now < self.expires_at

    @property
    def scope_labels(self) -> list[str]:
        return [SCOPES[s] for s in self.scopes if s in SCOPES]


class IdempotentRequest(models.Model):
    """A write made through the API with an `Idempotency-Key` header: the
    answer it got, so the same request sent again (a retry after a lost
    answer) gets the same answer and changes nothing (api.idempotency).
    Stored in the write's own transaction: it exists exactly when the write
    does."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    # The URL name of the endpoint ("api:provider_completions").
    endpoint = models.CharField(max_length=100)
    key = models.CharField(max_length=100)
    # SHA-256 of the request body: a key sent again with another body is refused.
    fingerprint = models.CharField(max_length=64)
    status = models.PositiveSmallIntegerField()
    response = models.JSONField()
    created_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "endpoint", "key"], name="one_answer_per_idempotency_key")
        ]

    def __str__(self):
        return f"{self.endpoint} {self.key}"
