"""Thin Celery tasks for judging."""

from celery import shared_task

from . import domain, reminders


@shared_task(ignore_result=True)
def notify_entrants_of_results() -> int:
    return domain.notify_entrants_of_results()


@shared_task(ignore_result=True)
def sweep_scoring_deadline() -> int:
    return reminders.sweep_scoring_deadline()


@shared_task(ignore_result=True)
def sweep_site_visits() -> int:
    return reminders.sweep_site_visits()
