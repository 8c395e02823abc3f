"""Awards administrators: the staff nomination list and its export, the
background export's status and file, and a cycle's results once its panels
signed off. The same filters, queries, export kind and disclosure policy as
the staff pages (awards.reports, awards.exports, awards.disclosure)."""

import re

from django.conf import settings
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.response import Response

from accounts.enums import Region, Sector
from awards import exports, reports
from awards.disclosure import Audience, Fact, allows
from awards.enums import NominationState
from awards.forms import NominationFilterForm
from awards.models import Cycle
from core import export_jobs
from core.downloads import private_file_response
from core.exports import table_response
from core.models import ExportJob
from core.permissions import require
from core.uploads import STORAGE_ERRORS
from core.views import MIMETYPES
from judging.enums import Award
from judging.models import FinalResult
from judging.queries import phases_for
from judging.views.public import AWARD_ORDER

from ..registry import endpoint
from ..serializers_private import (
    CycleResultsSerializer,
    ExportJobSerializer,
    ExportQueuedSerializer,
    ExportRowsSerializer,
    NominationSerializer,
)
from .base import ApiView
from .common import BAD_REQUEST, NOT_FOUND, PAGE_PARAMETERS, REFUSED, form_errors, id_parameter, page_of, paged

NOMINATION_FILTERS = [
    OpenApiParameter("cycle", {"type": "integer", "minimum": 1, "maximum": 10**18 - 1}, description="A cycle's id"),
    OpenApiParameter(
        "category", {"type": "integer", "minimum": 1, "maximum": 10**18 - 1}, description="A category's id"
    ),
    OpenApiParameter("sector", str, enum=list(Sector.values), description="The entrant's sector"),
    OpenApiParameter("region", str, enum=list(Region.values), description="The entrant's region"),
    OpenApiParameter("state", str, enum=list(NominationState.values)),
    OpenApiParameter(
        "q",
        {"type": "string", "maxLength": 100, "pattern": r"^[^\x00]*$"},
        description="A reference, or words of the service's or organisation's name",
    ),
]
FILE_FORMATS = ["csv", "xlsx", "json"]


def _filters(request):
    """The staff list's filter form, bound to the query; None when no filter was given."""
    data = {key: request.GET.get(key) for key in ("cycle", "category", "sector", "region", "state", "q")}
    return NominationFilterForm({key: value for key, value in data.items() if value is not None})


@endpoint(scope="awards:read", rule="awards.manage")
class Nominations(ApiView):
    """The staff nomination list (awards.reports.filtered_nominations), with
    the staff page's filters and order, a page at a time."""

    @extend_schema(
        operation_id="manage_nominations_list",
        summary="Nominations, filtered as on the staff list",
        parameters=[*NOMINATION_FILTERS, *PAGE_PARAMETERS],
        responses={200: page_of(NominationSerializer, "Nomination"), **BAD_REQUEST, **NOT_FOUND, **REFUSED},
        tags=["Awards administration"],
    )
    def get(self, request):
        form = _filters(request)
        if not form.is_valid():
            return form_errors(form)
        nominations = reports.filtered_nominations(form.cleaned_data)
        return paged(self, request, nominations, NominationSerializer)


def _column_key(title: str) -> str:
    """ "Submitted at (UK time)" -> "submitted_at_uk_time": the JSON export's keys."""
    return re.sub(r"[^a-z0-9]+", "_", title.lower()).strip("_")


@endpoint(scope="awards:read", rule="awards.manage")
class NominationExport(ApiView):
    """The staff list's export (awards.exports.NOMINATIONS), with the same
    filters. Up to EXPORT_BACKGROUND_ROWS rows the file itself (CSV or XLSX)
    or its rows as JSON; beyond that a CSV or XLSX is built in the background
    (core.export_jobs, as the page does): 202 with the job to ask after. A
    JSON export holds at most EXPORT_BACKGROUND_ROWS rows: beyond that, ask
    for a file or page through the list."""

    @extend_schema(
        operation_id="manage_nominations_export",
        summary="Export nominations (CSV, XLSX or JSON)",
        parameters=[
            OpenApiParameter("file_format", str, enum=FILE_FORMATS, description="json (the default), csv or xlsx"),
            *NOMINATION_FILTERS,
        ],
        responses={
            (200, "application/json"): ExportRowsSerializer,
            (200, "text/csv"): OpenApiTypes.BINARY,
            (200, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"): OpenApiTypes.BINARY,
            202: ExportQueuedSerializer,
            **BAD_REQUEST,
            **REFUSED,
        },
        tags=["Awards administration"],
    )
    def get(self, request):
        fmt = request.GET.get("file_format", "json")
        form = _filters(request)
        if not form.is_valid() or fmt not in FILE_FORMATS:
            if fmt not in FILE_FORMATS:
                form.is_valid()
                form.add_error(None, "Choose the file format: csv, xlsx or json")
            return form_errors(form)
        kind = exports.NOMINATIONS
        require(request.user, kind.permission)
        parameters = exports.parameters(form.cleaned_data)
        count = kind.count(parameters)
        limit = settings.EXPORT_BACKGROUND_ROWS
        if fmt == "json":
            if count > limit:
                return Response(
                    {
                        "detail": f"{count} nominations match: a JSON export holds at most {limit}. "
                        "Ask for file_format=csv or xlsx (built in the background), or page through the list",
                        "errors": {"file_format": [f"At most {limit} rows as JSON"]},
                    },
                    status=400,
                )
            keys = [_column_key(title) for title in kind.header]
            rows = [dict(zip(keys, row, strict=True)) for row in kind.rows(parameters)]
            return Response({"count": len(rows), "columns": keys, "results": rows})
        stem = f"{kind.filename}-{timezone.localdate():%Y-%m-%d}"
        if count <= limit:
            return table_response(list(kind.header), kind.rows(parameters), stem, fmt)
        job = export_jobs.queue_export(request.user, kind, parameters, fmt, filename=f"{stem}.{fmt}")
        status_url = request.build_absolute_uri(reverse("api:export_job", args=[job.pk]))
        return Response(
            {"job": job.pk, "state": job.state, "status": status_url}, status=202, headers={"Location": status_url}
        )


def _own_job(request, pk) -> ExportJob:
    """The person's own nominations export; anyone else's answers as missing."""
    job = get_object_or_404(ExportJob, pk=pk, kind=exports.NOMINATIONS.code)
    if not request.user.has_perm("core.view_export", job):
        raise Http404
    return job


@endpoint(scope="awards:read", rule="awards.manage")
class ExportJobStatus(ApiView):
    """Where a background nominations export stands; once done, the address
    of its file (kept EXPORT_KEEP_DAYS days)."""

    @extend_schema(
        operation_id="exports_retrieve",
        summary="A background export's status",
        parameters=[id_parameter()],
        responses={200: ExportJobSerializer, **NOT_FOUND, **REFUSED},
        tags=["Awards administration"],
    )
    def get(self, request, pk):
        job = _own_job(request, pk)
        done = job.state == job.STATES.DONE
        reason = export_jobs.withheld(job) if done else ""
        may = done and not reason and request.user.has_perm("core.download_export", job)
        job.download = request.build_absolute_uri(reverse("api:export_download", args=[job.pk])) if may else None
        job.withheld = reason
        return Response(ExportJobSerializer(job).data)


@endpoint(scope="awards:read", rule="awards.manage")
class ExportJobDownload(ApiView):
    """A finished export's file, asked again of the export's permission, as
    its download page does (core.views.export_download)."""

    @extend_schema(
        operation_id="exports_download",
        summary="A background export's file",
        parameters=[id_parameter()],
        responses={
            (200, "text/csv"): OpenApiTypes.BINARY,
            (200, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"): OpenApiTypes.BINARY,
            **NOT_FOUND,
            **REFUSED,
        },
        tags=["Awards administration"],
    )
    def get(self, request, pk):
        job = _own_job(request, pk)
        if export_jobs.withheld(job) or job.state != job.STATES.DONE or not job.file:
            raise Http404("This export has no file to download")
        require(request.user, "core.download_export", job)
        try:
            response = private_file_response(job.file, filename=job.filename, mimetype=MIMETYPES[job.format])
        except STORAGE_ERRORS:
            raise Http404("The file of this export could not be read") from None
        export_jobs.record_download(request.user, job)
        return response


def _result(result, phase) -> dict:
    """One award, each fact only as the disclosure policy lets an administrator see it."""
    nomination = result.nomination
    named = allows(Audience.ADMIN, Fact.IDENTITY, phase, consented=bool(nomination.consent_to_publish))
    return {
        "nomination": nomination.pk,
        "reference": nomination.reference,
        "award": result.award,
        "award_label": result.get_award_display(),
        "service": nomination.service_name if named else "",
        "organisation": nomination.organisation.name if named else "",
        "citation": result.citation,
        "final_score": result.final_score if allows(Audience.ADMIN, Fact.SCORES, phase) else None,
    }


@endpoint(scope="awards:read", rule="awards.manage")
class CycleResults(ApiView):
    """A cycle's results, category by category: a category's awards appear
    once its panel signed off (judging.domain.final), through the disclosure
    policy (awards.disclosure.allows) for the administrator's audience."""

    @extend_schema(
        operation_id="manage_cycle_results",
        summary="A cycle's signed-off results",
        parameters=[id_parameter()],
        responses={200: CycleResultsSerializer, **NOT_FOUND, **REFUSED},
        tags=["Awards administration"],
    )
    def get(self, request, pk):
        cycle = get_object_or_404(Cycle.objects.select_related("programme"), pk=pk)
        categories = list(cycle.categories.select_related("panel").order_by("order", "name"))
        results = list(
            FinalResult.objects.filter(
                nomination__cycle=cycle, nomination__category__panel__signed_off_at__isnull=False
            )
            .exclude(award=Award.NONE)
            .select_related("nomination__organisation", "nomination__cycle")
            .order_by("nomination__reference", "pk")
        )
        results.sort(key=lambda r: AWARD_ORDER.get(r.award, len(AWARD_ORDER)))
        phases = phases_for([r.nomination for r in results])
        by_category = {}
        for result in results:
            phase = phases[result.nomination_id]
            if allows(Audience.ADMIN, Fact.AWARD, phase):
                by_category.setdefault(result.nomination.category_id, []).append(_result(result, phase))
        rows = []
        for category in categories:
            panel = getattr(category, "panel", None)
            signed_off_at = panel.signed_off_at if panel is not None else None
            rows.append(
                {
                    "category": {"id": category.pk, "name": category.name},
                    "signed_off": signed_off_at is not None,
                    "signed_off_at": signed_off_at,
                    "no_award": panel is not None and panel.no_award_at is not None,
                    "results": by_category.get(category.pk, []) if signed_off_at else [],
                }
            )
        data = {
            "cycle": {"id": cycle.pk, "name": str(cycle)},
            "approved": cycle.results_approved_at is not None,
            "announced_at": cycle.winners_announced,
            "categories": rows,
        }
        return Response(CycleResultsSerializer(data).data)
