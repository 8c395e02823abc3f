"""Thin Celery tasks for judging."""

from celery import shared_task

from . import domain


@shared_task(ignore_result=True)
def notify_entrants_of_results() -> int:
    return domain.notify_entrants_of_results()
