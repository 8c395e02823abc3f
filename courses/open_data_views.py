"""The open-data page and the current dump's files (courses.open_data)."""

from django.http import FileResponse, Http404, HttpResponseNotModified
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import http_date

from core.caching import cache_public_page

from . import open_data

DOWNLOAD_SECONDS = 300


@cache_public_page
def index(request):
    """What the files hold, their licence, when they were made, and the data dictionary."""
    manifest = open_data.current()
    datasets = [
        {
            "dataset": dataset,
            "files": [
                {
                    "name": name,
                    "format": name.rsplit(".", 1)[1].upper(),
                    "size": manifest["files"][name]["bytes"] if manifest else None,
                    "rows": manifest["files"][name].get("rows") if manifest else None,
                }
                for name in dataset.files
            ],
            "columns": [{"column": column, "codes": open_data.column_codes(column)} for column in dataset.columns],
        }
        for dataset in open_data.datasets()
    ]
    return render(
        request,
        "courses/open_data.html",
        {
            "manifest": manifest,
            "generated_at": open_data.generated_at(manifest) if manifest else None,
            "datasets": datasets,
            "dictionary_name": open_data.DICTIONARY,
            "dictionary_size": manifest["files"][open_data.DICTIONARY]["bytes"] if manifest else None,
            "licence_name": open_data.LICENCE_NAME,
            "licence_url": open_data.LICENCE_URL,
            "separator": open_data.SEPARATOR,
        },
    )


def _open(filename):
    """The current dump's file; when the cached manifest names a dump pruned
    since, the current one is looked up afresh."""
    for fresh in (False, True):
        if fresh:
            open_data.forget_current()
        manifest = open_data.current()
        if manifest is None:
            raise Http404("No open data has been published yet")
        try:
            return manifest, open_data.open_file(manifest, filename)
        except FileNotFoundError:
            continue
    raise Http404("The open data files are being replaced: try again in a minute")


def download(request, filename):
    """A file of the current dump at a stable address, with its licence and
    its data dictionary named in Link headers."""
    if filename not in open_data.files():
        raise Http404("There is no open data file with that name")
    manifest = open_data.current()
    if manifest is not None:
        etag = f'"{manifest["files"][filename]["sha256"]}"'
        if etag in request.headers.get("If-None-Match", ""):
            return HttpResponseNotModified(headers={"ETag": etag})
    manifest, handle = _open(filename)
    extension = filename.rsplit(".", 1)[1]
    response = FileResponse(handle, content_type=open_data.CONTENT_TYPES[extension])
    disposition = "attachment" if extension == "csv" else "inline"
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    response["ETag"] = f'"{manifest["files"][filename]["sha256"]}"'
    response["Last-Modified"] = http_date(open_data.generated_at(manifest).timestamp())
    response["Cache-Control"] = f"public, max-age={DOWNLOAD_SECONDS}"
    response["Access-Control-Allow-Origin"] = "*"
    response["X-Content-Type-Options"] = "nosniff"
    dictionary = reverse("open_data:download", args=[open_data.DICTIONARY])
    response["Link"] = f'<{open_data.LICENCE_URL}>; rel="license", <{dictionary}>; rel="describedby"'
    return response
