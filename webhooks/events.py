"""Emitting an event: called by a domain function inside its transaction.

`emit()` writes the event (with its payload as its audience may see it) and
one delivery per endpoint subscribed to it, then hands the deliveries to
Celery once the transaction commits: the outbox pattern of
notifications.mail. If the change rolls back, so do the event and its
deliveries; if the broker is down, the sweep sends them. With no endpoint
subscribed, nothing is written (not even the payload is built)."""

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from . import payloads
from .enums import EventType, Team
from .models import Delivery, Endpoint, Event

ACCREDITATION_STATUS_CHANGED = EventType.ACCREDITATION_STATUS_CHANGED
COMPLETION_VERIFIED = EventType.COMPLETION_VERIFIED
RESULTS_ANNOUNCED = EventType.RESULTS_ANNOUNCED


def audience(event_type: str, subject):
    """The active endpoints that receive this event. Public events reach every
    subscriber; a verified completion reaches the provider organisation of
    the course completed and the academy team."""
    endpoints = Endpoint.objects.filter(Endpoint.subscribed_to(event_type))
    if event_type == EventType.COMPLETION_VERIFIED:
        readers = Q(team=Team.ACADEMY)
        if subject.course_id:
            readers |= Q(organisation_id=subject.course.provider_id)
        endpoints = endpoints.filter(readers)
    return endpoints


def emit(event_type: str, subject, *, now=None) -> Event | None:
    """Records `event_type` about `subject` for every endpoint subscribed to it."""
    now = now or timezone.now()
    endpoint_ids = list(audience(event_type, subject).order_by("pk").values_list("pk", flat=True))
    if not endpoint_ids:
        return None
    event = Event.objects.create(
        type=event_type,
        payload=payloads.build(event_type, subject, now),
        object_type=subject._meta.label_lower,
        object_id=str(subject.pk),
        created_at=now,
    )
    deliveries = Delivery.objects.bulk_create(
        [Delivery(event=event, endpoint_id=pk, created_at=now, next_attempt_at=now) for pk in endpoint_ids]
    )
    queue_deliveries([delivery.pk for delivery in deliveries])
    return event


def queue_deliveries(delivery_ids: list[int]) -> None:
    from .sending import hand_to_worker

    transaction.on_commit(lambda: [hand_to_worker(pk) for pk in delivery_ids])
