"""Open data: the public course register and its accreditations as CSV and
JSON files, with a data dictionary, under the Open Government Licence v3.0.

What is in it: only what the public pages show. The register file holds the
courses listed on the register (never drafts or courses taken off it) with the
facts their public course page shows. Apps above courses add datasets about
the listed courses through their own open_data module (datasets()): the
accreditation app adds the accreditations file, with what the public
accreditation check shows.

How it is built: publish() reads the database a row at a time (.iterator())
in a constant number of queries whatever the number of courses, and writes
each file to a temporary file before it goes to storage (default_storage).

Where it goes: every dump is a folder open-data/<generated>-<random>/ holding
the five files and, written last, manifest.json. A folder without a manifest
is incomplete and never served; the newest complete folder is the current
dump. Readers keep the current dump until the next one is complete ("write,
then swap"); after the swap only the current and the previous dump are kept.

Idempotent: a dump whose data equals the current dump's (the same digest of
every row) is discarded and the current dump stays as it was, so a task
delivered twice, or run again on a day when nothing changed, changes nothing.
"""

import csv
import hashlib
import io
import json
import logging
import secrets
import tempfile
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from importlib import import_module

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import connection, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.module_loading import module_has_submodule

from accounts.enums import Sector
from core.exports import safe_row

from .enums import AccreditationStatus, DeliveryMode
from .models import COURSE_REGIONS, SECTOR_FIELDS, Course, CourseState, FrameworkDomain, FrameworkLevel

logger = logging.getLogger(__name__)

ROOT = "open-data"
MANIFEST = "manifest.json"
DICTIONARY = "dictionary.json"
LICENCE_NAME = "Open Government Licence v3.0"
LICENCE_URL = "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/"
PUBLISHER = "The Skills Academy (Social Care Awards and Leadership Academy)"
SEPARATOR = "; "
CURRENT_CACHE_KEY = "open-data:current"
CURRENT_CACHE_SECONDS = 300
CHUNK = 2000
CONTENT_TYPES = {"csv": "text/csv; charset=utf-8", "json": "application/json"}


TYPE_LABELS = {
    "integer": "Whole number",
    "decimal": "Number",
    "string": "Text",
    "date": "Date",
    "boolean": "Yes or no",
    "anyURI": "Web address",
}


@dataclass(frozen=True)
class Column:
    """One column: its name in both files, what it means, and for coded
    columns every code with what it stands for."""

    name: str
    title: str
    datatype: str  # CSVW datatypes: integer, decimal, string, date, boolean, anyURI
    description: str
    multiple: bool = False
    # (code, meaning) pairs, or a function giving them (codes kept in the database)
    codes: tuple | Callable = ()
    required: bool = True

    @property
    def type_label(self) -> str:
        """The type in plain words, for the page."""
        return TYPE_LABELS[self.datatype]


@dataclass(frozen=True)
class Dataset:
    """A file pair (name.csv, name.json): `rows(today)` yields a dict per row
    with a value for each column, reading the database a chunk at a time in a
    number of queries that does not grow with the rows."""

    name: str
    title: str
    description: str
    columns: tuple
    rows: Callable

    @property
    def files(self) -> list[str]:
        return [f"{self.name}.csv", f"{self.name}.json"]


def _codes(choices) -> tuple:
    return tuple((str(value), str(label)) for value, label in choices)


REGISTER = Dataset(
    "register",
    "Register of leadership courses",
    "Every course listed on the public register, with the facts its course page shows.",
    (
        Column("course_id", "Course id", "integer", "The course's number on the register; stable over time."),
        Column("page_url", "Course page", "anyURI", "The course's page on the register."),
        Column("title", "Title", "string", "The course's title."),
        Column("provider", "Provider", "string", "The organisation that runs the course."),
        Column("summary", "Summary", "string", "What the course covers, in the provider's words."),
        Column(
            "levels",
            "Leadership levels",
            "string",
            "The levels of the leadership framework the course is for.",
            multiple=True,
            codes=lambda: tuple(FrameworkLevel.objects.values_list("slug", "name")),
        ),
        Column(
            "domains",
            "Domains",
            "string",
            "The domains of the leadership framework the course covers.",
            multiple=True,
            codes=lambda: tuple(FrameworkDomain.objects.values_list("slug", "name")),
        ),
        Column(
            "delivery_mode", "Delivery", "string", "How the course is delivered.", codes=_codes(DeliveryMode.choices)
        ),
        Column("duration_hours", "Length in hours", "decimal", "How long the course takes, in hours."),
        Column("cost_gbp", "Cost in pounds", "decimal", "What the course costs, in pounds; 0 for a free course."),
        Column("region", "Region", "string", "Where the course runs.", codes=_codes(COURSE_REGIONS)),
        Column(
            "open_to",
            "Open to",
            "string",
            "The sectors whose staff may take the course.",
            multiple=True,
            codes=_codes(Sector.choices),
        ),
        Column(
            "designed_for_social_care",
            "Designed for social care",
            "boolean",
            "Whether the course was designed specifically for social care services.",
        ),
        Column(
            "more_information_url",
            "More information",
            "anyURI",
            "The provider's own page about the course, if it gave one.",
            required=False,
        ),
        Column(
            "accredited",
            "Accredited on the day of the dump",
            "boolean",
            "Whether the course was accredited by the Skills Academy on the day the dump was made.",
        ),
        Column(
            "accreditation_status",
            "Accreditation status",
            "string",
            "The course's accreditation as the register shows it.",
            codes=_codes(AccreditationStatus.choices),
        ),
        Column(
            "accreditation_number",
            "Accreditation number",
            "string",
            "The number of the course's current or latest accreditation; details are in the accreditations file.",
            required=False,
        ),
        Column(
            "accredited_from",
            "Accredited from",
            "date",
            "The first day of the accreditation period the register shows (renewals without a gap included).",
            required=False,
        ),
        Column(
            "accredited_to",
            "Accredited to",
            "date",
            "The last day of that accreditation period.",
            required=False,
        ),
    ),
    rows=lambda today: register_rows(today),
)


def datasets() -> list[Dataset]:
    """The register, then the datasets other apps declare about the courses on
    it: an app's open_data module may define DATASETS (the accreditation app
    does), found by module name as Celery finds beat schedules, so the
    register needs no import of the apps above it."""
    found = [REGISTER]
    for config in apps.get_app_configs():
        if config.name != "courses" and module_has_submodule(config.module, "open_data"):
            found += import_module(f"{config.name}.open_data").DATASETS
    return found


def files() -> list[str]:
    """Every file of a dump, by the name it is served under."""
    return [name for dataset in datasets() for name in dataset.files] + [DICTIONARY]


def column_codes(column: Column) -> tuple:
    """The (code, meaning) pairs of a coded column."""
    return column.codes() if callable(column.codes) else column.codes


def dictionary() -> dict:
    """The data dictionary as a CSV on the Web (CSVW) metadata document: each
    file, each column's name, type and meaning, the codes of coded columns
    (schema:valueReference) and the licence."""
    site = settings.SITE_URL

    def describe(column):
        entry = {
            "name": column.name,
            "titles": column.title,
            "datatype": column.datatype,
            "dc:description": column.description,
            "required": column.required,
        }
        if column.datatype == "boolean":
            entry["datatype"] = {"base": "boolean", "format": "yes|no"}
        if column.multiple:
            entry["separator"] = SEPARATOR
        codes = column_codes(column)
        if codes:
            entry["schema:valueReference"] = [{"schema:value": v, "schema:name": label} for v, label in codes]
        return entry

    return {
        "@context": "http://www.w3.org/ns/csvw",
        "dc:title": "Open data of the course register and accreditations",
        "dc:publisher": PUBLISHER,
        "dc:license": {"@id": LICENCE_URL, "dc:title": LICENCE_NAME},
        "dc:source": site + reverse("courses:register"),
        "tables": [
            {
                "url": site + reverse("open_data:download", args=[f"{dataset.name}.csv"]),
                "dc:title": dataset.title,
                "dc:description": dataset.description,
                "dc:hasFormat": site + reverse("open_data:download", args=[f"{dataset.name}.json"]),
                "tableSchema": {"columns": [describe(c) for c in dataset.columns]},
            }
            for dataset in datasets()
        ],
    }


# Reading the database ----------------------------------------------------


def _grouped(pairs):
    """(course_id, value) pairs sorted by course_id, as (course_id, [values])."""
    current, values = None, []
    for course_id, value in pairs:
        if course_id != current:
            if current is not None:
                yield current, values
            current, values = course_id, []
        values.append(value)
    if current is not None:
        yield current, values


class _Lookup:
    """Reads the groups of a sorted stream in step with courses sorted by id."""

    def __init__(self, pairs):
        self._groups = _grouped(pairs)
        self._next = next(self._groups, None)

    def take(self, course_id) -> list:
        while self._next is not None and self._next[0] < course_id:
            self._next = next(self._groups, None)
        if self._next is not None and self._next[0] == course_id:
            return self._next[1]
        return []


def register_rows(today: date):
    """The listed courses in order of id: three queries in all (courses,
    their levels, their domains), each read a chunk at a time."""
    site = settings.SITE_URL
    courses = (
        Course.objects.filter(state=CourseState.LISTED)
        .select_related("provider")
        .only(
            "pk",
            "title",
            "summary",
            "delivery_mode",
            "duration_hours",
            "cost",
            "region",
            "url",
            "designed_for_social_care",
            "accreditation_status",
            "accreditation_number",
            "accredited_from",
            "accredited_to",
            "provider__name",
            *SECTOR_FIELDS.values(),
        )
        .order_by("pk")
    )
    listed = Q(course__state=CourseState.LISTED)
    levels = _Lookup(
        Course.levels.through.objects.filter(listed)
        .order_by("course_id", "frameworklevel__order", "frameworklevel__name")
        .values_list("course_id", "frameworklevel__slug")
        .iterator(chunk_size=CHUNK)
    )
    domains = _Lookup(
        Course.domains.through.objects.filter(listed)
        .order_by("course_id", "frameworkdomain__order", "frameworkdomain__name")
        .values_list("course_id", "frameworkdomain__slug")
        .iterator(chunk_size=CHUNK)
    )
    for course in courses.iterator(chunk_size=CHUNK):
        yield {
            "course_id": course.pk,
            "page_url": site + reverse("courses:detail", args=[course.pk]),
            "title": course.title,
            "provider": course.provider.name,
            "summary": course.summary,
            "levels": levels.take(course.pk),
            "domains": domains.take(course.pk),
            "delivery_mode": course.delivery_mode,
            "duration_hours": course.duration_hours,
            "cost_gbp": course.cost,
            "region": course.region,
            "open_to": course.sectors,
            "designed_for_social_care": course.designed_for_social_care,
            "more_information_url": course.url or None,
            "accredited": course.is_accredited(today),
            "accreditation_status": course.accreditation_status,
            "accreditation_number": course.accreditation_number or None,
            "accredited_from": course.accredited_from,
            "accredited_to": course.accredited_to,
        }


# Writing the files ----------------------------------------------------------


def csv_value(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        return SEPARATOR.join(value)
    if isinstance(value, date):
        return value.isoformat()
    return value


def json_value(value):
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, date):
        return value.isoformat()
    return value


def _metadata(dataset: Dataset, generated_at: datetime) -> dict:
    site = settings.SITE_URL
    return {
        "title": dataset.title,
        "description": dataset.description,
        "publisher": PUBLISHER,
        "licence": {"name": LICENCE_NAME, "url": LICENCE_URL},
        "generated_at": generated_at.isoformat(),
        "source": site + reverse("courses:register"),
        "dictionary": site + reverse("open_data:download", args=[DICTIONARY]),
        "columns": [c.name for c in dataset.columns],
    }


def _write_dataset(dataset: Dataset, rows, generated_at: datetime, digest) -> tuple:
    """Writes the CSV and the JSON of one dataset to temporary files in one
    pass over the rows; returns (csv file, json file, row count)."""
    names = [c.name for c in dataset.columns]
    csv_file = tempfile.TemporaryFile()  # noqa: SIM115 - closed by publish()
    json_file = tempfile.TemporaryFile()  # noqa: SIM115 - closed by publish()
    csv_text = io.TextIOWrapper(csv_file, encoding="utf-8", newline="", write_through=True)
    writer = csv.writer(csv_text)
    writer.writerow(names)
    head = json.dumps(_metadata(dataset, generated_at), ensure_ascii=False)
    json_file.write(('{"metadata": ' + head + ', "rows": [').encode())
    count = 0
    for row in rows:
        values = [row[name] for name in names]
        writer.writerow(safe_row([csv_value(v) for v in values]))
        encoded = json.dumps({n: json_value(v) for n, v in zip(names, values, strict=True)}, ensure_ascii=False)
        json_file.write(((",\n" if count else "\n") + encoded).encode())
        digest.update(encoded.encode())
        count += 1
    json_file.write(f'\n], "row_count": {count}}}\n'.encode())
    csv_text.detach()
    return csv_file, json_file, count


def _save(folder: str, name: str, handle) -> dict:
    handle.seek(0)
    sha = hashlib.sha256()
    size = 0
    for chunk in iter(lambda: handle.read(1 << 16), b""):
        sha.update(chunk)
        size += len(chunk)
    handle.seek(0)
    stored = default_storage.save(f"{folder}/{name}", File(handle, name=name))
    if stored != f"{folder}/{name}":
        raise RuntimeError(f"Storage saved {name} as {stored}: the dump's folder was not new")
    return {"bytes": size, "sha256": sha.hexdigest()}


# The dumps in storage -------------------------------------------------------


def _folders() -> list[str]:
    """Every dump folder, newest first (names sort by the time they were made)."""
    try:
        folders, _ = default_storage.listdir(ROOT)
    except FileNotFoundError:
        return []
    return sorted(folders, reverse=True)


def _complete(folder: str) -> bool:
    return default_storage.exists(f"{ROOT}/{folder}/{MANIFEST}")


def _read_manifest(folder: str) -> dict:
    with default_storage.open(f"{ROOT}/{folder}/{MANIFEST}", "rb") as handle:
        manifest = json.loads(handle.read())
    manifest["folder"] = folder
    return manifest


def _find_current() -> dict | None:
    for folder in _folders():
        if _complete(folder):
            return _read_manifest(folder)
    return None


def current() -> dict | None:
    """The manifest of the current dump (None before the first): when it was
    generated, its folder and each file's size, digest and row count. Kept
    in the cache for a few minutes; publish() puts a new dump there at once."""
    manifest = cache.get(CURRENT_CACHE_KEY)
    if manifest is None:
        manifest = _find_current()
        if manifest is not None:
            cache.set(CURRENT_CACHE_KEY, manifest, CURRENT_CACHE_SECONDS)
    return manifest


def forget_current() -> None:
    cache.delete(CURRENT_CACHE_KEY)


def generated_at(manifest: dict) -> datetime:
    return datetime.fromisoformat(manifest["generated_at"])


def open_file(manifest: dict, name: str):
    """The named file of a dump, opened for reading (binary)."""
    return default_storage.open(f"{ROOT}/{manifest['folder']}/{name}", "rb")


def _delete_folder(folder: str) -> None:
    path = f"{ROOT}/{folder}"
    try:
        _, files = default_storage.listdir(path)
        for name in files:
            default_storage.delete(f"{path}/{name}")
        default_storage.delete(path)  # the emptied folder, on a file system
    except (FileNotFoundError, OSError):
        logger.warning("Open data: the old dump %s could not be removed whole", folder)


def _prune(keep: str) -> None:
    """After the swap: the dump just published and the one before it stay;
    older folders go (incomplete ones too: they were given up)."""
    folders = _folders()
    complete = [f for f in folders if f <= keep and _complete(f)]
    previous = complete[1] if len(complete) > 1 else keep
    for folder in folders:
        if folder < previous:
            _delete_folder(folder)


@contextmanager
def _snapshot():
    """On PostgreSQL every query of a dump reads one snapshot (a read-only,
    repeatable-read transaction), so the files agree with each other and the
    cursors stream inside it. SQLite (the local default) reads without a
    transaction: its transactions take the write lock."""
    if connection.vendor != "postgresql":
        yield
        return
    outermost = not connection.in_atomic_block
    with transaction.atomic():
        if outermost:
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
        yield


def publish(now: datetime | None = None) -> dict:
    """Makes a dump and makes it the current one, unless its data equals the
    current dump's; returns the current manifest either way."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    folder = f"{now:%Y%m%dT%H%M%S%fZ}-{secrets.token_hex(4)}"
    digest = hashlib.sha256()
    files, counts, handles, saving = {}, {}, [], False
    try:
        with _snapshot():
            written = {}
            for dataset in datasets():
                csv_file, json_file, count = _write_dataset(dataset, dataset.rows(today), now, digest)
                handles += [csv_file, json_file]
                written[f"{dataset.name}.csv"], written[f"{dataset.name}.json"] = csv_file, json_file
                counts[dataset.name] = count
            described = json.dumps(dictionary(), ensure_ascii=False, indent=2)
        digest.update(described.encode())
        previous = _find_current()
        if previous is not None and previous.get("data_sha256") == digest.hexdigest():
            cache.set(CURRENT_CACHE_KEY, previous, CURRENT_CACHE_SECONDS)
            return previous
        dictionary_file = tempfile.TemporaryFile()  # noqa: SIM115 - closed below
        handles.append(dictionary_file)
        dictionary_file.write(described.encode())
        written[DICTIONARY] = dictionary_file
        path = f"{ROOT}/{folder}"
        saving = True
        for name, handle in written.items():
            files[name] = _save(path, name, handle)
        for dataset in datasets():
            for name in dataset.files:
                files[name]["rows"] = counts[dataset.name]
        manifest = {
            "generated_at": now.isoformat(),
            "licence": {"name": LICENCE_NAME, "url": LICENCE_URL},
            "data_sha256": digest.hexdigest(),
            "files": files,
        }
        manifest_file = io.BytesIO(json.dumps(manifest, indent=2).encode())
        default_storage.save(f"{path}/{MANIFEST}", File(manifest_file, name=MANIFEST))
    except BaseException:
        # Nothing half-written stays: the folder without a manifest goes.
        if saving:
            _delete_folder(folder)
        raise
    finally:
        for handle in handles:
            handle.close()
    manifest["folder"] = folder
    cache.set(CURRENT_CACHE_KEY, manifest, CURRENT_CACHE_SECONDS)
    _prune(keep=folder)
    logger.info("Open data published: %s (%s)", folder, ", ".join(f"{k} {v}" for k, v in counts.items()))
    return manifest


def publish_first() -> dict:
    """The first dump, if there is none yet (the demo's seed_demo)."""
    return _find_current() or publish()
