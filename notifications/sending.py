"""Sending emails from the outbox.

Each send first claims the row with a conditional UPDATE and checks the
count (as healthchecks' sendalerts does), so two workers, a retried task and
the sweep never send the same row twice.

The one window left: a worker killed (or cut off from the database) after
the SMTP server accepted the message but before the row was marked sent.
Nothing on our side can know the message left, so once the claim times out
(CLAIM_TIMEOUT) the sweep sends it again: at-least-once, never lost. The
window is the few milliseconds between the server's "250 OK" and one UPDATE,
and the second copy carries the same Message-ID as the first (message_id:
one per outbox row, whichever worker or attempt sends it), so a receiving
mail system that de-duplicates by Message-ID (most do) shows it once. The
cluster test (tests/cluster) kills a worker mid-batch and counts copies by
Message-ID.
"""

import base64
import logging
from datetime import timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db.models import F, Q
from django.utils import timezone

from .models import EmailState, OutboundEmail

logger = logging.getLogger(__name__)

# A row claimed longer ago than this was left by a worker that died
# mid-send; the sweep claims it again. Far longer than any SMTP send, so a
# slow send is never taken for a dead one (settings: 5 minutes by default).
CLAIM_TIMEOUT = timedelta(seconds=settings.OUTBOX_CLAIM_TIMEOUT_SECONDS)
# Rows queued more recently are left to the task already published for them
# (settings: 60 s by default).
SWEEP_GRACE = timedelta(seconds=settings.OUTBOX_SWEEP_GRACE_SECONDS)
MAX_ATTEMPTS = 5


def claim(email_id: int, now=None) -> bool:
    now = now or timezone.now()
    claimable = Q(state=EmailState.QUEUED) | Q(state=EmailState.SENDING, claimed_at__lt=now - CLAIM_TIMEOUT)
    updated = OutboundEmail.objects.filter(claimable, pk=email_id).update(
        state=EmailState.SENDING, claimed_at=now, attempts=F("attempts") + 1
    )
    return updated == 1


def send_outbound_email(email_id: int, now=None) -> bool:
    """Send one claimed email; returns whether this call sent it."""
    if not claim(email_id, now):
        return False
    email = OutboundEmail.objects.get(pk=email_id)
    message = EmailMultiAlternatives(
        subject=email.subject, body=email.text_body, to=[email.to], headers={"Message-ID": message_id(email)}
    )
    if email.html_body:
        message.attach_alternative(email.html_body, "text/html")
    for attachment in email.attachments:
        message.attach(attachment["filename"], base64.b64decode(attachment["content_b64"]), attachment["mimetype"])
    try:
        message.send()
    except Exception as error:
        state = EmailState.FAILED if email.attempts >= MAX_ATTEMPTS else EmailState.QUEUED
        OutboundEmail.objects.filter(pk=email_id).update(
            state=state, last_error=str(error)[:2000], **(_blanked(email) if state == EmailState.FAILED else {})
        )
        logger.warning("Email %s failed (attempt %s): %s", email_id, email.attempts, error)
        return False
    OutboundEmail.objects.filter(pk=email_id).update(
        state=EmailState.SENT, sent_at=timezone.now(), last_error="", **_blanked(email)
    )
    return True


def message_id(email) -> str:
    """The same for every attempt at one outbox row (the row's id and the
    instant it was queued, at the site's host), so a copy sent again after a
    worker died mid-send can be recognised as the same message."""
    host = urlsplit(settings.SITE_URL).hostname or "localhost"
    return f"<outbox.{email.pk}.{int(email.created_at.timestamp())}@{host}>"


BLANKED = "[Not kept: this email held a link or code for signing in, resetting a password or accepting an invitation.]"


def _blanked(email) -> dict:
    """What replaces a secret-holding email's bodies once it is done with."""
    if not email.holds_secret:
        return {}
    return {"text_body": BLANKED, "html_body": "", "attachments": []}


def send_pending_emails(now=None) -> int:
    """Send rows whose task was lost (broker down) or whose worker died.

    Each claim is stamped when it is made, not when the sweep started: a
    sweep working through a long backlog must not leave claims that look
    older than they are, which another sweep would take for abandoned ones
    and send again (`now`, given by tests, stands for every instant)."""
    cutoff = now or timezone.now()
    due = OutboundEmail.objects.filter(
        Q(state=EmailState.QUEUED, created_at__lt=cutoff - SWEEP_GRACE)
        | Q(state=EmailState.SENDING, claimed_at__lt=cutoff - CLAIM_TIMEOUT)
    ).values_list("pk", flat=True)
    return sum(send_outbound_email(pk, now) for pk in list(due[:500]))
