"""The email outbox: written in the caller's transaction, sent once, never lost."""

from datetime import timedelta

import pytest
from django.core import mail
from django.db import transaction
from django.utils import timezone

from notifications import sending
from notifications.mail import queue_email
from notifications.models import EmailState, OutboundEmail

from ..factories import make_provider, make_user

pytestmark = pytest.mark.django_db


def queue_one(to="someone@example.org"):
    admin, organisation = make_provider("Riverside Care")
    return queue_email(
        to=to,
        template="join_request_received",
        context={"organisation": organisation, "requester": admin, "message": "hello"},
    )


def test_email_is_rendered_from_subject_text_and_html_templates(run_on_commit):
    with run_on_commit():
        email = queue_one()
    assert len(mail.outbox) == 1
    sent = mail.outbox[0]
    assert sent.subject == email.subject
    assert "asks to join Riverside Care" in sent.subject
    assert "Their message: hello" in sent.body
    assert sent.alternatives[0].mimetype == "text/html"
    assert "<p>Their message: hello</p>" in sent.alternatives[0].content
    email.refresh_from_db()
    assert (email.state, email.attempts) == (EmailState.SENT, 1)


def test_nothing_is_sent_when_the_transaction_rolls_back(run_on_commit):
    with run_on_commit(), pytest.raises(RuntimeError), transaction.atomic():
        queue_one()
        raise RuntimeError("the change failed")
    assert mail.outbox == []
    assert OutboundEmail.objects.count() == 0


def test_broker_down_leaves_the_email_for_the_sweep(run_on_commit, monkeypatch, caplog):
    from notifications import tasks

    def broker_down(*args, **kwargs):
        raise ConnectionRefusedError("redis is down")

    monkeypatch.setattr(tasks.send_email, "delay", broker_down)
    with run_on_commit():
        email = queue_one()
    assert mail.outbox == []
    email.refresh_from_db()
    assert email.state == EmailState.QUEUED
    assert "waits for the outbox sweep" in caplog.text

    # Within the grace period the sweep leaves it to the published task...
    assert sending.send_pending_emails(now=timezone.now()) == 0
    # ...after it, the sweep sends it, once.
    later = timezone.now() + sending.SWEEP_GRACE + timedelta(seconds=1)
    assert sending.send_pending_emails(now=later) == 1
    assert sending.send_pending_emails(now=later) == 0
    assert len(mail.outbox) == 1


def test_a_claimed_email_is_not_sent_twice():
    email = queue_one()
    assert sending.send_outbound_email(email.pk) is True
    assert sending.send_outbound_email(email.pk) is False
    assert len(mail.outbox) == 1


def test_a_claim_abandoned_by_a_dead_worker_is_retried_once():
    email = queue_one()
    claimed_at = timezone.now() - sending.CLAIM_TIMEOUT - timedelta(seconds=1)
    OutboundEmail.objects.filter(pk=email.pk).update(state=EmailState.SENDING, claimed_at=claimed_at, attempts=1)
    # A fresh claim by a live worker is left alone.
    OutboundEmail.objects.create(
        to="busy@example.org",
        template="t",
        subject="s",
        text_body="b",
        state=EmailState.SENDING,
        claimed_at=timezone.now(),
    )
    assert sending.send_pending_emails() == 1
    assert sending.send_pending_emails() == 0
    assert [m.to for m in mail.outbox] == [["someone@example.org"]]
    email.refresh_from_db()
    assert (email.state, email.attempts) == (EmailState.SENT, 2)


def test_a_failed_send_is_retried_then_marked_failed(monkeypatch):
    email = queue_one()

    def smtp_down(self, fail_silently=False):
        raise OSError("SMTP refused")

    monkeypatch.setattr("django.core.mail.EmailMultiAlternatives.send", smtp_down)
    assert sending.send_outbound_email(email.pk) is False
    email.refresh_from_db()
    assert (email.state, email.attempts, email.last_error) == (EmailState.QUEUED, 1, "SMTP refused")
    for _ in range(sending.MAX_ATTEMPTS - 1):
        sending.send_outbound_email(email.pk)
    email.refresh_from_db()
    assert (email.state, email.attempts) == (EmailState.FAILED, sending.MAX_ATTEMPTS)
    assert sending.send_outbound_email(email.pk) is False


def test_recipient_is_linked_when_known(run_on_commit):
    person = make_user(email="linked@example.org")
    admin, organisation = make_provider("Riverside Care")
    with run_on_commit():
        queue_email(
            to=person.email,
            recipient=person,
            template="join_request_received",
            context={"organisation": organisation, "requester": admin, "message": ""},
        )
    assert list(person.emails_received.values_list("state", flat=True)) == [EmailState.SENT]
