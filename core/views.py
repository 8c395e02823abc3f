"""A background export's page and its download (core.export_jobs)."""

import logging

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe

from .downloads import private_file_response
from .export_jobs import EXPORT_KEEP_DAYS, KINDS, record_download, withheld
from .exports import XLSX_TYPE
from .models import ExportJob
from .permissions import require
from .uploads import STORAGE_ERRORS

logger = logging.getLogger(__name__)

MIMETYPES = {"csv": "text/csv; charset=utf-8", "xlsx": XLSX_TYPE, "zip": "application/zip"}


def _own_job(user, pk) -> ExportJob:
    """Someone else's job answers as one that does not exist."""
    job = get_object_or_404(ExportJob, pk=pk)
    if not user.has_perm("core.view_export", job):
        raise Http404
    return job


@require_safe
@login_required
def export_job(request, pk):
    """Where the job stands; a link checks again (no script needed)."""
    job = _own_job(request.user, pk)
    kind = KINDS.get(job.kind)
    done = job.state == job.STATES.DONE
    return render(
        request,
        "core/export_job.html",
        {
            "job": job,
            "label": kind.label if kind else job.kind,
            "unit": kind.unit if kind else "row",
            "list_url": kind.list_url if kind else None,
            "keep_days": EXPORT_KEEP_DAYS,
            "may_download": done and request.user.has_perm("core.download_export", job),
            "withheld": withheld(job) if done else "",
        },
    )


@require_safe
@login_required
def export_download(request, pk):
    """The file, to its owner while they still hold the kind's permission and
    the kind does not withhold it (core.rules); a withheld file answers as
    one that no longer exists. A kind that records downloads records this one."""
    job = _own_job(request.user, pk)
    reason = withheld(job)
    if reason:
        raise Http404(reason)
    require(request.user, "core.download_export", job)
    if job.state != job.STATES.DONE or not job.file:
        raise Http404("This export has no file to download")
    try:
        response = private_file_response(job.file, filename=job.filename, mimetype=MIMETYPES[job.format])
    except STORAGE_ERRORS:
        logger.exception("The file of export job %s could not be read", job.pk)
        raise Http404("The file of this export could not be read") from None
    record_download(request.user, job)
    return response
