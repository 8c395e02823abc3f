"""Serving private files after the caller's permission check."""

from urllib.parse import quote

from django.http import FileResponse, HttpResponseRedirect

SIGNED_URL_SECONDS = 60


def content_disposition(filename: str) -> str:
    ascii_name = filename.encode("ascii", "replace").decode().replace("?", "_").replace('"', "'")
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename)}"


def private_file_response(field_file, *, filename: str, mimetype: str):
    """Always a download (`Content-Disposition: attachment`), never rendered
    by the browser. On S3 a short-lived signed URL carries the same headers."""
    storage = field_file.storage
    if hasattr(storage, "bucket_name"):
        url = storage.url(
            field_file.name,
            parameters={
                "ResponseContentDisposition": content_disposition(filename),
                "ResponseContentType": mimetype,
            },
            expire=SIGNED_URL_SECONDS,
        )
        response = HttpResponseRedirect(url)
    else:
        response = FileResponse(field_file.open("rb"), content_type=mimetype)
        response["Content-Disposition"] = content_disposition(filename)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
