"""Thin Celery tasks for awards. Reminder sweeps are declared in reminders.py."""

from celery import shared_task
from celery.schedules import crontab

from . import retention


@shared_task(ignore_result=True)
def delete_old_evidence() -> int:
    return retention.delete_old_evidence()


def beat_schedule() -> dict:
    return {
        "delete-evidence-of-old-cycles": {
            "task": "awards.tasks.delete_old_evidence",
            "schedule": crontab(hour=2, minute=0),
        },
    }
