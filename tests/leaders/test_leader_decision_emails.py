"""A leader hears when a completion is verified or rejected (leaders.domain)."""

from datetime import date

import pytest
from django.core import mail

from leaders import domain as leaders
from notifications.models import OutboundEmail

from ..factories import make_user

pytestmark = pytest.mark.django_db


def test_the_leader_is_told_when_a_completion_is_verified(social, staff, run_on_commit, settings):
    leader = make_user(email="verified@example.org", full_name="Sam Okafor")
    completion = leaders.record_completion(leader, course=social, completed_on=date(2021, 3, 4))
    with run_on_commit():
        leaders.verify_completion(staff, completion)
    email = OutboundEmail.objects.get(template="completion_decided")
    assert email.to == "verified@example.org"
    assert email.recipient == leader
    assert (
        email.subject
        == f"Your completion of Directors' leadership programme has been verified – {settings.SERVICE_NAME}"
    )
    assert email.text_body.startswith("Dear Sam Okafor,\n")
    assert "Leadership Learning Partnership has verified your completion of Directors' leadership programme" in (
        email.text_body
    )
    assert "on 4 March 2021" in email.text_body
    assert f"leadership portfolio on the {settings.SERVICE_NAME}" in email.text_body
    assert "Reason:" not in email.text_body
    assert "<p>Dear Sam Okafor,</p>" in email.html_body
    # Handed to the mailer once the transaction committed.
    assert [m.to for m in mail.outbox] == [["verified@example.org"]]


def test_the_leader_is_told_why_a_completion_is_rejected(social, staff, run_on_commit):
    leader = make_user(email="rejected@example.org", full_name="Ade Jones")
    completion = leaders.record_completion(leader, course=social, completed_on=date(2021, 3, 4))
    with run_on_commit():
        leaders.reject_completion(staff, completion, reason="  The certificate is for another person  ")
    email = OutboundEmail.objects.get(template="completion_decided")
    assert email.to == "rejected@example.org"
    assert email.subject.startswith("Your completion of Directors' leadership programme could not be verified")
    assert "Reason: The certificate is for another person\n" in email.text_body
    assert "Reason: The certificate is for another person" in email.html_body


def test_nothing_is_sent_when_the_decision_is_refused(social, staff):
    leader = make_user(email="refused@example.org")
    completion = leaders.record_completion(leader, course=social, completed_on=date(2021, 3, 4))
    leaders.verify_completion(staff, completion)
    with pytest.raises(Exception, match="already been decided"):
        leaders.reject_completion(staff, completion, reason="Too late")
    assert OutboundEmail.objects.filter(template="completion_decided").count() == 1
    # Withdrawing is the leader's own act: no email.
    other = leaders.record_completion(leader, course=social, completed_on=date(2021, 3, 5))
    leaders.withdraw_completion(leader, other)
    assert OutboundEmail.objects.filter(template="completion_decided").count() == 1
