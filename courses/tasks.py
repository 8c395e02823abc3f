"""Thin Celery tasks for the course register."""

from celery import shared_task
from celery.schedules import crontab

from . import importer, open_data


@shared_task(ignore_result=True)
def run_import(job_id: int) -> None:
    importer.run(job_id)


@shared_task(ignore_result=True)
def publish_open_data() -> None:
    """The day's open data (courses.open_data.publish): idempotent, so a
    delivery twice or a run on a day when nothing changed changes nothing."""
    open_data.publish()


def beat_schedule() -> dict:
    # After accreditation's daily refresh (00:05), so the register's copy of
    # each accreditation is the day's.
    return {
        "publish-open-data-each-day": {
            "task": "courses.tasks.publish_open_data",
            "schedule": crontab(hour=0, minute=30),
        },
    }
