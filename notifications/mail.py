"""Queue an email: render it now, write it to the outbox, hand it to Celery
once the surrounding transaction commits."""

import logging

from django.conf import settings
from django.db import transaction
from django.template import Context
from django.template.loader import get_template, render_to_string

from .models import OutboundEmail

logger = logging.getLogger(__name__)


def render_plain_text(name: str, context: dict) -> str:
    """A plain-text template rendered without HTML escaping: "O'Brien" stays
    "O'Brien", never "O&#x27;Brien" (the subject and text body are not HTML)."""
    return get_template(name).template.render(Context(context, autoescape=False))


def render_email(template: str, context: dict) -> tuple[str, str, str]:
    """Each email is three templates: `<template>_subject.txt`, `_body.txt`, `_body.html`."""
    context = {"service_name": settings.SERVICE_NAME, "site_url": settings.SITE_URL, **context}
    subject = " ".join(render_plain_text(f"email/{template}_subject.txt", context).split())
    text = render_plain_text(f"email/{template}_body.txt", context).strip() + "\n"
    html = render_to_string(f"email/{template}_body.html", context)
    return subject, text, html


def queue_email(
    *, to: str, template: str, context: dict, recipient=None, attachments=None, holds_secret=False
) -> OutboundEmail:
    subject, text, html = render_email(template, context)
    return queue_rendered_email(
        to=to,
        template=template,
        subject=subject,
        text_body=text,
        html_body=html,
        recipient=recipient,
        attachments=attachments,
        holds_secret=holds_secret,
    )


def queue_rendered_email(**fields) -> OutboundEmail:
    """Queue one email already rendered; `fields` are outbox_email's."""
    email = outbox_email(**fields)
    queue_outbox([email])
    return email


def outbox_email(
    *, to, template, subject, text_body, html_body="", recipient=None, attachments=None, holds_secret=False
) -> OutboundEmail:
    """An outbox row, not yet written: queue_outbox writes it. `holds_secret`:
    it carries a sign-in, reset or invitation link, blanked once sent."""
    return OutboundEmail(
        to=to,
        recipient=recipient,
        template=template,
        subject=subject,
        text_body=text_body,
        html_body=html_body,
        attachments=attachments or [],
        holds_secret=holds_secret,
    )


def queue_outbox(emails: list[OutboundEmail]) -> None:
    """Write emails to the outbox in one insert and hand them to the workers
    once the surrounding transaction commits."""
    OutboundEmail.objects.bulk_create(emails)
    email_ids = [email.pk for email in emails]
    transaction.on_commit(lambda: [hand_to_worker(email_id) for email_id in email_ids])


def hand_to_worker(email_id: int) -> None:
    """Publish the send task; a broker that is down must not break the request."""
    from .tasks import send_email

    try:
        send_email.delay(email_id)
    except Exception:  # kombu raises several connection error types
        logger.warning("Broker unavailable; email %s waits for the outbox sweep", email_id, exc_info=True)
