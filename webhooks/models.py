import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q

from .enums import DeliveryState, EventType, Team


class Endpoint(models.Model):
    """An HTTPS address that receives signed events. Owned by one organisation
    (its admins manage it) or by one staff team (its members manage it).

    The secret signs every delivery; it is shown once when the endpoint is
    registered. An endpoint is disabled, never deleted, so its deliveries
    stay on the record."""

    organisation = models.ForeignKey(
        "accounts.Organisation", null=True, blank=True, on_delete=models.CASCADE, related_name="webhook_endpoints"
    )
    team = models.CharField(max_length=20, choices=Team.choices, blank=True)
    url = models.URLField("address", max_length=500)
    description = models.CharField(max_length=200, blank=True)
    secret = models.CharField(max_length=100)
    sends_accreditation = models.BooleanField(default=False)
    sends_completion = models.BooleanField(default=False)
    sends_results = models.BooleanField(default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    disabled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    disabled_at = models.DateTimeField(null=True, blank=True)

    EVENT_FIELDS = {
        EventType.ACCREDITATION_STATUS_CHANGED: "sends_accreditation",
        EventType.COMPLETION_VERIFIED: "sends_completion",
        EventType.RESULTS_ANNOUNCED: "sends_results",
    }

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(organisation__isnull=False) & Q(team="")) | (Q(organisation__isnull=True) & ~Q(team="")),
                name="webhook_endpoint_one_owner",
            )
        ]

    def __str__(self):
        return self.url

    @property
    def is_active(self) -> bool:
        return self.disabled_at is None

    @property
    def owner_name(self) -> str:
        return self.organisation.name if self.organisation_id else Team(self.team).label

    @property
    def event_types(self) -> list[str]:
        return [event for event, field in self.EVENT_FIELDS.items() if getattr(self, field)]

    @event_types.setter
    def event_types(self, values):
        for event, field in self.EVENT_FIELDS.items():
            setattr(self, field, event in values)

    @property
    def event_labels(self) -> list[str]:
        return [str(EventType(event).value) for event in self.event_types]

    @classmethod
    def subscribed_to(cls, event_type: str) -> Q:
        return Q(**{cls.EVENT_FIELDS[EventType(event_type)]: True}, disabled_at__isnull=True)


class Event(models.Model):
    """Something happened that endpoints may hear of, recorded in the same
    transaction as the change, with the payload as its audience may see it."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    type = models.CharField(max_length=50, choices=EventType.choices)
    payload = models.JSONField()
    object_type = models.CharField(max_length=80)
    object_id = models.CharField(max_length=40)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.type} {self.uuid}"


class Delivery(models.Model):
    """The outbox of webhooks: one row per event and endpoint (a unique
    constraint), sent by a worker after the change commits, retried with
    exponential backoff. A replay is a further row pointing at the one replayed."""

    STATES = DeliveryState

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="deliveries")
    endpoint = models.ForeignKey(Endpoint, on_delete=models.CASCADE, related_name="deliveries")
    replay_of = models.ForeignKey("self", null=True, blank=True, on_delete=models.CASCADE, related_name="replays")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    state = models.CharField(max_length=10, choices=DeliveryState.choices, default=DeliveryState.QUEUED)
    attempts = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField()
    next_attempt_at = models.DateTimeField()
    claimed_at = models.DateTimeField(null=True, blank=True)
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    last_status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "endpoint"], condition=Q(replay_of__isnull=True), name="one_delivery_per_endpoint"
            )
        ]
        indexes = [
            # The sweep looks only at unfinished rows.
            models.Index(
                fields=["state", "next_attempt_at"],
                condition=Q(state__in=["queued", "sending"]),
                name="webhook_unsent_idx",
            ),
            models.Index(fields=["endpoint", "-created_at"]),
        ]

    def __str__(self):
        return f"{self.event} to {self.endpoint}"

    @property
    def is_finished(self) -> bool:
        """Delivered, or failed for good: only such a delivery can be replayed."""
        return self.state in (DeliveryState.DELIVERED, DeliveryState.FAILED)
