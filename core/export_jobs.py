"""Exports too large to build within a request run in the background.

An app declares each export it offers as a kind, in its own exports.py,
which core finds when Django starts (CoreConfig.ready), as notifications
finds each app's reminders.py:

    NOMINATIONS = export_kind(ExportKind(code="awards.nominations", ...))

`export_response` answers a staff list's export link. Up to
settings.EXPORT_BACKGROUND_ROWS rows, it is the file itself, built as it is
sent (core.exports). Beyond that, `queue_export` records an ExportJob and a
Celery worker builds the file (core.tasks.run_export -> `run`) into private
storage under exports/; the owner follows the job's page, gets an email
when the file is ready, and downloads it through a view that asks the
permission again. Each app's daily sweep (`expire`) deletes its kinds'
files EXPORT_KEEP_DAYS after they were made.

A kind that is not a table (the press pack, a ZIP) brings its own `build`,
which writes the whole file to a temporary file on disk, and may bring
`withheld`, asked again at each download and on the job's page: a reason the
file may no longer be given out (the results it holds were withdrawn), or ""
when it may; and `downloaded`, which records each download.

core imports no app: a kind brings the functions of the layers above that a
job needs (the outbox's queue_email, the audit log's record).
"""

import logging
import secrets
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import timedelta
from typing import BinaryIO

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.files import File
from django.db import transaction
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.module_loading import autodiscover_modules

from .enums import EXPORT_TRANSITIONS, ExportFormat, ExportState
from .exports import table_response, write_table
from .models import ExportJob
from .permissions import require
from .states import move_all, sources
from .uploads import STORAGE_ERRORS

logger = logging.getLogger(__name__)

# How long a finished export's file is kept.
EXPORT_KEEP_DAYS = 7
# A job no worker has finished after this long has failed (broker down, worker killed).
STALE_AFTER = timedelta(hours=2)
# ExportJob.kind's max_length.
CODE_LENGTH = 40


@dataclass(frozen=True)
class ExportKind:
    code: str  # stored on each job: never change or reuse one
    label: str  # "nominations", shown on the job's page and in the email
    permission: str  # asked to export, and again to download the file
    filename: str  # the file's name before its date and extension
    list_url: str  # the URL name of the page the export is asked from
    queue_email: Callable  # notifications.mail.queue_email
    audit: Callable  # accounts.audit.record
    # What a row_count counts, in the email and on the job's page.
    unit: str = "row"
    # A table: its header, and its rows for the job's parameters.
    header: tuple[str, ...] = ()
    count: Callable[[dict], int] | None = None  # rows for these parameters (one query)
    rows: Callable[[dict], Iterable] | None = None  # the rows, read a chunk at a time
    # Any other file: build(job, handle) writes it to the binary file `handle`
    # and returns how many records it holds.
    build: Callable[[ExportJob, BinaryIO], int] | None = None
    # withheld(job): why its file may no longer be downloaded, or "".
    withheld: Callable[[ExportJob], str] | None = None
    # downloaded(user, job): records a download (e.g. who took the press pack).
    downloaded: Callable | None = None


KINDS: dict[str, ExportKind] = {}


def export_kind(kind: ExportKind) -> ExportKind:
    """Declares an export kind (in an app's exports.py)."""
    if not kind.code or len(kind.code) > CODE_LENGTH:
        raise ImproperlyConfigured(f"An export kind's code has 1 to {CODE_LENGTH} characters: {kind.code!r}")
    if (kind.build is None) == (kind.rows is None):
        raise ImproperlyConfigured(f"The export kind {kind.code!r} needs either rows (a table) or build (a file)")
    if KINDS.get(kind.code, kind) is not kind:
        raise ImproperlyConfigured(f"The export kind {kind.code!r} is declared twice")
    KINDS[kind.code] = kind
    return kind


def discover() -> None:
    """Imports each installed app's exports module: its declarations register."""
    autodiscover_modules("exports")


def export_response(user, kind: ExportKind, parameters: dict, fmt: str):
    """The file itself when it is small enough to build within the request;
    otherwise a queued job and a redirect to its page."""
    require(user, kind.permission)
    stem = f"{kind.filename}-{timezone.localdate():%Y-%m-%d}"
    if kind.count(parameters) <= settings.EXPORT_BACKGROUND_ROWS:
        return table_response(list(kind.header), kind.rows(parameters), stem, fmt)
    job = queue_export(user, kind, parameters, fmt, filename=f"{stem}.{fmt}")
    return redirect("core:export_job", pk=job.pk)


def queue_export(user, kind: ExportKind, parameters: dict, fmt: str, *, filename: str) -> ExportJob:
    """Records the job and hands it to a worker once the transaction commits."""
    require(user, kind.permission)
    if fmt not in ExportFormat.values:
        raise ValueError(f"Not an export format: {fmt!r}")
    with transaction.atomic():
        job = ExportJob.objects.create(owner=user, kind=kind.code, parameters=parameters, format=fmt, filename=filename)
        kind.audit(
            actor=user,
            action="core.export_queued",
            obj=job,
            after={"kind": kind.code, "format": fmt, "parameters": parameters},
        )
        transaction.on_commit(lambda: _hand_to_worker(job.pk))
    return job


def _hand_to_worker(job_id: int) -> None:
    """A broker that is down must not break the request: the job then fails
    at the sweep after STALE_AFTER, and its page says to ask again."""
    from .tasks import run_export

    try:
        run_export.delay(job_id)
    except Exception:  # kombu raises several connection error types
        logger.warning("Broker unavailable; export job %s stays queued", job_id, exc_info=True)


def _move(job_id: int, state, **changes) -> int:
    return move_all(ExportJob.objects.filter(pk=job_id), state, EXPORT_TRANSITIONS, **changes)


def run(job_id: int) -> bool:
    """Builds the job's file (in a worker). Claimed by a conditional update,
    so a task delivered twice builds once and emails once. True if built."""
    if not _move(job_id, ExportState.RUNNING, started_at=timezone.now()):
        return False
    job = ExportJob.objects.select_related("owner").get(pk=job_id)
    kind = KINDS.get(job.kind)
    if kind is None or job.owner is None or not job.owner.has_perm(kind.permission):
        # No longer declared, or its owner has gone or lost the permission.
        _fail(job_id)
        return False
    try:
        name, count = _write(job, kind)
    except Exception:
        # The cause goes to the worker's log; the page says to ask again.
        logger.exception("Export job %s failed", job_id)
        _fail(job_id)
        return False
    finished = timezone.now()
    with transaction.atomic():
        done = _move(
            job_id,
            ExportState.DONE,
            file=name,
            row_count=count,
            finished_at=finished,
            expires_at=finished + timedelta(days=EXPORT_KEEP_DAYS),
        )
        if not done:  # the sweep gave up on it meanwhile
            job.file.storage.delete(name)
            return False
        job.refresh_from_db()
        kind.queue_email(
            to=job.owner.email,
            recipient=job.owner,
            template="export_ready",
            context={"person": job.owner, "job": job, "export_label": kind.label, "unit": kind.unit},
        )
    return True


def _fail(job_id: int, now=None) -> int:
    now = now or timezone.now()
    return _move(job_id, ExportState.FAILED, finished_at=now, expires_at=now + timedelta(days=EXPORT_KEEP_DAYS))


def _write(job: ExportJob, kind: ExportKind) -> tuple[str, int]:
    """Writes the file to a temporary file on disk, then to storage: memory
    stays flat however large the file."""
    with tempfile.TemporaryFile() as handle:
        if kind.build is not None:
            count = kind.build(job, handle)
        else:
            count = write_table(handle, list(kind.header), kind.rows(job.parameters), job.format)
        handle.seek(0)
        name = job.file.storage.save(
            f"exports/{job.pk}-{secrets.token_hex(8)}.{job.format}", File(handle, name=job.filename)
        )
    return name, count


def withheld(job: ExportJob) -> str:
    """Why the job's file may not be downloaded now though it was made (the
    kind's own check, e.g. the disclosure policy), or ""."""
    kind = KINDS.get(job.kind)
    if kind is None:
        return "This kind of export is no longer offered"
    return kind.withheld(job) if kind.withheld is not None else ""


def record_download(user, job: ExportJob) -> None:
    """Each download of a kind that records them (the press pack)."""
    kind = KINDS.get(job.kind)
    if kind is not None and kind.downloaded is not None:
        kind.downloaded(user, job)


def expire(kinds: list[ExportKind], now=None) -> int:
    """The daily sweep of an app's kinds: jobs no worker finished fail, and
    files past their expiry are deleted. Returns how many jobs expired."""
    now = now or timezone.now()
    jobs = ExportJob.objects.filter(kind__in=[kind.code for kind in kinds])
    move_all(
        jobs.filter(created_at__lte=now - STALE_AFTER),
        ExportState.FAILED,
        EXPORT_TRANSITIONS,
        finished_at=now,
        expires_at=now + timedelta(days=EXPORT_KEEP_DAYS),
    )
    deleted = []
    for job in jobs.filter(expires_at__lte=now, state__in=sources(EXPORT_TRANSITIONS, ExportState.EXPIRED)):
        if job.file:
            try:
                job.file.delete(save=False)
            except STORAGE_ERRORS:
                logger.exception("The file of export job %s could not be deleted; the next sweep tries again", job.pk)
                continue
        deleted.append(job.pk)
    return move_all(ExportJob.objects.filter(pk__in=deleted), ExportState.EXPIRED, EXPORT_TRANSITIONS, file="")
