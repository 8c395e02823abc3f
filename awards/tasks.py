"""Thin Celery tasks for awards."""

from celery import shared_task

from . import reminders, retention


@shared_task(ignore_result=True)
def sweep_nomination_close() -> int:
    return reminders.sweep_nomination_close()


@shared_task(ignore_result=True)
def delete_old_evidence() -> int:
    return retention.delete_old_evidence()
