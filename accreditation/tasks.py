"""Thin Celery tasks for accreditation. Reminder sweeps are declared in reminders.py."""

from celery import shared_task
from celery.schedules import crontab

from . import domain


@shared_task(ignore_result=True)
def sync_courses_due_today() -> int:
    """Accreditations start and end on dates: once a day the register's copy
    is refreshed for courses whose periods began or ended since yesterday."""
    return domain.sync_changed_courses()


def beat_schedule() -> dict:
    return {
        "refresh-course-accreditation-each-day": {
            "task": "accreditation.tasks.sync_courses_due_today",
            "schedule": crontab(hour=0, minute=5),
        },
    }
