"""Deliveries reach a real receiver on loopback exactly once per event and
endpoint: across a retry (500, then 200) and across a worker killed
mid-delivery; each is signed, and a tampered body fails verification."""

import json
from datetime import timedelta

import pytest
import time_machine
from django.db import transaction
from django.utils import timezone

from accreditation import domain as accreditation
from webhooks import sending, signing
from webhooks.enums import DeliveryState, EventType
from webhooks.models import Delivery, Event

from ..accreditation.test_accreditation import accredit
from .conftest import make_endpoint

pytestmark = pytest.mark.django_db


def test_an_accreditation_decision_is_delivered_once_signed(people, receiver, run_on_commit):
    endpoint = make_endpoint(receiver.url, organisation=people["provider"])
    with run_on_commit():
        accreditation_row = accredit(people)

    assert len(receiver.requests) == 1
    request = receiver.requests[0]
    event = Event.objects.get()
    assert request.headers["Webhook-Id"] == str(event.uuid)
    assert request.headers["Webhook-Event"] == "accreditation.status_changed"
    assert request.headers["Content-Type"] == "application/json"
    assert signing.verify(endpoint.secret, request.body, request.headers["Webhook-Signature"]) is True
    document = request.json
    assert document["id"] == str(event.uuid)
    assert document["type"] == "accreditation.status_changed"
    assert document["data"]["accreditation"] == {
        "number": accreditation_row.number,
        "status": "in_force",
        "status_label": "Accredited",
        "valid_from": accreditation_row.valid_from.isoformat(),
        "valid_to": accreditation_row.valid_to.isoformat(),
    }
    assert document["data"]["change"]["kind"] == "granted"
    assert document["data"]["course"]["title"] == people["course"].title
    assert document["data"]["course"]["provider"] == people["provider"].name
    delivery = Delivery.objects.get()
    assert (delivery.state, delivery.attempts, delivery.last_status_code) == (DeliveryState.DELIVERED, 1, 200)
    # Nothing is due: the sweep sends nothing more.
    assert sending.sweep() == 0
    assert len(receiver.requests) == 1


def test_a_tampered_body_or_another_secret_fails_verification(people, receiver, run_on_commit):
    endpoint = make_endpoint(receiver.url, organisation=people["provider"])
    with run_on_commit():
        accredit(people)
    request = receiver.requests[0]
    header = request.headers["Webhook-Signature"]
    document = request.json
    document["data"]["accreditation"]["status"] = "withdrawn"
    tampered = json.dumps(document, sort_keys=True, separators=(",", ":")).encode()
    assert tampered != request.body
    assert signing.verify(endpoint.secret, tampered, header) is False
    assert signing.verify(signing.new_secret(), request.body, header) is False
    # A signature replayed an hour later is refused, even with the right body.
    timestamp = int(header.split(",")[0].removeprefix("t="))
    assert signing.verify(endpoint.secret, request.body, header, now=timestamp + 3600) is False
    assert signing.verify(endpoint.secret, request.body, "nonsense") is False
    assert signing.verify(endpoint.secret, request.body, header, now=timestamp + 10) is True


def test_a_failed_attempt_is_retried_with_backoff_and_accepted_once(people, receiver, run_on_commit):
    endpoint = make_endpoint(receiver.url, organisation=people["provider"])
    receiver.answers = [500]
    start = timezone.now()
    with time_machine.travel(start, tick=False), run_on_commit():
        accredit(people)
    delivery = Delivery.objects.get()
    assert (delivery.state, delivery.attempts, delivery.last_status_code) == (DeliveryState.QUEUED, 1, 500)
    assert delivery.next_attempt_at == start + timedelta(minutes=1)
    assert "500" in delivery.last_error

    with time_machine.travel(start + timedelta(seconds=59), tick=False):
        assert sending.sweep() == 0
    with time_machine.travel(start + timedelta(seconds=61), tick=False):
        assert sending.sweep() == 1
        assert sending.sweep() == 0
    with time_machine.travel(start + timedelta(hours=1), tick=False):
        assert sending.sweep() == 0

    delivery.refresh_from_db()
    assert (delivery.state, delivery.attempts, delivery.last_status_code) == (DeliveryState.DELIVERED, 2, 200)
    assert delivery.last_error == ""
    assert len(receiver.requests) == 2
    assert len(receiver.accepted) == 1
    assert {r.headers["Webhook-Id"] for r in receiver.requests} == {str(delivery.event.uuid)}
    assert receiver.requests[0].body == receiver.requests[1].body
    assert all(signing.verify(endpoint.secret, r.body, r.headers["Webhook-Signature"]) for r in receiver.requests)


def test_a_delivery_left_claimed_by_a_killed_worker_is_sent_once_by_the_sweep(people, receiver):
    make_endpoint(receiver.url, organisation=people["provider"])
    start = timezone.now()
    # The change commits, but its task is never run: a worker claims the
    # delivery and is killed before it sends anything.
    with time_machine.travel(start, tick=False):
        accredit(people)
        delivery = Delivery.objects.get()
        assert sending.claim(delivery.pk, timezone.now()) is True
    delivery.refresh_from_db()
    assert (delivery.state, delivery.attempts) == (DeliveryState.SENDING, 1)

    # While the claim is fresh, neither the sweep nor a retried task sends it.
    with time_machine.travel(start + timedelta(minutes=4), tick=False):
        assert sending.sweep() == 0
        assert sending.deliver(delivery.pk) is False
    assert receiver.requests == []
    with time_machine.travel(start + timedelta(minutes=6), tick=False):
        assert sending.sweep() == 1
        assert sending.sweep() == 0
        assert sending.deliver(delivery.pk) is False
    delivery.refresh_from_db()
    assert (delivery.state, delivery.attempts) == (DeliveryState.DELIVERED, 2)
    assert len(receiver.requests) == 1
    assert receiver.requests[0].headers["Webhook-Id"] == str(delivery.event.uuid)


def test_a_lost_task_is_sent_by_the_sweep_after_the_grace(people, receiver):
    make_endpoint(receiver.url, organisation=people["provider"])
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        accredit(people)  # on_commit never runs here: the broker was down
    with time_machine.travel(start + timedelta(seconds=30), tick=False):
        assert sending.sweep() == 0
    with time_machine.travel(start + timedelta(seconds=90), tick=False):
        assert sending.sweep() == 1
    assert len(receiver.accepted) == 1


def test_after_the_last_attempt_the_delivery_fails_for_good(people, receiver, run_on_commit):
    make_endpoint(receiver.url, organisation=people["provider"])
    receiver.answers = [503] * sending.MAX_ATTEMPTS
    start = timezone.now()
    with time_machine.travel(start, tick=False), run_on_commit():
        accredit(people)
    waits = []
    at = start
    for _ in range(sending.MAX_ATTEMPTS - 1):
        delivery = Delivery.objects.get()
        waits.append(delivery.next_attempt_at - at)
        at = delivery.next_attempt_at
        with time_machine.travel(at, tick=False):
            assert sending.sweep() == 1
    delivery = Delivery.objects.get()
    assert waits == [timedelta(minutes=2**n) for n in range(sending.MAX_ATTEMPTS - 1)]
    assert (delivery.state, delivery.attempts, delivery.last_status_code) == (
        DeliveryState.FAILED,
        sending.MAX_ATTEMPTS,
        503,
    )
    with time_machine.travel(at + timedelta(days=1), tick=False):
        assert sending.sweep() == 0
    assert len(receiver.requests) == sending.MAX_ATTEMPTS
    assert receiver.accepted == []


def test_nothing_is_written_without_a_subscriber_nor_when_the_change_rolls_back(people, receiver, run_on_commit):
    make_endpoint(receiver.url, organisation=people["provider"], events=[EventType.RESULTS_ANNOUNCED])
    with run_on_commit():
        accreditation_row = accredit(people)
    assert Event.objects.count() == 0
    make_endpoint(receiver.url, organisation=people["provider"], events=[EventType.ACCREDITATION_STATUS_CHANGED])
    with run_on_commit(), transaction.atomic():
        accreditation.suspend(people["assessor"], accreditation_row, reason="Complaint being looked into")
        transaction.set_rollback(True)
    assert Event.objects.count() == 0
    assert Delivery.objects.count() == 0
    assert receiver.requests == []
