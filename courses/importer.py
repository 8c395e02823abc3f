"""Bulk import of courses from CSV.

Every row is checked first; if any row has a problem, nothing is written and
the report lists each problem by row and column. Otherwise all rows are
written in one transaction: a row whose external id already exists updates
that course, so importing the same file twice changes nothing.

A course provider's import (the job's `organisation`) is for that
organisation only: its rows may leave the provider column empty or name that
organisation, and may not update another provider's course.

The page lists the first ERRORS_SHOWN problems; all of them are kept in a CSV
(`errors_file`) to download.

Every import, the academy's and a course provider's, runs in a Celery worker
(courses.tasks.run_import) that reads the uploaded file back from storage.
Its page shows progress as counts: rows checked, then rows saved (the saving
is one transaction, so its count is kept in the cache, not the database). A
job no worker has finished after STALE_AFTER (broker down, worker killed)
has stopped: its page says so, and no worker starts it any more; nothing of
it was written, as the writing is all or nothing.
"""

import csv
import io
import logging
from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal, InvalidOperation

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone

from accounts import audit
from accounts.enums import OrganisationKind, Sector
from accounts.models import Organisation
from core.exports import write_csv
from core.states import move_all
from core.uploads import STORAGE_ERRORS, UploadRefused, read_at_most

from .domain import refresh_search_document
from .enums import IMPORT_TRANSITIONS, ImportState
from .models import COURSE_REGIONS, Course, CourseState, DeliveryMode, FrameworkDomain, FrameworkLevel, ImportJob

COLUMNS = [
    "external_id",
    "provider",
    "title",
    "summary",
    "levels",
    "domains",
    "delivery_mode",
    "duration_hours",
    "cost",
    "region",
    "open_to_sectors",
    "designed_for_social_care",
    "url",
    "state",
]
REQUIRED = {
    "external_id",
    "provider",
    "title",
    "summary",
    "levels",
    "domains",
    "delivery_mode",
    "duration_hours",
    "cost",
}
logger = logging.getLogger(__name__)

MAX_ROWS = 50_000
ERRORS_SHOWN = 1000
ERROR_COLUMNS = ["row", "column", "problem"]
MAX_BYTES = 20 * 1024 * 1024
PROGRESS_EVERY = 200
# An import no worker has finished after this long has stopped.
STALE_AFTER = timedelta(hours=2)
YES = {"yes", "y", "true", "1"}
NO = {"no", "n", "false", "0", ""}


class ImportRefused(Exception):
    """The file as a whole cannot be read: the message says why."""


@dataclass
class RowError:
    row: int
    column: str
    message: str


@dataclass
class CleanRow:
    row: int
    values: dict
    levels: list = field(default_factory=list)
    domains: list = field(default_factory=list)


def template_csv(organisation=None) -> str:
    """The columns and one example row; a course provider's template names
    its own organisation as the provider."""
    out = io.StringIO()
    write_csv(
        out,
        COLUMNS,
        [
            [
                "LLP-001",
                organisation.name if organisation else "Leadership Learning Partnership",
                "Leading care services",
                "A six-month programme for registered managers.",
                "service-leaders; practice-leaders",
                "leadership; management",
                "blended",
                "60",
                "1200",
                "national",
                "public; private; voluntary; community",
                "yes",
                "https://example.org/course",
                "listed",
            ]
        ],
    )
    return out.getvalue()


def read_rows(data: bytes) -> list[dict]:
    """The file's rows as dicts keyed by column; refuses anything that is not
    a CSV with exactly the template's headers."""
    if len(data) > MAX_BYTES:
        raise ImportRefused(f"The file must be smaller than {MAX_BYTES // (1024 * 1024)} MB")
    if b"\x00" in data[:4096]:
        raise ImportRefused("The file must be a CSV file (text separated by commas), not a spreadsheet or document")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ImportRefused("The file must be a CSV file saved as UTF-8 text") from None
    reader = csv.DictReader(io.StringIO(text))
    headers = [h.strip() for h in (reader.fieldnames or [])]
    if headers != COLUMNS:
        missing = [c for c in COLUMNS if c not in headers]
        unknown = [h for h in headers if h not in COLUMNS]
        detail = []
        if missing:
            detail.append(f"missing: {', '.join(missing)}")
        if unknown:
            detail.append(f"not recognised: {', '.join(unknown)}")
        raise ImportRefused(
            "The first row must be the template's column names in the template's order"
            + (f" ({'; '.join(detail)})" if detail else "")
        )
    try:
        rows = [{k.strip(): (v or "").strip() for k, v in row.items() if k} for row in reader]
    except csv.Error as error:
        raise ImportRefused(f"The file could not be read as CSV: {error}") from None
    if not rows:
        raise ImportRefused("The file has no courses in it")
    if len(rows) > MAX_ROWS:
        raise ImportRefused(f"The file can have at most {MAX_ROWS:,} courses")
    return rows


def _split(value: str) -> list[str]:
    return [part.strip().lower() for part in value.replace(",", ";").split(";") if part.strip()]


def validate(rows: list[dict], progress=None, organisation=None) -> tuple[list[CleanRow], list[RowError]]:
    """`organisation`: a course provider's own import, every row its course."""
    if organisation is None:
        providers = {
            org.name.lower(): org
            for org in Organisation.objects.filter(Organisation.kind_filter(OrganisationKind.COURSE_PROVIDER))
        }
        required = REQUIRED
    else:
        providers = {organisation.name.lower(): organisation, "": organisation}
        required = REQUIRED - {"provider"}
    levels = {lvl.slug: lvl for lvl in FrameworkLevel.objects.all()} | {
        lvl.name.lower(): lvl for lvl in FrameworkLevel.objects.all()
    }
    domains = {d.slug: d for d in FrameworkDomain.objects.all()} | {
        d.name.lower(): d for d in FrameworkDomain.objects.all()
    }
    regions = {value for value, _ in COURSE_REGIONS}
    url_check = URLValidator(schemes=["http", "https"])
    clean, errors, seen = [], [], {}
    for index, raw in enumerate(rows, start=2):  # row 1 is the header
        row_errors = []

        def problem(column, message, _row_errors=row_errors, _index=index):
            _row_errors.append(RowError(_index, column, message))

        for column in required:
            if not raw.get(column):
                problem(column, "This value is needed")
        external_id = raw.get("external_id", "")
        if len(external_id) > 64:
            problem("external_id", "Must be 64 characters or fewer")
        elif external_id in seen:
            problem("external_id", f"Also used on row {seen[external_id]}: each course needs its own id")
        seen.setdefault(external_id, index)
        provider = providers.get(raw.get("provider", "").lower())
        if organisation is not None and provider is None:
            problem(
                "provider", f"You can import courses for {organisation.name} only: leave this empty or use that name"
            )
        elif raw.get("provider") and provider is None:
            problem("provider", "No course provider organisation has this name")
        if len(raw.get("title", "")) > 200:
            problem("title", "Must be 200 characters or fewer")
        if len(raw.get("summary", "")) > 3000:
            problem("summary", "Must be 3,000 characters or fewer")
        row_levels = [levels.get(v) for v in _split(raw.get("levels", ""))]
        if raw.get("levels") and (None in row_levels or not row_levels):
            problem(
                "levels", f"Use the level names or codes: {', '.join(sorted(lv.slug for lv in set(levels.values())))}"
            )
        row_domains = [domains.get(v) for v in _split(raw.get("domains", ""))]
        if raw.get("domains") and (None in row_domains or not row_domains):
            problem(
                "domains", f"Use the domain names or codes: {', '.join(sorted(d.slug for d in set(domains.values())))}"
            )
        mode = raw.get("delivery_mode", "").lower().replace(" ", "_")
        if raw.get("delivery_mode") and mode not in DeliveryMode.values:
            problem("delivery_mode", "Must be in_person, online or blended")
        numbers = {}
        for column, low, high in (
            ("duration_hours", Decimal("0.5"), Decimal(5000)),
            ("cost", Decimal(0), Decimal(999999)),
        ):
            value = raw.get(column, "").replace("£", "").replace(",", "")
            if not value:
                continue
            try:
                number = Decimal(value)
            except InvalidOperation:
                problem(column, "Must be a number")
                continue
            if not number.is_finite() or not low <= number <= high:
                problem(column, f"Must be between {low} and {high}")
            else:
                numbers[column] = number.quantize(Decimal("0.1") if column == "duration_hours" else Decimal("0.01"))
        region = raw.get("region", "").lower().replace(" ", "_") or "national"
        if region not in regions:
            problem("region", "Must be national or one of the UK regions, for example north_west")
        sectors = _split(raw.get("open_to_sectors", "")) or list(Sector.values)
        if any(s not in Sector.values for s in sectors):
            problem("open_to_sectors", "Use public, private, voluntary or community, separated by semicolons")
        social = raw.get("designed_for_social_care", "").lower()
        if social not in YES | NO:
            problem("designed_for_social_care", "Must be yes or no")
        url = raw.get("url", "")
        if url:
            try:
                url_check(url)
            except ValidationError:
                problem("url", "Must be a web address starting with https:// or http://")
        state = raw.get("state", "").lower() or CourseState.LISTED
        if state not in (CourseState.DRAFT, CourseState.LISTED):
            problem("state", "Must be draft or listed")
        if row_errors:
            errors.extend(row_errors)
        else:
            clean.append(
                CleanRow(
                    row=index,
                    values={
                        "external_id": external_id,
                        "provider": provider,
                        "title": raw["title"],
                        "summary": raw["summary"],
                        "delivery_mode": mode,
                        "duration_hours": numbers["duration_hours"],
                        "cost": numbers["cost"],
                        "region": region,
                        "sectors": sectors,
                        "designed_for_social_care": social in YES,
                        "url": url,
                        "state": state,
                    },
                    levels=row_levels,
                    domains=row_domains,
                )
            )
        if progress and index % PROGRESS_EVERY == 0:
            progress(index - 1)
    return clean, errors


def other_providers_courses(rows: list[CleanRow], organisation) -> list[RowError]:
    """In a course provider's import, an external id already used by another
    provider's course would update that course: refused."""
    if organisation is None:
        return []
    taken = set(
        Course.objects.filter(external_id__in=[r.values["external_id"] for r in rows])
        .exclude(provider=organisation)
        .values_list("external_id", flat=True)
    )
    return [
        RowError(row.row, "external_id", "Another provider's course has this id: give your course its own id")
        for row in rows
        if row.values["external_id"] in taken
    ]


def accredited_changes(rows: list[CleanRow]) -> list[RowError]:
    """A row may not change what an accreditation stands for: on an accredited
    course, that goes through the course's own page, as a change request."""
    from .domain import material_values, under_accreditation

    existing = {
        c.external_id: c
        for c in Course.objects.filter(external_id__in=[r.values["external_id"] for r in rows]).prefetch_related(
            "levels", "domains"
        )
    }
    errors = []
    for row in rows:
        course = existing.get(row.values["external_id"])
        if course is None or not under_accreditation(course):
            continue
        proposed = Course(**{k: v for k, v in row.values.items() if k not in ("sectors", "provider")})
        proposed.provider_id = row.values["provider"].pk
        if material_values(proposed, row.levels, row.domains) != material_values(
            course, course.levels.all(), course.domains.all()
        ):
            errors.append(
                RowError(
                    row.row,
                    "title",
                    "This course is accredited: change its title, provider, levels, domains, hours, delivery or "
                    "'designed for social care' on its page, where the change goes to the Skills Academy",
                )
            )
    return errors


@transaction.atomic
def write(rows: list[CleanRow], job=None, progress=None) -> tuple[int, int]:
    existing = {
        c.external_id: c for c in Course.objects.filter(external_id__in=[r.values["external_id"] for r in rows])
    }
    created = updated = 0
    now = timezone.now()
    touched = []
    for row in rows:
        values = dict(row.values)
        sectors = values.pop("sectors")
        course = existing.get(values["external_id"]) or Course()
        is_new = course.pk is None
        for name, value in values.items():
            setattr(course, name, value)
        course.sectors = sectors
        course.import_job = job
        if course.state == CourseState.LISTED and course.listed_at is None:
            course.listed_at = now
        course.save()
        course.levels.set(row.levels)
        course.domains.set(row.domains)
        touched.append(course.pk)
        created += is_new
        updated += not is_new
        if progress and len(touched) % PROGRESS_EVERY == 0:
            progress(len(touched))
    refresh_search_document(touched)
    return created, updated


def store_errors(job, errors: list[RowError]) -> str:
    """Every problem as a CSV in storage; the stored name, or "" when storage
    fails (the page still lists the first problems and says how many in all)."""
    out = io.StringIO()
    out.write("\ufeff")  # so spreadsheet programs read UTF-8
    write_csv(out, ERROR_COLUMNS, ([e.row or "", e.column, e.message] for e in errors))
    name = f"imports/{timezone.now():%Y%m%d%H%M%S}-{job.pk}-problems.csv"
    try:
        return job.errors_file.storage.save(name, ContentFile(out.getvalue().encode("utf-8")))
    except STORAGE_ERRORS:
        logger.exception("Storing the problems of import %s failed", job.pk)
        return ""


def _saved_key(job_id: int) -> str:
    return f"courses-import-{job_id}-saved"


def is_stale(job, now=None) -> bool:
    """Not finished STALE_AFTER after it was queued: the import has stopped."""
    finished = job.state in (ImportState.DONE, ImportState.FAILED)
    return not finished and job.created_at <= (now or timezone.now()) - STALE_AFTER


def progress(job, now=None) -> dict:
    """Where the import stands, as its page and the page's script show it:
    rows checked while validating, rows saved while writing."""
    stale = is_stale(job, now)
    processed, total = job.processed_rows, job.total_rows
    if job.state == ImportState.WRITING and not stale:
        processed = min(cache.get(_saved_key(job.pk)) or 0, total)
    return {
        "state": job.state,
        "label": "Stopped before it finished" if stale else job.get_state_display(),
        "percent": int(100 * processed / total) if total else 0,
        "processed": processed,
        "total": total,
        "finished": stale or job.state in (ImportState.DONE, ImportState.FAILED),
    }


def failure(job, now=None) -> str:
    """Why nothing was imported: "stopped" (no worker finished it), "service"
    (saving failed), "file" (problems in the file), or "" if not failed."""
    if is_stale(job, now):
        return "stopped"
    if job.state != ImportState.FAILED:
        return ""
    if job.error_count == 1 and job.errors and job.errors[0].get("message") == SAVE_FAILED:
        return "service"
    return "file"


SAVE_FAILED = (
    "Nothing was imported: the courses could not be saved because of a problem with the service. "
    "Upload the file again; if this happens again, contact the service team"
)


def run(job_id: int) -> ImportJob:
    """Validates the whole file, then writes it all or nothing; records progress."""
    job = ImportJob.objects.get(pk=job_id)

    def update(**fields):
        """Progress only: the state moves through advance."""
        ImportJob.objects.filter(pk=job.pk).update(**fields)

    def advance(state, **fields) -> int:
        return move_all(ImportJob.objects.filter(pk=job.pk), state, IMPORT_TRANSITIONS, **fields)

    # Claimed by the conditional update: a task delivered twice runs once,
    # and a job its page already shows as stopped does not start.
    fresh = ImportJob.objects.filter(pk=job.pk, created_at__gt=timezone.now() - STALE_AFTER)
    if not move_all(fresh, ImportState.VALIDATING, IMPORT_TRANSITIONS):
        return job

    try:
        with job.file.open("rb") as handle:
            rows = read_rows(read_at_most(handle, MAX_BYTES))
    except (ImportRefused, UploadRefused) as refusal:
        advance(
            ImportState.FAILED,
            errors=[{"row": 0, "column": "", "message": str(refusal)}],
            error_count=1,
            finished_at=timezone.now(),
        )
        return ImportJob.objects.get(pk=job.pk)
    update(total_rows=len(rows))
    clean, errors = validate(rows, progress=lambda n: update(processed_rows=n), organisation=job.organisation)
    errors += other_providers_courses(clean, job.organisation)
    errors += accredited_changes(clean)
    if errors:
        errors.sort(key=lambda e: e.row)
        advance(
            ImportState.FAILED,
            processed_rows=len(rows),
            errors=[{"row": e.row, "column": e.column, "message": e.message} for e in errors[:ERRORS_SHOWN]],
            error_count=len(errors),
            errors_file=store_errors(job, errors),
            finished_at=timezone.now(),
        )
        return ImportJob.objects.get(pk=job.pk)
    # Writing happens in one transaction, so its progress is not visible
    # until it ends: the page says "Saving courses" meanwhile.
    advance(ImportState.WRITING, processed_rows=len(rows))
    try:
        with transaction.atomic():
            created, updated = write(
                clean, job, progress=lambda n: cache.set(_saved_key(job.pk), n, STALE_AFTER.total_seconds())
            )
            audit.record(
                actor=job.uploaded_by,
                action="courses.imported",
                obj=job,
                after={"created": created, "updated": updated, "rows": len(rows)},
            )
    except Exception:
        # The cause goes to the worker's log (the task fails); the page says
        # what it means for the person who uploaded the file.
        advance(
            ImportState.FAILED,
            finished_at=timezone.now(),
            errors=[{"row": 0, "column": "", "message": SAVE_FAILED}],
            error_count=1,
        )
        raise
    advance(
        ImportState.DONE,
        processed_rows=len(rows),
        created_count=created,
        updated_count=updated,
        finished_at=timezone.now(),
    )
    return ImportJob.objects.get(pk=job.pk)
