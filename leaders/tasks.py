"""Thin Celery tasks for leaders."""

from celery import shared_task

from . import reminders


@shared_task(ignore_result=True)
def sweep_dass_deadlines() -> int:
    return reminders.sweep_dass_deadlines()


@shared_task(ignore_result=True)
def sweep_verification_digest() -> int:
    return reminders.sweep_verification_digest()
