"""Managing endpoints and replaying deliveries: one function per change, each
checking permission (webhooks/rules.py), validating, writing the audit record."""

from django.db import transaction
from django.utils import timezone

from accounts import audit
from core.errors import DomainError
from core.permissions import require

from . import destinations, signing
from .enums import PUBLIC_EVENTS, DeliveryState, EventType, Team
from .events import queue_deliveries
from .models import Delivery, Endpoint


def allowed_events(organisation=None, team: str = "") -> list[str]:
    """Public events for any owner; verified completions for course providers
    (their own courses) and the academy team."""
    events = [e for e in EventType if e in PUBLIC_EVENTS]
    if (organisation is not None and organisation.is_course_provider) or team == Team.ACADEMY:
        events.insert(1, EventType.COMPLETION_VERIFIED)
    return [str(e) for e in events]


@transaction.atomic
def create_endpoint(user, *, url: str, events: list[str], organisation=None, team: str = "", description: str = ""):
    """Registers an endpoint for an organisation (its admins) or a staff team
    (its members). The address must pass destinations.check (HTTPS on the
    public internet). Returns the endpoint; its secret is shown once."""
    if organisation is not None:
        require(user, "webhooks.manage_organisation_endpoints", organisation)
    else:
        require(user, "webhooks.manage_team_endpoints", team)
    allowed = allowed_events(organisation, team)
    if not events:
        raise DomainError("Select at least one event")
    refused = [e for e in events if e not in allowed]
    if refused:
        raise DomainError(f"This endpoint cannot receive {', '.join(refused)}")
    try:
        destinations.check(url)
    except destinations.DestinationRefused as refusal:
        raise DomainError(str(refusal)) from None
    endpoint = Endpoint(
        organisation=organisation,
        team="" if organisation is not None else team,
        url=url.strip(),
        description=description.strip(),
        secret=signing.new_secret(),
        created_by=user,
    )
    endpoint.event_types = events
    endpoint.save()
    audit.record(
        actor=user,
        action="webhook_endpoint.created",
        obj=endpoint,
        after={"url": endpoint.url, "events": endpoint.event_types, "owner": endpoint.owner_name},
    )
    return endpoint


@transaction.atomic
def disable_endpoint(user, endpoint) -> Endpoint:
    """Stops deliveries to the endpoint: those still waiting fail at once.
    The endpoint and its deliveries stay on the record."""
    endpoint = Endpoint.objects.select_for_update().get(pk=endpoint.pk)
    require(user, "webhooks.manage_endpoint", endpoint)
    if not endpoint.is_active:
        raise DomainError("This endpoint is already disabled")
    endpoint.disabled_at = timezone.now()
    endpoint.disabled_by = user
    endpoint.save()
    stopped = endpoint.deliveries.filter(state=DeliveryState.QUEUED).update(
        state=DeliveryState.FAILED, last_error="The endpoint was disabled"
    )
    audit.record(actor=user, action="webhook_endpoint.disabled", obj=endpoint, after={"deliveries_stopped": stopped})
    return endpoint


@transaction.atomic
def replay_delivery(user, delivery, now=None) -> Delivery:
    """Sends a finished delivery (delivered or failed) again, as a new delivery
    of the same event (same Webhook-Id, so a receiver can tell it is the same
    event), to an endpoint that is still active."""
    now = now or timezone.now()
    delivery = Delivery.objects.select_related("endpoint", "event").get(pk=delivery.pk)
    require(user, "webhooks.manage_endpoint", delivery.endpoint)
    if not delivery.endpoint.is_active:
        raise DomainError("The endpoint is disabled: nothing can be sent to it")
    if delivery.state not in (DeliveryState.DELIVERED, DeliveryState.FAILED):
        raise DomainError("This delivery is still being sent: replay it once it has been delivered or has failed")
    replay = Delivery.objects.create(
        event=delivery.event,
        endpoint=delivery.endpoint,
        replay_of=delivery.replay_of or delivery,
        requested_by=user,
        created_at=now,
        next_attempt_at=now,
    )
    audit.record(
        actor=user,
        action="webhook_delivery.replayed",
        obj=replay,
        after={"event": str(delivery.event.uuid), "replays": delivery.pk},
    )
    queue_deliveries([replay.pk])
    return replay
