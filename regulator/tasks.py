"""Thin Celery tasks for the regulator's directory."""

from celery import shared_task

from . import domain, importer


@shared_task(ignore_result=True)
def run_import(job_id: int) -> None:
    """Imports the file; once it is in, entries are re-checked against it."""
    job = importer.run(job_id)
    if job.state == job.STATES.DONE:
        domain.recheck_entries()
