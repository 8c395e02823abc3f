from django.db import models


class EventType(models.TextChoices):
    """The events an endpoint can subscribe to (docs/webhooks.md describes each payload)."""

    ACCREDITATION_STATUS_CHANGED = "accreditation.status_changed", "An accreditation's status changed"
    COMPLETION_VERIFIED = "completion.verified", "A leader's completion of one of our courses was verified"
    RESULTS_ANNOUNCED = "results.announced", "An awards cycle's results were announced"


# Events whose payload is public (the register, the winners pages): any
# endpoint may subscribe to them. The others go only to their audience.
PUBLIC_EVENTS = frozenset({EventType.ACCREDITATION_STATUS_CHANGED, EventType.RESULTS_ANNOUNCED})


class Team(models.TextChoices):
    """A staff team that owns endpoints, as an organisation does."""

    AWARDS = "awards", "Awards team"
    ACADEMY = "academy", "Skills academy team"


class DeliveryState(models.TextChoices):
    QUEUED = "queued", "Waiting to be sent"
    SENDING = "sending", "Being sent"
    DELIVERED = "delivered", "Delivered"
    FAILED = "failed", "Failed: no more attempts"
