"""Each event is emitted by its domain function, to its audience only, with
only what that audience may see."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from accreditation import domain as accreditation
from awards.models import Nomination
from judging import domain as judging
from leaders import domain as leaders
from leaders.models import Completion
from webhooks.enums import EventType, Team
from webhooks.models import Delivery, Event

from ..accreditation.test_accreditation import accredit
from ..factories import make_judging_world, make_user
from ..judging.test_judging_decisions import full_cycle_to_sign_off
from .conftest import make_endpoint

pytestmark = pytest.mark.django_db


def test_suspension_reinstatement_and_withdrawal_each_tell_every_subscriber(people, receiver, run_on_commit):
    own = make_endpoint(receiver.url, organisation=people["provider"], events=[EventType.ACCREDITATION_STATUS_CHANGED])
    # A public event: another organisation's endpoint and a staff team's hear of it too.
    other = make_endpoint(receiver.url, organisation=people["other_provider"])
    team = make_endpoint(receiver.url, team=Team.AWARDS, events=[EventType.ACCREDITATION_STATUS_CHANGED])
    make_endpoint(receiver.url, organisation=people["other_provider"], events=[EventType.COMPLETION_VERIFIED])
    row = accredit(people)
    with run_on_commit():
        accreditation.suspend(people["assessor"], row, reason="Complaint being looked into")
    with run_on_commit():
        accreditation.reinstate(people["assessor"], row, reason="Complaint resolved")
    with run_on_commit():
        accreditation.withdraw(people["assessor"], row, reason="Course closed")

    changes = [
        (e.payload["change"]["kind"], e.payload["accreditation"]["status"])
        for e in Event.objects.order_by("created_at", "pk")
    ]
    assert changes == [
        ("granted", "in_force"),
        ("suspended", "suspended"),
        ("reinstated", "in_force"),
        ("withdrawn", "withdrawn"),
    ]
    for endpoint in (own, other, team):
        assert endpoint.deliveries.count() == 4
    assert Delivery.objects.count() == 12
    # The first (granted) was not handed over here; the three others were, once each.
    assert len(receiver.accepted) == 9
    # Public facts only: no reason for the suspension or withdrawal.
    assert all("Complaint" not in r.body.decode() and "closed" not in r.body.decode() for r in receiver.requests)


def test_a_refused_application_emits_nothing(people, receiver):
    make_endpoint(receiver.url, organisation=people["provider"])
    from accreditation.models import Criterion

    application = accreditation.start_application(people["user"], people["course"])
    accreditation.save_answers(people["user"], application, {c.pk: "How" for c in Criterion.objects.all()})
    accreditation.submit_application(people["user"], application)
    accreditation.assign_assessor(people["other_staff"], application, people["assessor"])
    accreditation.record_assessment(
        people["assessor"], application, {c.pk: ("not_met", "No") for c in Criterion.objects.all()}
    )
    accreditation.decide(people["assessor"], application, decision="refused", reasons="Criteria not met")
    assert Event.objects.count() == 0


def test_a_verified_completion_goes_to_the_course_provider_and_the_academy_only(people, receiver, run_on_commit):
    own = make_endpoint(receiver.url, organisation=people["provider"], events=[EventType.COMPLETION_VERIFIED])
    academy = make_endpoint(receiver.url, team=Team.ACADEMY, events=[EventType.COMPLETION_VERIFIED])
    other = make_endpoint(receiver.url, organisation=people["other_provider"], events=[EventType.COMPLETION_VERIFIED])
    leader = make_user(email="leader@example.org", full_name="Sam Leader")
    completion = Completion.objects.create(
        leader=leader, course=people["course"], completed_on=timezone.localdate() - timedelta(days=3)
    )
    rejected = Completion.objects.create(
        leader=leader, course=people["course"], completed_on=timezone.localdate() - timedelta(days=40)
    )
    with run_on_commit():
        leaders.verify_completion(people["user"], completion)
        leaders.reject_completion(people["user"], rejected, reason="Not on our attendance list")

    event = Event.objects.get()
    completion.refresh_from_db()
    assert event.type == EventType.COMPLETION_VERIFIED
    assert event.payload == {
        "completion": {
            "id": completion.pk,
            "completed_on": completion.completed_on.isoformat(),
            "verified_at": completion.decided_at.isoformat(),
        },
        "course": {"id": people["course"].pk, "title": people["course"].title},
        "leader": {"name": "Sam Leader"},
    }
    assert "leader@example.org" not in str(event.payload)
    assert sorted(Delivery.objects.values_list("endpoint", flat=True)) == sorted([own.pk, academy.pk])
    assert other.deliveries.count() == 0
    assert len(receiver.accepted) == 2


def test_results_are_announced_once_with_what_the_public_winners_page_shows(client, receiver, run_on_commit):
    world = make_judging_world()
    endpoint = make_endpoint(receiver.url, team=Team.AWARDS, events=[EventType.RESULTS_ANNOUNCED])
    winner = full_cycle_to_sign_off(world)
    # The winner did not consent to publication: the public sees an unnamed service.
    Nomination.objects.filter(pk=winner.pk).update(consent_to_publish=False)
    judging.approve_results(world["admin"], world["cycle"], early_reason="The test cycle runs early")
    instant = world["cycle"].winners_announced
    # Approval is not announcement: nothing is emitted under embargo.
    assert Event.objects.count() == 0
    with time_machine.travel(instant - timedelta(seconds=1), tick=False):
        judging.notify_entrants_of_results()
    assert Event.objects.count() == 0

    with time_machine.travel(instant + timedelta(seconds=1), tick=False):
        with run_on_commit():
            judging.notify_entrants_of_results()
        judging.notify_entrants_of_results()
        page = client.get(f"/winners/{world['cycle'].pk}/").content.decode()

    event = Event.objects.get()
    assert endpoint.deliveries.count() == 1
    assert len(receiver.accepted) == 1
    data = receiver.accepted[0].json["data"]
    assert data["cycle"]["id"] == world["cycle"].pk
    [category] = data["categories"]
    assert category["name"] == world["category"].name
    [award] = category["awards"]
    assert award == {
        "award": "winner",
        "award_label": "Winner",
        "reference": winner.reference,
        "heading": f"A {winner.organisation.get_sector_display().lower()} sector service",
        "service": "",
        "organisation": "",
        "citation": "A home where residents lead.",
    }
    assert award["heading"] in page and award["citation"] in page
    assert winner.organisation.name not in receiver.accepted[0].body.decode()
    assert winner.service_name not in receiver.accepted[0].body.decode()
    assert event.payload == data
