"""Thin Celery tasks: they take ids and call the sending code."""

from celery import shared_task
from celery.schedules import crontab

from . import sending


@shared_task(ignore_result=True)
def deliver(delivery_id: int) -> None:
    sending.deliver(delivery_id)


@shared_task(ignore_result=True)
def sweep_deliveries() -> int:
    return sending.sweep()


def beat_schedule() -> dict:
    """Every minute: retries whose backoff has passed, deliveries whose task
    was lost and deliveries left claimed by a worker that died."""
    return {
        "send-due-webhook-deliveries": {
            "task": "webhooks.tasks.sweep_deliveries",
            "schedule": crontab(minute="*"),
        }
    }
