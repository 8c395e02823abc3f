"""Thin Celery tasks: they take ids and call core's code."""

from celery import shared_task

from . import export_jobs


@shared_task(ignore_result=True)
def run_export(job_id: int) -> None:
    export_jobs.run(job_id)
