"""Thin Celery tasks for accreditation."""

from celery import shared_task

from . import domain, reminders


@shared_task(ignore_result=True)
def sync_courses_due_today() -> int:
    """Accreditations start and end on dates: once a day the register's copy
    is refreshed for courses whose periods began or ended since yesterday."""
    return domain.sync_changed_courses()


@shared_task(ignore_result=True)
def sweep_accreditation_expiry() -> int:
    return reminders.sweep_accreditation_expiry()


@shared_task(ignore_result=True)
def sweep_conditions() -> int:
    return reminders.sweep_conditions()
