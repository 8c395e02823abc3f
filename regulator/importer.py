"""Import of the regulator's care directory file (England: the CQC's care
directory with ratings, published under the Open Government Licence).

The layout is the regulator's own: a header row naming its columns (a title
block above it is skipped), then one row per location. The columns read are
REQUIRED (by their exact headings) and, when present, OPTIONAL; every other
column of the regulator's file is ignored. CSV is read with the standard
library (UTF-8, with or without a byte-order mark); ODS with pyexcel-ods3.

Every row is checked first. If the file cannot be read or any row has a
problem, no location is written and the import lists the problems by row;
otherwise every location is written in one transaction.
"""

import csv
import io
import re
import zipfile
from dataclasses import dataclass
from datetime import date, datetime

from django.db import transaction
from django.utils import timezone

from accounts import audit
from core.states import move_all
from core.uploads import UploadRefused, read_at_most

from .enums import IMPORT_TRANSITIONS, RATING_SPELLINGS, ImportState, Rating, RegistrationStatus
from .models import DirectoryImport, Location

LOCATION_ID = "Location ID"
NAME = "Location Name"
STREET = "Location Street Address"
LINE_2 = "Location Address Line 2"
CITY = "Location City"
COUNTY = "Location County"
POSTCODE = "Location Postal Code"
RATING = "Location Latest Overall Rating"
PUBLISHED = "Publication Date"
REQUIRED = [LOCATION_ID, NAME, STREET, LINE_2, CITY, COUNTY, POSTCODE, RATING, PUBLISHED]
STATUS = "Location Status"
PROVIDER = "Provider Name"
SERVICE_TYPES = "Service types"
SERVICE_TYPE_PREFIX = "Service type - "
OPTIONAL = [STATUS, PROVIDER, SERVICE_TYPES]

EXTENSIONS = (".csv", ".ods")
MAX_BYTES = 40 * 1024 * 1024
# An ODS is a zip: its unpacked XML may be this many times the file's size at most.
MAX_UNPACK_RATIO = 60
MAX_ROWS = 150_000
HEADER_SEARCH_ROWS = 12
ERRORS_SHOWN = 200
PROGRESS_EVERY = 500
LOCATION_ID_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9-]{1,39}$")
REGISTERED = {"", "active", "registered"}
DEREGISTERED = {"inactive", "deactivated", "deregistered", "archived", "cancelled"}
DATE_FORMATS = ("%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y", "%Y-%m-%d %H:%M:%S")
SAVE_FAILED = (
    "Nothing was imported: the locations could not be saved because of a problem with the service. "
    "Upload the file again; if this happens again, contact the service team"
)


def size_label(size: int) -> str:
    """A size limit in the units a person reads: MB, or KB below one MB."""
    return f"{size // (1024 * 1024)} MB" if size >= 1024 * 1024 else f"{size // 1024} KB"


class ImportRefused(Exception):
    """The file as a whole cannot be read: the message says why."""


@dataclass
class RowError:
    row: int
    column: str
    message: str


def read_table(data: bytes, filename: str) -> list[list]:
    """The file's rows as lists of cells: a CSV or ODS of at most MAX_BYTES."""
    if len(data) > MAX_BYTES:
        raise ImportRefused(f"The file must be smaller than {size_label(MAX_BYTES)}")
    name = filename.lower()
    if name.endswith(".csv"):
        return _csv_rows(data)
    if name.endswith(".ods"):
        return _ods_rows(data)
    raise ImportRefused("The file must be the regulator's directory as a CSV or ODS file")


def _csv_rows(data: bytes) -> list[list]:
    if b"\x00" in data[:4096]:
        raise ImportRefused("The file must be a CSV file (text separated by commas), not a spreadsheet or document")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ImportRefused(
            "The file must be saved as UTF-8 text: this one uses another encoding (such as Windows-1252). "
            "Save it again as 'CSV UTF-8' and upload it"
        ) from None
    try:
        return list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error as error:
        raise ImportRefused(f"The file is not a readable CSV file ({error})") from None


def _ods_rows(data: bytes) -> list[list]:
    from pyexcel_ods3 import get_data

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
            if "content.xml" not in archive.namelist():
                raise ImportRefused("The file is not an ODS spreadsheet")
    except zipfile.BadZipFile:
        raise ImportRefused("The file is not an ODS spreadsheet") from None
    if unpacked > MAX_UNPACK_RATIO * max(len(data), 1024 * 1024):
        raise ImportRefused("The spreadsheet is too large once unpacked: export the directory as CSV instead")
    try:
        book = get_data(io.BytesIO(data), file_type="ods")
    except Exception:  # pyexcel and its XML parser raise many kinds; each means "unreadable"
        raise ImportRefused("The spreadsheet could not be read: save it again as an ODS file and upload it") from None
    if not book:
        raise ImportRefused("The spreadsheet has no sheets")
    return list(next(iter(book.values())))


def find_header(table: list[list]) -> int:
    """Index of the header row: the first of the first rows to name LOCATION_ID."""
    for index, row in enumerate(table[:HEADER_SEARCH_ROWS]):
        if LOCATION_ID in [_text(cell) for cell in row]:
            return index
    raise ImportRefused(
        f"The file is not in the regulator's directory layout: no header row with a '{LOCATION_ID}' column"
    )


def read_rows(table: list[list]) -> list[tuple[int, dict]]:
    """(line number, {heading: cell}) for each non-empty row under the header;
    refuses a file without every REQUIRED column."""
    start = find_header(table)
    headers = [_text(cell) for cell in table[start]]
    missing = [column for column in REQUIRED if column not in headers]
    if missing:
        raise ImportRefused(
            "The file is not in the regulator's directory layout: missing the column"
            f"{'s' if len(missing) > 1 else ''} {', '.join(repr(c) for c in missing)}"
        )
    rows = []
    for offset, cells in enumerate(table[start + 1 :], start=start + 2):
        if not any(_text(cell) for cell in cells):
            continue
        rows.append((offset, dict(zip(headers, cells, strict=False))))
    if not rows:
        raise ImportRefused("The file has no locations under its header row")
    if len(rows) > MAX_ROWS:
        raise ImportRefused(f"The file has more than {MAX_ROWS:,} locations")
    return rows


def _text(value) -> str:
    if value is None:
        return ""
    return str(value).strip()


def parse_date(value) -> date | None:
    """A cell's date: an ODS date, or text as DD/MM/YYYY or YYYY-MM-DD; None if empty."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = _text(value)
    if not text:
        return None
    for pattern in DATE_FORMATS:
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise ValueError(text)


def clean_row(number: int, row: dict) -> tuple[dict | None, list[RowError]]:
    """One row's Location fields, or its problems."""
    errors = []

    def problem(column, message):
        errors.append(RowError(number, column, message))

    location_id = _text(row.get(LOCATION_ID)).upper()
    if not location_id:
        problem(LOCATION_ID, "Enter the location ID")
    elif not LOCATION_ID_PATTERN.match(location_id):
        problem(LOCATION_ID, f"'{location_id[:50]}' is not a location ID (letters, digits and hyphens)")
    name = _text(row.get(NAME))
    if not name:
        problem(NAME, "Enter the location's name")
    elif len(name) > 300:
        problem(NAME, "The name must be 300 characters or fewer")
    rating_text = _text(row.get(RATING))
    rating = RATING_SPELLINGS.get(rating_text.lower())
    if rating is None:
        problem(RATING, f"'{rating_text[:50]}' is not a rating (Outstanding, Good, Requires improvement, Inadequate)")
    published = None
    try:
        published = parse_date(row.get(PUBLISHED))
    except ValueError as error:
        problem(PUBLISHED, f"'{str(error)[:50]}' is not a date: use DD/MM/YYYY")
    else:
        if rating and Rating.rank(rating) and published is None:
            problem(PUBLISHED, "A rating needs the date it was published")
    status_text = _text(row.get(STATUS)).lower()
    if status_text in REGISTERED:
        status = RegistrationStatus.REGISTERED
    elif status_text in DEREGISTERED:
        status = RegistrationStatus.DEREGISTERED
    else:
        status = None
        problem(STATUS, f"'{status_text[:50]}' is not a registration status (Active or Deactivated)")
    postcode = _text(row.get(POSTCODE)).upper()
    if len(postcode) > 12:
        problem(POSTCODE, f"'{postcode[:50]}' is not a postcode")
    if errors:
        return None, errors
    address = "\n".join(part for part in (_text(row.get(c)) for c in (STREET, LINE_2, CITY, COUNTY)) if part)
    return {
        "location_id": location_id,
        "name": name,
        "address": address[:2000],
        "postcode": postcode,
        "provider_name": _text(row.get(PROVIDER))[:300],
        "registration_status": status,
        "service_types": service_types(row),
        "overall_rating": rating,
        "rating_published": published,
    }, []


def service_types(row: dict) -> list[str]:
    """From a 'Service types' column (separated by | or ;) and from each
    'Service type - X' column marked Y, as the regulator's two layouts give them."""
    found = [part.strip() for part in re.split(r"[|;]", _text(row.get(SERVICE_TYPES))) if part.strip()]
    for heading, value in row.items():
        if heading.startswith(SERVICE_TYPE_PREFIX) and _text(value).upper() in {"Y", "YES"}:
            found.append(heading[len(SERVICE_TYPE_PREFIX) :].strip())
    return list(dict.fromkeys(found))


def validate(rows: list[tuple[int, dict]], progress=None) -> tuple[list[dict], list[RowError]]:
    clean, errors, seen = [], [], {}
    for count, (number, row) in enumerate(rows, start=1):
        values, problems = clean_row(number, row)
        errors += problems
        if values:
            first = seen.setdefault(values["location_id"], number)
            if first != number:
                errors.append(RowError(number, LOCATION_ID, f"Location {values['location_id']} is also on row {first}"))
            else:
                clean.append(values)
        if progress and count % PROGRESS_EVERY == 0:
            progress(count)
    return clean, errors


def write(clean: list[dict], job: DirectoryImport) -> int:
    Location.objects.bulk_create([Location(directory_import=job, **values) for values in clean], batch_size=2000)
    return len(clean)


def run(job_id: int) -> DirectoryImport:
    """Reads and validates the whole file, then writes every location or none."""
    job = DirectoryImport.objects.get(pk=job_id)

    def update(**fields):
        DirectoryImport.objects.filter(pk=job.pk).update(**fields)

    def advance(state, **fields) -> int:
        return move_all(DirectoryImport.objects.filter(pk=job.pk), state, IMPORT_TRANSITIONS, **fields)

    def fail(errors, **fields):
        advance(
            ImportState.FAILED,
            errors=[{"row": e.row, "column": e.column, "message": e.message} for e in errors[:ERRORS_SHOWN]],
            error_count=len(errors),
            finished_at=timezone.now(),
            **fields,
        )
        return DirectoryImport.objects.get(pk=job.pk)

    # Claimed by the conditional update: a task delivered twice runs once.
    if not advance(ImportState.VALIDATING):
        return job
    try:
        with job.file.open("rb") as handle:
            rows = read_rows(read_table(read_at_most(handle, MAX_BYTES), job.original_name))
    except UploadRefused:
        return fail([RowError(0, "", f"The file must be smaller than {size_label(MAX_BYTES)}")])
    except ImportRefused as refusal:
        return fail([RowError(0, "", str(refusal))])
    update(total_rows=len(rows))
    clean, errors = validate(rows, progress=lambda n: update(processed_rows=n))
    if errors:
        errors.sort(key=lambda e: e.row)
        return fail(errors, processed_rows=len(rows))
    advance(ImportState.WRITING, processed_rows=len(rows))
    try:
        with transaction.atomic():
            written = write(clean, job)
            audit.record(
                actor=job.uploaded_by, action="regulator.directory_imported", obj=job, after={"locations": written}
            )
    except Exception:
        fail([RowError(0, "", SAVE_FAILED)])
        raise
    advance(ImportState.DONE, location_count=written, finished_at=timezone.now())
    return DirectoryImport.objects.get(pk=job.pk)
