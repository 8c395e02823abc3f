"""What the cluster test relies on, proven in one process: a copy sent again
after a worker died mid-send carries the same Message-ID, a sweep stamps each
claim when it makes it, and the claim timeout and grace come from settings."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail

from notifications import sending
from notifications.mail import outbox_email
from notifications.models import EmailState, OutboundEmail

pytestmark = pytest.mark.django_db

START = datetime(2027, 2, 15, 9, 0, tzinfo=ZoneInfo("Europe/London"))


class WorkerKilled(BaseException):
    """Stands for SIGKILL: nothing after it runs, no handler catches it."""


def queued(count=1) -> list[OutboundEmail]:
    return OutboundEmail.objects.bulk_create(
        outbox_email(to=f"person{n}@example.org", template="t", subject=f"Email {n}", text_body="Hello.\n")
        for n in range(count)
    )


def test_the_settings_default_to_five_minutes_and_sixty_seconds(settings):
    assert (settings.OUTBOX_CLAIM_TIMEOUT_SECONDS, settings.OUTBOX_SWEEP_GRACE_SECONDS) == (300, 60)
    claim_timeout, grace = sending.CLAIM_TIMEOUT, sending.SWEEP_GRACE
    assert (claim_timeout, grace) == (timedelta(minutes=5), timedelta(seconds=60))


def test_the_message_id_is_one_per_row_and_names_the_site(settings):
    settings.SITE_URL = "https://awards.example.org"
    with time_machine.travel(START, tick=False):
        first, second = queued(2)
    assert sending.message_id(first) == f"<outbox.{first.pk}.{int(START.timestamp())}@awards.example.org>"
    assert sending.message_id(first) != sending.message_id(second)


def test_a_worker_killed_after_the_server_accepted_leaves_a_copy_with_the_same_message_id(monkeypatch):
    """The one window: the SMTP server accepted, the row was never marked
    sent. Once the claim times out the sweep sends it again; the receiver
    can tell the copy by its Message-ID."""
    with time_machine.travel(START, tick=False):
        (email,) = queued()

    def killed(*args, **kwargs):
        raise WorkerKilled

    with monkeypatch.context() as patch:
        patch.setattr(sending.timezone, "now", killed)  # the row's "sent" update never happens
        with pytest.raises(WorkerKilled):
            sending.send_outbound_email(email.pk, now=START)
    email.refresh_from_db()
    assert (email.state, len(mail.outbox)) == (EmailState.SENDING, 1)

    assert sending.send_pending_emails(now=START + sending.CLAIM_TIMEOUT - timedelta(seconds=1)) == 0
    assert sending.send_pending_emails(now=START + sending.CLAIM_TIMEOUT + timedelta(seconds=1)) == 1
    email.refresh_from_db()
    assert (email.state, email.attempts) == (EmailState.SENT, 2)
    assert [m.extra_headers["Message-ID"] for m in mail.outbox] == [sending.message_id(email)] * 2


def test_a_sweep_stamps_each_claim_when_it_makes_it(monkeypatch):
    """A sweep that spends ten minutes on each send must not leave the later
    rows' claims dated from its start: another sweep would take them for
    abandoned ones and send them again."""
    with time_machine.travel(START, tick=False) as traveller:
        emails = queued(3)
        traveller.shift(sending.SWEEP_GRACE + timedelta(seconds=1))
        real_send = sending.EmailMultiAlternatives.send

        def slow_send(self, fail_silently=False):
            traveller.shift(timedelta(minutes=10))
            return real_send(self, fail_silently)

        monkeypatch.setattr(sending.EmailMultiAlternatives, "send", slow_send)
        assert sending.send_pending_emails() == 3
    claims = sorted(OutboundEmail.objects.filter(pk__in=[e.pk for e in emails]).values_list("claimed_at", flat=True))
    assert [claims[1] - claims[0], claims[2] - claims[1]] == [timedelta(minutes=10)] * 2
    assert len(mail.outbox) == 3
