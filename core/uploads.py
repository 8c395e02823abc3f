"""Checking uploaded files by their content, not only their name.

Used for nomination evidence, certificates and accreditation evidence: a file
is accepted only if its bytes are of an allowed type and its extension says
the same thing, it is within the size limit, and its name has no folders.
"""

import logging
import unicodedata
import uuid
import zipfile
from dataclasses import dataclass
from pathlib import PurePosixPath

MB = 1024 * 1024

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class FileType:
    kind: str
    extensions: tuple[str, ...]
    mimetype: str
    label: str


FILE_TYPES = {
    "pdf": FileType("pdf", (".pdf",), "application/pdf", "PDF"),
    "docx": FileType(
        "docx", (".docx",), "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "Word (DOCX)"
    ),
    "jpeg": FileType("jpeg", (".jpg", ".jpeg"), "image/jpeg", "JPEG"),
    "png": FileType("png", (".png",), "image/png", "PNG"),
    "mp4": FileType("mp4", (".mp4",), "video/mp4", "MP4"),
}

MP4_BRANDS = {b"isom", b"iso2", b"iso4", b"iso5", b"iso6", b"mp41", b"mp42", b"avc1", b"M4V ", b"MSNV", b"dash"}


class UploadRefused(Exception):
    """The message says what is wrong in words a provider understands."""


def detect_kind(upload) -> str | None:
    """The file's real type from its first bytes (and, for DOCX, its parts)."""
    upload.seek(0)
    head = upload.read(64)
    upload.seek(0)
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if len(head) >= 12 and head[4:8] == b"ftyp" and head[8:12] in MP4_BRANDS:
        return "mp4"
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(upload) as archive:
                names = set(archive.namelist())
        except zipfile.BadZipFile:
            return None
        finally:
            upload.seek(0)
        if "[Content_Types].xml" in names and "word/document.xml" in names:
            return "docx"
    return None


def clean_filename(name: str) -> str:
    """A name safe to show and to send in Content-Disposition; refuses folders."""
    if not name or "/" in name or "\\" in name or name.startswith(".") or ".." in name:
        raise UploadRefused("The file name must be a plain name, without folders")
    name = unicodedata.normalize("NFC", name)
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C")
    name = name.replace('"', "'").strip()
    if not name:
        raise UploadRefused("The file name must be a plain name, without folders")
    stem, suffix = PurePosixPath(name).stem, PurePosixPath(name).suffix
    return f"{stem[:120]}{suffix[:10]}"


def check_upload(upload, *, allowed: tuple[str, ...], max_bytes: int) -> tuple[FileType, str]:
    """Returns the detected type and a clean original name, or raises UploadRefused."""
    original = clean_filename(upload.name or "")
    allowed_labels = ", ".join(FILE_TYPES[kind].label for kind in allowed)
    if upload.size == 0:
        raise UploadRefused("The selected file is empty")
    if upload.size > max_bytes:
        raise UploadRefused(f"The selected file must be smaller than {max_bytes // MB} MB")
    suffix = PurePosixPath(original).suffix.lower()
    kind = detect_kind(upload)
    if kind is None or kind not in allowed:
        raise UploadRefused(f"The selected file must be a {allowed_labels}")
    file_type = FILE_TYPES[kind]
    if suffix not in file_type.extensions:
        raise UploadRefused(
            f"The file’s name ends in {suffix or 'nothing'} but it is a {file_type.label}: rename it and try again"
        )
    return file_type, original


def storage_name(prefix: str, file_type: FileType) -> str:
    """Stored names never come from the uploader: a random name under a prefix."""
    return f"{prefix}/{uuid.uuid4().hex}{file_type.extensions[0]}"


def read_at_most(handle, max_bytes: int, chunk_size: int = 1024 * 1024) -> bytes:
    """Reads a file a chunk at a time, refusing it as soon as it passes
    `max_bytes`: an oversized file is never held in memory whole."""
    chunks, size = [], 0
    while chunk := handle.read(chunk_size):
        size += len(chunk)
        if size > max_bytes:
            raise UploadRefused(f"The file must be smaller than {max_bytes // MB} MB")
        chunks.append(chunk)
    return b"".join(chunks)


def accepts_uploads(max_bytes: int):
    """Marks a view that takes files: core.middleware.RequestSizeLimitMiddleware
    lets its requests be up to `max_bytes` (plus the form around the file);
    every other address takes an ordinary form only."""

    def mark(view):
        view.upload_limit = max_bytes + 1024 * 1024
        return view

    return mark


STORAGE_UNAVAILABLE = (
    "The file could not be saved just now because file storage is not responding. "
    "Nothing else was lost: try uploading it again in a few minutes"
)


def _storage_errors() -> tuple[type[Exception], ...]:
    try:
        from botocore.exceptions import BotoCoreError, ClientError
    except ImportError:  # the local default stores files on disk, without boto
        return (OSError,)
    return (OSError, BotoCoreError, ClientError)


STORAGE_ERRORS = _storage_errors()


def store_upload(field_file, name: str, content) -> None:
    """Saves an upload under `name`. A storage failure (disk full, S3 down) is
    a refusal the person can act on, not an error page: the form they were
    filling in stays as it was."""
    try:
        field_file.save(name, content, save=False)
    except STORAGE_ERRORS as error:
        logger.exception("Storing %s failed", name)
        raise UploadRefused(STORAGE_UNAVAILABLE) from error
