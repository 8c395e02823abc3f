"""Course providers apply; academy staff assess and decide; the public verifies."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import BadRequest
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from accounts.views import permission_required
from core.downloads import content_disposition, private_file_response
from core.errors import DomainError
from core.uploads import accepts_uploads
from courses.domain import provider_organisations
from courses.models import Course, CourseChange, CourseChangeState

from . import domain, letters
from .forms import (
    AnswersForm,
    AssessmentForm,
    AssignForm,
    ChangeReferralForm,
    ConditionResponseForm,
    DecisionForm,
    EvidenceForm,
    ReturnForm,
    StatusChangeForm,
)
from .models import Accreditation, Application, ApplicationState, Condition, Criterion, EvidenceFile, Standing

manage_required = permission_required("accreditation.manage")


def _application_for(user, pk) -> Application:
    application = get_object_or_404(
        Application.objects.select_related("course__provider", "assessor", "renews", "created_by"), pk=pk
    )
    if not user.has_perm("accreditation.view_application", application):
        raise Http404
    return application


# Providers -----------------------------------------------------------------------------------


@login_required
def provider_home(request):
    providers = provider_organisations(request.user)
    applications = Application.objects.filter(course__provider__in=providers).select_related("course", "assessor")
    accreditations = (
        Accreditation.objects.filter(course__provider__in=providers)
        .select_related("course")
        .prefetch_related("conditions")
    )
    courses = Course.objects.filter(provider__in=providers).order_by("title")
    return render(
        request,
        "accreditation/provider_home.html",
        {"applications": applications, "accreditations": accreditations, "courses": courses},
    )


@login_required
@require_POST
def start(request, course_pk):
    course = get_object_or_404(Course.objects.select_related("provider"), pk=course_pk)
    if not request.user.has_perm("accreditation.apply", course):
        raise Http404
    try:
        application = domain.start_application(request.user, course)
    except DomainError as error:
        messages.error(request, str(error))
        return redirect("accreditation:home")
    return redirect("accreditation:application", pk=application.pk)


@accepts_uploads(domain.MAX_EVIDENCE_FILE)
@login_required
def application_detail(request, pk):
    application = _application_for(request.user, pk)
    is_applicant = request.user.has_perm("accreditation.edit_application", application)
    criteria = list(Criterion.objects.filter(active=True))
    answers = {a.criterion_id: a.text for a in application.answers.all()}
    answers_form = AnswersForm(
        request.POST if "save_answers" in request.POST else None, criteria=criteria, answers=answers
    )
    evidence_form = EvidenceForm(
        request.POST if "upload" in request.POST else None,
        request.FILES if "upload" in request.POST else None,
        criteria=criteria,
    )
    if request.method == "POST" and is_applicant:
        try:
            if "save_answers" in request.POST and answers_form.is_valid():
                domain.save_answers(request.user, application, answers_form.answers())
                messages.success(request, "Your answers have been saved.")
                return redirect("accreditation:application", pk=pk)
            if "upload" in request.POST and evidence_form.is_valid():
                criterion = get_object_or_404(Criterion, pk=evidence_form.cleaned_data["criterion"])
                added = domain.add_evidence(
                    request.user, application, evidence_form.cleaned_data["file"], criterion=criterion
                )
                messages.success(request, f"{added.original_name} has been uploaded.")
                return redirect("accreditation:application", pk=pk)
            if "submit" in request.POST:
                domain.submit_application(request.user, application)
                messages.success(request, "Your application has been submitted to the Skills Academy.")
                return redirect("accreditation:application", pk=pk)
        except DomainError as error:
            target = evidence_form if "upload" in request.POST else answers_form
            target.add_error(None, str(error))
    rounds = application.rounds.prefetch_related(
        Prefetch("assessments", queryset=domain.Assessment.objects.select_related("criterion"))
    )
    conditions = []
    if hasattr(application, "accreditation"):
        conditions = application.accreditation.conditions.prefetch_related("evidence")
    return render(
        request,
        "accreditation/application.html",
        {
            "application": application,
            "is_applicant": is_applicant,
            "criteria": criteria,
            "answers": answers,
            "answers_form": answers_form,
            "evidence_form": evidence_form,
            "evidence": application.evidence.filter(condition__isnull=True).select_related("criterion"),
            "rounds": rounds,
            "conditions": conditions,
            "condition_form": ConditionResponseForm(),
        },
    )


@login_required
def evidence_download(request, pk):
    evidence = get_object_or_404(EvidenceFile.objects.select_related("application__course__provider"), pk=pk)
    _application_for(request.user, evidence.application_id)
    return private_file_response(evidence.file, filename=evidence.original_name, mimetype=evidence.mimetype)


@login_required
def letter(request, pk):
    application = _application_for(request.user, pk)
    if application.state not in ApplicationState.decided():
        raise Http404
    response = HttpResponse(letters.decision_letter(application), content_type="application/pdf")
    response["Content-Disposition"] = content_disposition(f"decision-{application.pk}.pdf")
    return response


@accepts_uploads(domain.MAX_EVIDENCE_FILE)
@login_required
@require_POST
def condition_response(request, pk):
    condition = get_object_or_404(
        Condition.objects.select_related("accreditation__application__course__provider"), pk=pk
    )
    application = _application_for(request.user, condition.accreditation.application_id)
    form = ConditionResponseForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            if form.cleaned_data["file"]:
                domain.add_evidence(request.user, application, form.cleaned_data["file"], condition=condition)
            domain.submit_condition_response(request.user, condition, response=form.cleaned_data["response"])
        except DomainError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, "Your evidence for the condition has been sent to the assessor.")
    return redirect("accreditation:application", pk=application.pk)


# Academy staff --------------------------------------------------------------------------------


@manage_required
def staff_list(request):
    applications = Application.objects.select_related("course__provider", "assessor").order_by("-submitted_at", "-pk")
    state = request.GET.get("state", "")
    if state in ApplicationState.values:
        applications = applications.filter(state=state)
    if request.GET.get("mine") == "yes":
        applications = applications.filter(assessor=request.user)
    page = Paginator(applications, 50).get_page(request.GET.get("page"))
    today = timezone.localdate()
    accreditations = list(Accreditation.objects.select_related("course__provider").order_by("-valid_from")[:50])
    for accreditation in accreditations:
        accreditation.standing = Standing(accreditation.standing_on(today))
    changes = CourseChange.objects.filter(state=CourseChangeState.PENDING).select_related("course__provider")
    return render(
        request,
        "accreditation/staff_list.html",
        {
            "page": page,
            "state": state,
            "states": ApplicationState.choices,
            "mine": request.GET.get("mine") == "yes",
            "accreditations": accreditations,
            "changes": changes.order_by("requested_at"),
        },
    )


@manage_required
def assess(request, pk):
    application = _application_for(request.user, pk)
    criteria = list(Criterion.objects.filter(active=True))
    current = application.rounds.filter(number=application.round).first()
    existing = {a.criterion_id: (a.outcome, a.comment) for a in current.assessments.all()} if current else {}
    action = request.POST.get("action")
    assign_form = AssignForm(request.POST if action == "assign" else None)
    assessment_form = AssessmentForm(request.POST if action == "assess" else None, criteria=criteria, existing=existing)
    return_form = ReturnForm(request.POST if action == "return" else None)
    decision_form = DecisionForm(request.POST if action == "decide" else None)
    form_for_action = {
        "assign": assign_form,
        "assess": assessment_form,
        "return": return_form,
        "decide": decision_form,
    }
    if request.method == "POST" and action not in form_for_action:
        raise BadRequest("Unknown action")
    if request.method == "POST":
        try:
            if action == "assign" and assign_form.is_valid():
                domain.assign_assessor(request.user, application, assign_form.cleaned_data["assessor"])
                messages.success(request, "The assessor has been assigned.")
                return redirect("accreditation:assess", pk=pk)
            if action == "assess" and assessment_form.is_valid():
                domain.record_assessment(request.user, application, assessment_form.outcomes())
                messages.success(request, "Your assessment has been saved.")
                return redirect("accreditation:assess", pk=pk)
            if action == "return" and return_form.is_valid():
                domain.return_application(request.user, application, comments=return_form.cleaned_data["comments"])
                messages.success(request, "The application has been returned to the provider.")
                return redirect("accreditation:assess", pk=pk)
            if action == "decide" and decision_form.is_valid():
                domain.decide(
                    request.user,
                    application,
                    decision=decision_form.cleaned_data["decision"],
                    reasons=decision_form.cleaned_data["reasons"],
                    valid_from=decision_form.cleaned_data["valid_from"],
                    conditions=decision_form.cleaned_data["conditions"],
                )
                messages.success(request, "The decision has been recorded and the letter sent.")
                return redirect("accreditation:assess", pk=pk)
        except DomainError as error:
            form_for_action[action].add_error(None, str(error))
    rounds = application.rounds.prefetch_related(
        Prefetch("assessments", queryset=domain.Assessment.objects.select_related("criterion"))
    )
    return render(
        request,
        "accreditation/assess.html",
        {
            "application": application,
            "is_assessor": application.assessor_id == request.user.pk,
            "current": current,
            "rounds": rounds,
            "evidence": application.evidence.select_related("criterion"),
            "assign_form": assign_form,
            "assessment_form": assessment_form,
            "return_form": return_form,
            "decision_form": decision_form,
            "conditions": application.accreditation.conditions.all() if hasattr(application, "accreditation") else [],
        },
    )


STATUS_CHANGES = {
    Standing.IN_FORCE: [("suspend", "Suspend"), ("withdraw", "Withdraw")],
    Standing.CONDITIONS: [("suspend", "Suspend"), ("withdraw", "Withdraw")],
    Standing.SUSPENDED: [("reinstate", "Reinstate"), ("withdraw", "Withdraw")],
    Standing.NOT_YET: [("withdraw", "Withdraw")],
    Standing.EXPIRED: [("withdraw", "Withdraw")],
    Standing.RENEWED: [("withdraw", "Withdraw")],
    Standing.WITHDRAWN: [],
}


@manage_required
def accreditation_status(request, pk):
    """An accreditation's standing today, its history and the changes its
    standing allows (an expired one cannot be suspended)."""
    accreditation = get_object_or_404(Accreditation.objects.select_related("course", "application__renews"), pk=pk)
    standing = accreditation.standing_on(timezone.localdate())
    choices = STATUS_CHANGES[standing]
    form = StatusChangeForm(request.POST or None, choices=choices)
    if request.method == "POST" and choices and form.is_valid():
        reason = form.cleaned_data["reason"]
        try:
            match form.cleaned_data["action"]:
                case "suspend":
                    domain.suspend(request.user, accreditation, reason=reason)
                case "reinstate":
                    domain.reinstate(request.user, accreditation, reason=reason)
                case "withdraw":
                    domain.withdraw(
                        request.user, accreditation, reason=reason, for_cause=form.cleaned_data.get("for_cause", False)
                    )
        except DomainError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "The accreditation has been updated and the provider told.")
            return redirect("accreditation:status", pk=pk)
    return render(
        request,
        "accreditation/status.html",
        {
            "accreditation": accreditation,
            "standing": Standing(standing),
            "renewal": accreditation.renewal(),
            "form": form if choices else None,
            "periods": accreditation.periods.all(),
            "events": accreditation.events.select_related("by"),
            "conditions": accreditation.conditions.all(),
        },
    )


@manage_required
def course_change(request, pk):
    """An assessor accepts a change to an accredited course, or sends it to re-assessment."""
    change = get_object_or_404(CourseChange.objects.select_related("course__provider", "requested_by"), pk=pk)
    form = ChangeReferralForm(request.POST or None)
    if request.method == "POST" and change.state == CourseChangeState.PENDING and form.is_valid():
        try:
            domain.refer_course_change(request.user, change, reason=form.cleaned_data["reason"])
        except DomainError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "The provider has been told the change needs re-assessment.")
            return redirect("accreditation:staff")
    return render(
        request,
        "accreditation/course_change.html",
        {"change": change, "form": form, "accreditation": domain.current_accreditation(change.course)},
    )


@manage_required
@require_POST
def accept_course_change(request, pk):
    change = get_object_or_404(CourseChange, pk=pk)
    try:
        domain.accept_course_change(request.user, change)
    except DomainError as error:
        messages.error(request, str(error))
        return redirect("accreditation:course_change", pk=pk)
    messages.success(request, "The change is accepted: the register shows it now, and the provider has been told.")
    return redirect("accreditation:staff")


@manage_required
@require_POST
def condition_met(request, pk):
    condition = get_object_or_404(Condition.objects.select_related("accreditation"), pk=pk)
    try:
        domain.mark_condition_met(request.user, condition)
    except DomainError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, "The condition is marked as met.")
    return redirect("accreditation:status", pk=condition.accreditation_id)


# Public ------------------------------------------------------------------------------------------


def verify(request, number=None):
    """Anyone checks an accreditation number: its standing today, its dates,
    what it renews or was renewed by, and its history."""
    number = (number or request.GET.get("number", "")).strip().upper()[:30]
    accreditation = None
    if number:
        accreditation = (
            Accreditation.objects.select_related("course__provider", "application__renews")
            .prefetch_related("conditions", "periods", "events")
            .filter(number=number)
            .first()
        )
    return render(
        request,
        "accreditation/verify.html",
        {
            "number": number,
            "accreditation": accreditation,
            "standing": Standing(accreditation.standing_on(timezone.localdate())) if accreditation else None,
            "renewal": accreditation.renewal() if accreditation else None,
        },
    )
