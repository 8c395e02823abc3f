"""DASS appointments and the compliance dashboard."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from accounts.enums import Region
from accounts.models import User
from core.errors import DomainError
from core.export_jobs import export_response
from core.forms import is_id
from core.paging import get_page

from .. import compliance, exports
from .. import domain as leaders
from ..enums import ComplianceStatus
from ..forms import AppointmentChangeForm, AppointmentForm
from ..models import DassAppointment
from ._common import manage_required


@login_required
def appointment_form(request):
    staff = request.user.has_perm("leaders.manage")
    form = AppointmentForm(request.POST or None, authorities=leaders.local_authorities(), staff=staff)
    if request.method == "POST" and form.is_valid():
        leader = request.user
        if staff and form.cleaned_data.get("email"):
            leader = User.objects.filter(email__iexact=form.cleaned_data["email"]).first()
            if leader is None:
                form.add_error("email", "No one has signed up with that email address")
        if not form.errors:
            try:
                leaders.record_appointment(
                    request.user,
                    leader,
                    local_authority=form.cleaned_data["local_authority"],
                    appointed_on=form.cleaned_data["appointed_on"],
                    ended_on=form.cleaned_data["ended_on"],
                    kind=form.cleaned_data["kind"],
                )
            except DomainError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, "The appointment has been recorded.")
                _warn_two_directors(request, form.cleaned_data["local_authority"])
                return redirect("leaders:dashboard" if leader != request.user else "leaders:portfolio")
    return render(request, "leaders/appointment_form.html", {"form": form})


def _warn_two_directors(request, authority):
    for flagged in compliance.authorities_with_two_directors(timezone.localdate(), authority=authority):
        names = " and ".join(a.leader.full_name or a.leader.email for a in flagged["appointments"])
        messages.warning(
            request,
            f"{flagged['authority'].name} now has {len(flagged['appointments'])} current substantive "
            f"directors ({names}). If one has left, the academy ends that appointment.",
        )


@manage_required
def appointment_change(request, pk):
    """Academy staff correct or end an appointment (audited, with a reason)."""
    appointment = get_object_or_404(DassAppointment.objects.select_related("leader", "local_authority"), pk=pk)
    initial = {
        "local_authority": appointment.local_authority,
        "appointed_on": appointment.appointed_on,
        "ended_on": appointment.ended_on,
        "kind": appointment.kind,
    }
    form = AppointmentChangeForm(request.POST or None, initial=initial, authorities=leaders.local_authorities())
    if request.method == "POST" and form.is_valid():
        try:
            leaders.change_appointment(
                request.user,
                appointment,
                local_authority=form.cleaned_data["local_authority"],
                appointed_on=form.cleaned_data["appointed_on"],
                ended_on=form.cleaned_data["ended_on"],
                kind=form.cleaned_data["kind"],
                reason=form.cleaned_data["reason"],
            )
        except DomainError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"The appointment of {appointment.leader.email} has been changed.")
            _warn_two_directors(request, form.cleaned_data["local_authority"])
            return redirect("leaders:dashboard")
    return render(request, "leaders/appointment_change.html", {"form": form, "appointment": appointment})


def _dashboard_filters(request, queryset, today):
    """The filters asked for, keeping only valid values (they also key the cached counts)."""
    status = request.GET.get("status", "")
    region = request.GET.get("region", "")
    authority = request.GET.get("authority", "")
    status = status if status in ComplianceStatus.values else ""
    region = region if region in Region.values else ""
    authority = authority if is_id(authority) else ""
    chosen = {"status": status, "region": region, "authority": authority}
    return exports.apply_filters(queryset, chosen, today), chosen


@manage_required
def dashboard(request):
    today = timezone.localdate()
    current = DassAppointment.objects.filter(compliance.current_filter(today))
    filtered, chosen = _dashboard_filters(request, current, today)
    annotated = filtered.annotate(status=compliance.status_expression(today))
    if request.GET.get("export") in ("csv", "xlsx"):
        # Small: the file now; large: a background job and its page (core.export_jobs).
        parameters = {**chosen, "today": today.isoformat()}
        return export_response(request.user, exports.DASS_COMPLIANCE, parameters, request.GET["export"])
    counts = compliance.summary(filtered, today, chosen)
    two_directors = compliance.authorities_with_two_directors(today)
    page = get_page(
        annotated.select_related("leader", "local_authority").order_by("deadline", "pk"),
        request.GET.get("page"),
        count=counts["total"],
    )
    labels = dict(ComplianceStatus.choices)
    for appointment in page:
        appointment.status_label = labels[appointment.status]
    # Each region's and authority's numbers with their status, for summary
    # lists that fit a 320 px screen (the cached counts are not changed).
    by_region = [(region, list(zip(labels.values(), numbers, strict=True))) for region, numbers in counts["regions"]]
    by_authority = [
        (authority["name"], [(label, authority[value]) for value, label in labels.items()])
        for authority in counts["authorities"]
    ]
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "leaders/dashboard.html",
        {
            **counts,
            "statuses": ComplianceStatus.choices,
            "page": page,
            "chosen": chosen,
            "region_choices": Region.choices,
            "query": query.urlencode(),
            "two_directors": two_directors,
            "by_region": by_region,
            "by_authority": by_authority,
        },
    )
