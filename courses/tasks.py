"""Thin Celery tasks for the course register."""

from celery import shared_task

from . import importer


@shared_task(ignore_result=True)
def run_import(job_id: int) -> None:
    importer.run(job_id)
