"""Thin Celery tasks: they take ids and call the sending code."""

from celery import shared_task

from . import sending


@shared_task(ignore_result=True)
def send_email(email_id: int) -> None:
    sending.send_outbound_email(email_id)


@shared_task(ignore_result=True)
def send_pending_emails() -> int:
    return sending.send_pending_emails()
