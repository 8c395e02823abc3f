"""Leaders' portfolios, completions, credentials, DASS appointments and the
academy's compliance dashboard."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST
from weasyprint import HTML

from accounts.enums import Region
from accounts.models import Organisation, User
from accounts.views import permission_required
from core.downloads import content_disposition, private_file_response
from core.errors import DomainError
from core.exports import table_response
from core.forms import is_id
from core.paging import get_page
from core.uploads import accepts_uploads
from courses.models import Course, CourseState

from . import compliance, credentials
from . import domain as leaders
from .enums import ComplianceStatus
from .forms import AppointmentChangeForm, AppointmentForm, CompletionForm, LeaderProfileForm, RejectForm, RevokeForm
from .models import Completion, DassAppointment, IssuedCredential, LeaderProfile
from .rules import may_verify

manage_required = permission_required("leaders.manage")


def _appointments(queryset, today):
    return queryset.annotate(status=compliance.status_expression(today)).select_related("local_authority")


def _portfolio_context(user):
    today = timezone.localdate()
    completions = list(
        credentials.with_accreditation_on_completion(Completion.objects.filter(leader=user))
        .select_related("course__provider", "credential")
        .prefetch_related("course__levels", "course__domains")
        .order_by("-completed_on", "-pk")
    )
    return {
        "profile": LeaderProfile.objects.filter(user=user).select_related("employer").first(),
        "completions": completions,
        "levels": sorted(
            {lv.name for c in completions if c.course_id and c.state == "verified" for lv in c.course.levels.all()}
        ),
        "domains": sorted(
            {d.name for c in completions if c.course_id and c.state == "verified" for d in c.course.domains.all()}
        ),
        "appointments": _appointments(DassAppointment.objects.filter(leader=user), today),
        "today": today,
        "statuses": dict(ComplianceStatus.choices),
    }


@login_required
def portfolio(request):
    context = _portfolio_context(request.user)
    context["credential_eligible"] = {c.pk for c in context["completions"] if credentials.eligible(c)}
    return render(request, "leaders/portfolio.html", context)


@login_required
def portfolio_pdf(request):
    """The portfolio to show an employer: verified completions only, each with
    a link anyone can follow to check it is still on the record."""
    context = _portfolio_context(request.user)
    verified = [c for c in context["completions"] if c.is_verified]
    for completion in verified:
        completion.check_url = settings.SITE_URL + reverse("leaders:check", args=[leaders.check_token(completion)])
    html = render_to_string("leaders/portfolio_pdf.html", {**context, "completions": verified, "person": request.user})
    response = HttpResponse(HTML(string=html).write_pdf(), content_type="application/pdf")
    response["Content-Disposition"] = content_disposition("leadership-portfolio.pdf")
    return response


@login_required
def profile(request):
    current = LeaderProfile.objects.filter(user=request.user).first()
    organisations = Organisation.objects.filter(memberships__user=request.user)
    initial = (
        {"job_title": current.job_title, "employer": current.employer, "sector": current.sector} if current else None
    )
    form = LeaderProfileForm(request.POST or None, initial=initial, organisations=organisations)
    if request.method == "POST" and form.is_valid():
        leaders.save_leader_profile(request.user, **form.cleaned_data)
        messages.success(request, "Your leader profile has been saved.")
        return redirect("leaders:portfolio")
    return render(request, "leaders/profile.html", {"form": form})


@accepts_uploads(leaders.MAX_CERTIFICATE)
@login_required
def record_completion(request, supersedes_pk=None):
    supersedes = get_object_or_404(Completion, pk=supersedes_pk, leader=request.user) if supersedes_pk else None
    courses = Course.objects.filter(state=CourseState.LISTED).select_related("provider").order_by("title")
    initial = (
        {
            "course": supersedes.course,
            "course_title": supersedes.course_title,
            "provider_name": supersedes.provider_name,
        }
        if supersedes
        else None
    )
    form = CompletionForm(request.POST or None, request.FILES or None, courses=courses, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            leaders.record_completion(
                request.user,
                course=form.cleaned_data["course"],
                course_title=form.cleaned_data["course_title"],
                provider_name=form.cleaned_data["provider_name"],
                completed_on=form.cleaned_data["completed_on"],
                certificate=form.cleaned_data["certificate"],
                supersedes=supersedes,
            )
        except DomainError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request, "The completion has been recorded. It will be verified by the academy or the course provider."
            )
            return redirect("leaders:portfolio")
    return render(request, "leaders/completion_form.html", {"form": form, "supersedes": supersedes})


@login_required
def withdraw_completion(request, pk):
    """The leader withdraws a completion still waiting for verification."""
    completion = get_object_or_404(Completion.objects.select_related("course__provider"), pk=pk, leader=request.user)
    if request.method == "POST":
        try:
            leaders.withdraw_completion(request.user, completion)
        except DomainError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request, f"Your record of {completion.title} is withdrawn. Nobody will be asked to verify it."
            )
        return redirect("leaders:portfolio")
    if not completion.is_pending:
        messages.error(request, leaders.not_withdrawable(completion))
        return redirect("leaders:portfolio")
    return render(request, "leaders/withdraw_completion.html", {"completion": completion})


def completion_check(request, token):
    """Public: the link on a portfolio PDF. Says whether the completion is
    still verified, today; the leader's name so the reader knows whose it is."""
    completion = leaders.completion_for_check(token)
    if completion is None:
        raise Http404
    label, explanation = leaders.check_state(completion)
    credential = getattr(completion, "credential", None)
    response = render(
        request,
        "leaders/completion_check.html",
        {"completion": completion, "label": label, "explanation": explanation, "credential": credential},
    )
    response["X-Robots-Tag"] = "noindex"
    return response


@login_required
def certificate(request, pk):
    completion = get_object_or_404(Completion.objects.select_related("course__provider"), pk=pk)
    if not (completion.leader_id == request.user.pk or may_verify(request.user, completion)):
        raise Http404
    if not completion.certificate:
        raise Http404
    return private_file_response(
        completion.certificate, filename=completion.certificate_name, mimetype=completion.certificate_mimetype
    )


@login_required
def credential_download(request, pk):
    completion = get_object_or_404(Completion, pk=pk, leader=request.user)
    try:
        issued = credentials.issue(request.user, completion)
    except DomainError as error:
        messages.error(request, str(error))
        return redirect("leaders:portfolio")
    response = JsonResponse(issued.document, json_dumps_params={"indent": 2, "ensure_ascii": False})
    response["Content-Disposition"] = content_disposition(f"open-badge-{issued.uuid}.json")
    return response


def credential_verify(request, uuid):
    issued = get_object_or_404(IssuedCredential.objects.select_related("completion__course__provider"), uuid=uuid)
    state, explanation = credentials.status(issued)
    if request.headers.get("Accept", "").startswith("application/json"):
        return JsonResponse({"status": state, "explanation": explanation})
    return render(
        request,
        "leaders/credential_verify.html",
        {
            "issued": issued,
            "state": state,
            "explanation": explanation,
            "may_revoke": request.user.is_authenticated and request.user.has_perm("leaders.manage"),
        },
    )


def issuer(request):
    return JsonResponse(credentials.issuer_profile(), json_dumps_params={"indent": 2})


def status_list(request, number):
    """The public revocation list (W3C Bitstring Status List), signed. Built
    fresh on every request, so a revocation shows at once; verifiers may keep
    it for a few minutes."""
    if number != credentials.STATUS_LIST_NUMBER:
        raise Http404
    response = JsonResponse(credentials.status_list(), json_dumps_params={"indent": 2})
    response["Content-Type"] = "application/vc+ld+json"
    response["Cache-Control"] = "public, max-age=300"
    return response


@manage_required
def revoke_credential(request, uuid):
    """Academy staff revoke a credential, with the reason shown to anyone who checks it."""
    issued = get_object_or_404(
        IssuedCredential.objects.select_related("completion__course", "completion__leader"), uuid=uuid
    )
    form = RevokeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            credentials.revoke(request.user, issued, reason=form.cleaned_data["reason"])
        except DomainError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "The credential is revoked. Anyone who checks it is told why.")
            return redirect("credentials:verify", uuid=issued.uuid)
    return render(request, "leaders/revoke_credential.html", {"issued": issued, "form": form})


@login_required
def verification_queue(request):
    waiting = leaders.completions_to_verify(request.user)
    if not (
        request.user.has_perm("leaders.manage")
        or waiting.exists()
        or request.user.memberships.filter(organisation__is_course_provider=True).exists()
    ):
        raise PermissionDenied
    page = Paginator(waiting.select_related("leader", "course__provider").order_by("created_at", "pk"), 50).get_page(
        request.GET.get("page")
    )
    return render(request, "leaders/verification_queue.html", {"page": page, "reject_form": RejectForm()})


def _completion_to_decide(user, pk) -> Completion:
    completion = get_object_or_404(Completion.objects.select_related("course__provider"), pk=pk)
    if not may_verify(user, completion):
        raise Http404
    return completion


@login_required
@require_POST
def verify_completion(request, pk):
    completion = _completion_to_decide(request.user, pk)
    try:
        leaders.verify_completion(request.user, completion)
    except DomainError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"{completion.title} for {completion.leader.email} is verified.")
    return redirect("leaders:verification")


@login_required
@require_POST
def reject_completion(request, pk):
    completion = _completion_to_decide(request.user, pk)
    form = RejectForm(request.POST)
    if not form.is_valid():
        # The queue has one short field per completion: the message names what is missing.
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        return redirect("leaders:verification")
    try:
        leaders.reject_completion(request.user, completion, reason=form.cleaned_data["reason"])
    except DomainError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"{completion.title} for {completion.leader.email} is rejected.")
    return redirect("leaders:verification")


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
    if status:
        queryset = queryset.filter(compliance.status_filter(status, today))
    if region:
        queryset = queryset.filter(local_authority__region=region)
    if authority:
        queryset = queryset.filter(local_authority_id=int(authority))
    return queryset, {"status": status, "region": region, "authority": authority}


@manage_required
def dashboard(request):
    today = timezone.localdate()
    current = DassAppointment.objects.filter(compliance.current_filter(today))
    filtered, chosen = _dashboard_filters(request, current, today)
    annotated = filtered.annotate(status=compliance.status_expression(today))
    if request.GET.get("export") in ("csv", "xlsx"):
        header = ["Leader", "Email", "Local authority", "Region", "Appointed on", "Type", "Deadline", "Status"]
        labels = dict(ComplianceStatus.choices)
        rows = (
            [
                a.leader.full_name,
                a.leader.email,
                a.local_authority.name,
                a.local_authority.get_region_display(),
                a.appointed_on,
                a.get_kind_display(),
                a.deadline,
                labels[a.status],
            ]
            for a in annotated.select_related("leader", "local_authority")
            .order_by("deadline", "pk")
            .iterator(chunk_size=2000)
        )
        return table_response(header, rows, f"dass-compliance-{today:%Y-%m-%d}", request.GET["export"])
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
        },
    )
