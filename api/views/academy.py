"""Academy staff: DASS compliance, as the DASS dashboard lists it (the
appointments held today, each with its status by leaders.compliance), with
the dashboard's filters, a page at a time."""

from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.response import Response

from accounts.enums import Region
from core.forms import is_id
from leaders import compliance, exports
from leaders.enums import ComplianceStatus
from leaders.models import DassAppointment

from ..registry import endpoint
from ..serializers_private import AppointmentSerializer
from .base import ApiView
from .common import BAD_REQUEST, NOT_FOUND, PAGE_PARAMETERS, REFUSED, page_of, paged

FILTERS = [
    OpenApiParameter("status", str, enum=list(ComplianceStatus.values), description="Compliance status today"),
    OpenApiParameter("region", str, enum=list(Region.values), description="The local authority's region"),
    OpenApiParameter(
        "authority", {"type": "integer", "minimum": 1, "maximum": 10**18 - 1}, description="A local authority's id"
    ),
]


def chosen_filters(query) -> tuple[dict, dict]:
    """The dashboard's filters from the query, and the problems of those not
    valid (the dashboard drops them; the API says so)."""
    chosen = {name: query.get(name, "") for name in ("status", "region", "authority")}
    errors = {}
    if chosen["status"] and chosen["status"] not in ComplianceStatus.values:
        errors["status"] = ["Choose one of: " + ", ".join(ComplianceStatus.values)]
    if chosen["region"] and chosen["region"] not in Region.values:
        errors["region"] = ["Choose one of: " + ", ".join(Region.values)]
    if chosen["authority"] and not is_id(chosen["authority"]):
        errors["authority"] = ["Give a local authority's id"]
    return chosen, errors


@endpoint(scope="academy:read", rule="leaders.view_dashboard")
class DassCompliance(ApiView):
    """Current DASS appointments, nearest deadline first, each with its
    compliance status today."""

    @extend_schema(
        operation_id="dass_compliance_list",
        summary="DASS appointments and their compliance status",
        parameters=[*FILTERS, *PAGE_PARAMETERS],
        responses={200: page_of(AppointmentSerializer, "Appointment"), **BAD_REQUEST, **NOT_FOUND, **REFUSED},
        tags=["Leadership academy"],
    )
    def get(self, request):
        chosen, errors = chosen_filters(request.GET)
        if errors:
            return Response({"detail": "Check the filters: some values are not valid", "errors": errors}, status=400)
        today = timezone.localdate()
        current = DassAppointment.objects.filter(compliance.current_filter(today))
        appointments = (
            exports.apply_filters(current, chosen, today)
            .annotate(status=compliance.status_expression(today))
            .select_related("leader", "local_authority")
            .order_by("deadline", "pk")
        )
        return paged(self, request, appointments, AppointmentSerializer)
