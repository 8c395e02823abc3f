"""Thin Celery tasks for judging. Reminder sweeps are declared in reminders.py."""

from celery import shared_task
from celery.schedules import crontab

from . import domain


@shared_task(ignore_result=True)
def notify_entrants_of_results() -> int:
    return domain.notify_entrants_of_results()


def beat_schedule() -> dict:
    return {
        "notify-entrants-when-results-are-announced": {
            "task": "judging.tasks.notify_entrants_of_results",
            "schedule": crontab(minute="*"),
        },
    }
