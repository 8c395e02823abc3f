"""Sending deliveries from the outbox.

Each attempt first claims the row with a conditional UPDATE and checks the
count (as notifications.sending does), so two workers, a retried task and
the sweep never send the same delivery at once, and a delivered one never
again. A failed attempt is retried with exponential backoff (1, 2, 4, ...
minutes) by the beat sweep, up to MAX_ATTEMPTS; a row claimed longer ago
than CLAIM_TIMEOUT was left by a worker that died mid-send, and the sweep
claims it again. Receivers de-duplicate on the Webhook-Id header (a worker
killed after the receiver answered but before recording it sends again)."""

import http.client
import json
import logging
from datetime import timedelta

from django.conf import settings
from django.db.models import F, Q
from django.utils import timezone

from . import destinations, signing
from .enums import DeliveryState
from .models import Delivery

logger = logging.getLogger(__name__)

CLAIM_TIMEOUT = timedelta(minutes=5)
# Rows queued more recently are left to the task published for them.
SWEEP_GRACE = timedelta(seconds=60)
FIRST_RETRY = timedelta(minutes=1)
MAX_ATTEMPTS = 8
SWEEP_BATCH = 500


def backoff(attempts: int) -> timedelta:
    """The wait after the `attempts`-th failed attempt: 1, 2, 4, 8... minutes."""
    return FIRST_RETRY * 2 ** max(attempts - 1, 0)


def body(event) -> bytes:
    """The JSON body: the same bytes at every attempt of the event."""
    document = {
        "id": str(event.uuid),
        "type": event.type,
        "created_at": event.created_at.isoformat(),
        "data": event.payload,
    }
    return json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def headers(delivery, content: bytes, timestamp: int | None = None) -> dict:
    return {
        "Content-Type": "application/json",
        "User-Agent": f"{settings.SERVICE_NAME} webhooks",
        "Webhook-Id": str(delivery.event.uuid),
        "Webhook-Event": delivery.event.type,
        "Webhook-Delivery": str(delivery.pk),
        "Webhook-Signature": signing.signature_header(delivery.endpoint.secret, content, timestamp),
    }


def claim(delivery_id: int, now) -> bool:
    claimable = Q(state=DeliveryState.QUEUED, next_attempt_at__lte=now) | Q(
        state=DeliveryState.SENDING, claimed_at__lt=now - CLAIM_TIMEOUT
    )
    updated = Delivery.objects.filter(claimable, pk=delivery_id).update(
        state=DeliveryState.SENDING, claimed_at=now, attempts=F("attempts") + 1
    )
    return updated == 1


def deliver(delivery_id: int, now=None) -> bool:
    """One attempt at a claimed delivery; returns whether it was delivered now."""
    now = now or timezone.now()
    if not claim(delivery_id, now):
        return False
    delivery = Delivery.objects.select_related("event", "endpoint").get(pk=delivery_id)
    mine = Delivery.objects.filter(pk=delivery_id, state=DeliveryState.SENDING, claimed_at=now)
    if not delivery.endpoint.is_active:
        mine.update(state=DeliveryState.FAILED, last_error="The endpoint was disabled")
        return False
    content = body(delivery.event)
    status, error = None, ""
    try:
        status, answer = destinations.post(delivery.endpoint.url, content, headers(delivery, content))
        if not 200 <= status < 300:
            error = f"The endpoint answered {status}: {answer}".strip()
    except destinations.DestinationRefused as refusal:
        error = str(refusal)
    except (OSError, http.client.HTTPException) as failure:
        error = f"Could not deliver: {failure.__class__.__name__}: {failure}"
    finished = timezone.now()
    if not error:
        mine.update(
            state=DeliveryState.DELIVERED,
            delivered_at=finished,
            last_attempt_at=finished,
            last_status_code=status,
            last_error="",
        )
        return True
    final = delivery.attempts >= MAX_ATTEMPTS
    mine.update(
        state=DeliveryState.FAILED if final else DeliveryState.QUEUED,
        next_attempt_at=finished + backoff(delivery.attempts),
        last_attempt_at=finished,
        last_status_code=status,
        last_error=error[:2000],
    )
    logger.warning("Webhook delivery %s failed (attempt %s): %s", delivery_id, delivery.attempts, error)
    return False


def due(now=None) -> list[int]:
    """Deliveries the sweep sends: retries whose time has come, rows whose
    task was lost (broker down) and rows whose worker died mid-send."""
    now = now or timezone.now()
    waiting = Q(state=DeliveryState.QUEUED, next_attempt_at__lte=now) & (
        Q(attempts__gt=0) | Q(created_at__lt=now - SWEEP_GRACE)
    )
    stale = Q(state=DeliveryState.SENDING, claimed_at__lt=now - CLAIM_TIMEOUT)
    rows = Delivery.objects.filter(waiting | stale).order_by("next_attempt_at", "pk")
    return list(rows.values_list("pk", flat=True)[:SWEEP_BATCH])


def sweep(now=None) -> int:
    """Hands each due delivery to a worker (the claim keeps each single)."""
    ids = due(now)
    for pk in ids:
        hand_to_worker(pk)
    return len(ids)


def hand_to_worker(delivery_id: int) -> None:
    """Publish the send task; a broker that is down must not break the request."""
    from .tasks import deliver as deliver_task

    try:
        deliver_task.delay(delivery_id)
    except Exception:  # kombu raises several connection error types
        logger.warning("Broker unavailable; webhook delivery %s waits for the sweep", delivery_id, exc_info=True)
