"""A leader's own record: portfolio, profile, completions, certificates and check links."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from weasyprint import HTML

from accounts.models import Organisation
from core.downloads import content_disposition, private_file_response
from core.errors import DomainError
from core.uploads import accepts_uploads
from courses.models import Course, CourseState

from .. import compliance, credentials
from .. import domain as leaders
from ..enums import ComplianceStatus
from ..forms import CompletionForm, LeaderProfileForm
from ..models import Completion, DassAppointment, LeaderProfile
from ..rules import may_verify


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
        # Templates name statuses through the enum: {% if a.status == STATUS.OVERDUE %}
        "STATUS": ComplianceStatus,
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
