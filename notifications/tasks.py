"""Thin Celery tasks: they take ids (or a sweep's name) and call the sending code."""

from celery import shared_task
from celery.schedules import crontab

from . import registry, sending


@shared_task(ignore_result=True)
def send_email(email_id: int) -> None:
    sending.send_outbound_email(email_id)


@shared_task(ignore_result=True)
def send_pending_emails() -> int:
    return sending.send_pending_emails()


@shared_task(ignore_result=True)
def run_sweep(name: str) -> int:
    """Runs a reminder sweep an app declared in its reminders.py (registry.sweep)."""
    return registry.SWEEPS[name].run()


def beat_schedule() -> dict:
    """This app's periodic jobs: the outbox sweep, which sends what was not
    handed to a worker, and each reminder sweep the apps declare."""
    return {
        "send-unsent-outbox-emails": {
            "task": "notifications.tasks.send_pending_emails",
            "schedule": crontab(minute="*"),
        },
        **{
            sweep.name: {"task": "notifications.tasks.run_sweep", "schedule": sweep.schedule, "args": [sweep.name]}
            for sweep in registry.SWEEPS.values()
        },
    }
