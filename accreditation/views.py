"""Course providers apply; academy staff assess and decide; the public verifies."""

import hashlib
import json
from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Exists, F, OuterRef, Prefetch
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST, require_safe

from accounts.views import permission_required
from core.downloads import content_disposition, private_file_response
from core.errors import DomainError
from core.paging import get_page
from core.uploads import accepts_uploads
from courses.domain import provider_organisations
from courses.models import Course, CourseChange, CourseChangeState, CourseState

from . import credentials, domain, letters
from .enums import AccreditationState, ConditionState
from .forms import (
    ApplicationForm,
    AssessmentForm,
    AssignForm,
    ChangeReferralForm,
    ConditionResponseForm,
    DecisionForm,
    ReturnForm,
    StatusChangeForm,
)
from .models import (
    Accreditation,
    AccreditationCredential,
    Application,
    ApplicationState,
    Condition,
    Criterion,
    EvidenceFile,
    Standing,
)

manage_required = permission_required("accreditation.manage")

# An application in these states blocks a new one for its course.
OPEN_STATES = [ApplicationState.DRAFT, ApplicationState.SUBMITTED, ApplicationState.RETURNED]


def _application_for(user, pk) -> Application:
    application = get_object_or_404(
        Application.objects.select_related("course__provider", "assessor", "renews", "created_by"), pk=pk
    )
    if not user.has_perm("accreditation.view_application", application):
        raise Http404
    return application


# Providers -----------------------------------------------------------------------------------


COURSES_PER_PAGE = 25


@login_required
def provider_home(request):
    """The provider's applications and accreditations, and the courses that
    can still apply (a page at a time, searchable: a provider may list
    thousands)."""
    providers = provider_organisations(request.user)
    applications = Application.objects.filter(course__provider__in=providers).select_related("course", "renews")
    accreditations = (
        Accreditation.objects.filter(course__provider__in=providers)
        .select_related("course")
        .prefetch_related("credentials")
    )
    query = request.GET.get("q", "").strip()[:200]
    courses = (
        Course.objects.filter(provider__in=providers)
        .exclude(state=CourseState.WITHDRAWN)
        .exclude(Exists(Application.objects.filter(course=OuterRef("pk"), state__in=OPEN_STATES)))
        .order_by("title", "pk")
    )
    if query:
        courses = courses.filter(title__icontains=query)
    return render(
        request,
        "accreditation/provider_home.html",
        {
            "applications": applications,
            "accreditations": accreditations,
            "page": get_page(courses, request.GET.get("page"), per_page=COURSES_PER_PAGE),
            "query": query,
            "has_courses": bool(query) or Course.objects.filter(provider__in=providers).exists(),
        },
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


def _criteria():
    return list(Criterion.objects.filter(active=True))


def _answers(application) -> dict[int, str]:
    return {a.criterion_id: a.text for a in application.answers.all()}


def _application_form(request, application, criteria) -> ApplicationForm:
    data = (request.POST, request.FILES) if request.method == "POST" else ()
    return ApplicationForm(*data, criteria=criteria, answers=_answers(application))


def _render_application(request, application, *, form=None, criteria=None, status=200, saved=""):
    criteria = criteria if criteria is not None else _criteria()
    is_applicant = request.user.has_perm("accreditation.edit_application", application)
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
            "answers": _answers(application),
            "form": form or ApplicationForm(criteria=criteria, answers=_answers(application)),
            "saved": saved,
            "evidence": application.evidence.filter(condition__isnull=True).select_related("criterion"),
            "rounds": rounds,
            "conditions": conditions,
            "condition_form": ConditionResponseForm(),
        },
        status=status,
    )


@require_safe
@login_required
def application_detail(request, pk):
    application = _application_for(request.user, pk)
    return _render_application(request, application)


def _applicant_application(user, pk) -> Application:
    """The application, for a member of the provider that applies; others
    (academy staff included, who read it on the assess page) get a 404."""
    application = _application_for(user, pk)
    if not user.has_perm("accreditation.edit_application", application):
        raise Http404
    return application


def _editable_application(request, pk):
    """The application for the provider's buttons, and where to send them
    instead when it can no longer be changed."""
    application = _applicant_application(request.user, pk)
    if application.is_editable:
        return application, None
    messages.error(request, "This application has been submitted and cannot be changed now")
    return application, redirect("accreditation:application", pk=pk)


def _save_what_was_typed(request, application, form, criteria) -> tuple[bool, str]:
    """Saves every valid answer and the file chosen, whichever button was
    pressed: one refused part does not lose the others. Returns whether
    everything was saved, and what to tell the person."""
    done = []
    everything = True
    if form.answers_valid():
        try:
            domain.save_answers(request.user, application, form.answers())
        except DomainError as error:
            form.add_error(None, str(error))
            return False, ""
        done.append("Your answers have been saved.")
    else:
        everything = False
    if form.evidence_valid():
        upload = form.cleaned_data.get("file")
        if upload:
            criterion = next(c for c in criteria if c.pk == form.cleaned_data["evidence_criterion"])
            try:
                added = domain.add_evidence(request.user, application, upload, criterion=criterion)
            except DomainError as error:
                form.add_error("file", str(error))
                everything = False
            else:
                done.append(f"{added.original_name} has been uploaded.")
    else:
        everything = False
    return everything, " ".join(done)


@accepts_uploads(domain.MAX_EVIDENCE_FILE)
@login_required
@require_POST
def save_application(request, pk):
    """ "Save answers": the answers, and a file if one was chosen."""
    application, elsewhere = _editable_application(request, pk)
    if elsewhere:
        return elsewhere
    criteria = _criteria()
    form = _application_form(request, application, criteria)
    saved, said = _save_what_was_typed(request, application, form, criteria)
    if not saved:
        return _render_application(request, application, form=form, criteria=criteria, saved=said)
    messages.success(request, said)
    return redirect("accreditation:application", pk=pk)


@accepts_uploads(domain.MAX_EVIDENCE_FILE)
@login_required
@require_POST
def upload_evidence(request, pk):
    """ "Upload file": the file, and the answers typed with it."""
    application, elsewhere = _editable_application(request, pk)
    if elsewhere:
        return elsewhere
    criteria = _criteria()
    form = _application_form(request, application, criteria)
    if form.evidence_valid() and not form.cleaned_data.get("file"):
        form.add_error("file", "Select a file to upload")
    saved, said = _save_what_was_typed(request, application, form, criteria)
    if not saved:
        return _render_application(request, application, form=form, criteria=criteria, saved=said)
    messages.success(request, said)
    return redirect(reverse("accreditation:application", args=[pk]) + "#evidence")


@accepts_uploads(domain.MAX_EVIDENCE_FILE)
@login_required
@require_POST
def submit(request, pk):
    """ "Submit application": saves everything typed, then names each
    criterion still unanswered, or asks to confirm."""
    application, elsewhere = _editable_application(request, pk)
    if elsewhere:
        return elsewhere
    criteria = _criteria()
    form = _application_form(request, application, criteria)
    saved, said = _save_what_was_typed(request, application, form, criteria)
    if saved:
        for criterion in domain.unanswered_criteria(application, criteria=criteria):
            form.add_error(form.field_name(criterion), f"Answer ‘{criterion.title}’ before submitting")
            saved = False
    if not saved:
        return _render_application(request, application, form=form, criteria=criteria, saved=said)
    return redirect("accreditation:confirm_submit", pk=pk)


@login_required
def confirm_submit(request, pk):
    """Are you sure? What submitting does and who hears of it; Confirm submits."""
    application = _applicant_application(request.user, pk)
    if not application.is_editable:
        messages.error(request, "This application has been submitted and cannot be changed now")
        return redirect("accreditation:application", pk=pk)
    if domain.unanswered_criteria(application):
        messages.error(request, "Answer every criterion before submitting")
        return redirect("accreditation:application", pk=pk)
    if request.method == "POST":
        try:
            domain.submit_application(request.user, application)
        except DomainError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, "Your application has been submitted to the Skills Academy.")
        return redirect("accreditation:application", pk=pk)
    recipients = domain.provider_recipients(application)
    return render(
        request,
        "accreditation/confirm.html",
        {
            "title": f"Are you sure you want to submit the application for {application.course.title}?",
            "caption": "Accreditation application",
            "effects": [
                "Your answers and evidence go to the Skills Academy to be assessed. You cannot change them "
                "while the application is being assessed.",
                "Academy staff are told of it in their daily email of new applications.",
            ],
            "details": [
                ("Course", application.course.title),
                ("Round", str(application.round + 1)),
                ("Files of evidence", str(application.evidence.filter(condition__isnull=True).count())),
            ],
            "recipients": recipients,
            "recipients_when": "We will email these people when the assessor asks for more information or decides:",
            "confirm": "Confirm and submit",
            "cancel": reverse("accreditation:application", args=[pk]),
            "cancel_text": "Cancel and go back to your answers",
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


QUEUE_PER_PAGE = 50
ALL_STATES = "all"


@manage_required
def staff_list(request):
    """Academy staff's queue: the applications in a state (submitted, waiting
    for an assessor, unless another is chosen), the longest waiting first,
    with the days each has waited since it was submitted."""
    state = request.GET.get("state", ApplicationState.SUBMITTED)
    if state not in ApplicationState.values:
        state = ALL_STATES
    applications = Application.objects.select_related("course__provider", "assessor").order_by(
        F("submitted_at").asc(nulls_last=True), "pk"
    )
    if state != ALL_STATES:
        applications = applications.filter(state=state)
    mine = request.GET.get("mine") == "yes"
    if mine:
        applications = applications.filter(assessor=request.user)
    page = get_page(applications, request.GET.get("page"), per_page=QUEUE_PER_PAGE)
    today = timezone.localdate()
    for application in page:
        application.waiting_days = (
            (today - timezone.localdate(application.submitted_at)).days
            if application.state == ApplicationState.SUBMITTED and application.submitted_at
            else None
        )
    counts = dict(Application.objects.values_list("state").annotate(n=Count("pk")).order_by())
    accreditations = list(
        Accreditation.objects.select_related("course__provider")
        .annotate(
            has_open_conditions=Exists(
                Condition.objects.filter(accreditation=OuterRef("pk")).exclude(state=ConditionState.MET)
            ),
            has_renewal=Exists(
                Accreditation.objects.filter(application__renews=OuterRef("pk")).exclude(
                    state=AccreditationState.WITHDRAWN
                )
            ),
        )
        .order_by("-valid_from", "-pk")[:50]
    )
    for accreditation in accreditations:
        accreditation.standing = _listed_standing(accreditation, today)
    changes = CourseChange.objects.filter(state=CourseChangeState.PENDING).select_related("course__provider")
    return render(
        request,
        "accreditation/staff_list.html",
        {
            "page": page,
            "state": state,
            "state_label": ApplicationState(state).label if state != ALL_STATES else "All states",
            "states": [(value, label, counts.get(value, 0)) for value, label in ApplicationState.choices],
            "total": sum(counts.values()),
            "all_states": ALL_STATES,
            "mine": mine,
            "accreditations": accreditations,
            "changes": changes.order_by("requested_at"),
        },
    )


def _listed_standing(accreditation, today) -> Standing:
    """Accreditation.standing_on for a list, from the two facts it would ask the
    database for on each accreditation (open conditions, a renewal) read with
    the list in one query: the same rule, and the tests hold the two equal."""
    if accreditation.state == AccreditationState.WITHDRAWN:
        return Standing.WITHDRAWN
    if today < accreditation.valid_from:
        return Standing.NOT_YET
    if today > accreditation.valid_to:
        return Standing.RENEWED if accreditation.has_renewal else Standing.EXPIRED
    if accreditation.state == AccreditationState.SUSPENDED:
        return Standing.SUSPENDED
    if accreditation.has_open_conditions:
        return Standing.CONDITIONS
    return Standing.IN_FORCE


def _pending_key(kind, pk) -> str:
    return f"accreditation:{kind}:{pk}"


def _fingerprint(pending: dict) -> str:
    return hashlib.sha256(json.dumps(pending, sort_keys=True).encode()).hexdigest()[:20]


def _staff_application(request, pk) -> Application:
    return _application_for(request.user, pk)


def _assessment_forms(request, application, criteria, *, bind=()):
    """The assess page's forms: bound to the POST for those in `bind`, and
    otherwise showing what is saved (or what is waiting to be confirmed)."""
    current = application.rounds.filter(number=application.round).first()
    existing = {a.criterion_id: (a.outcome, a.comment) for a in current.assessments.all()} if current else {}
    data = request.POST if request.method == "POST" else None
    pending = request.session.get(_pending_key("decision", application.pk)) or {}
    return {
        "current": current,
        "assign_form": AssignForm(data if "assign" in bind else None),
        "assessment_form": AssessmentForm(data if "assess" in bind else None, criteria=criteria, existing=existing),
        "return_form": ReturnForm(
            data if "return" in bind else None,
            initial={"comments": pending.get("comments", "")} if pending.get("kind") == "return" else None,
        ),
        "decision_form": DecisionForm(
            data if "decide" in bind else None,
            initial=pending.get("form") if pending.get("kind") == "decide" else None,
        ),
    }


def _render_assess(request, application, forms, status=200):
    rounds = application.rounds.prefetch_related(
        Prefetch("assessments", queryset=domain.Assessment.objects.select_related("criterion"))
    )
    return render(
        request,
        "accreditation/assess.html",
        {
            "application": application,
            "is_assessor": application.assessor_id == request.user.pk,
            "rounds": rounds,
            "evidence": application.evidence.select_related("criterion"),
            "conditions": application.accreditation.conditions.all() if hasattr(application, "accreditation") else [],
            "assessment_forms": [forms["assessment_form"], forms["return_form"], forms["decision_form"]],
            **forms,
        },
        status=status,
    )


@require_safe
@manage_required
def assess(request, pk):
    application = _staff_application(request, pk)
    return _render_assess(request, application, _assessment_forms(request, application, _criteria()))


@manage_required
@require_POST
def assign(request, pk):
    application = _staff_application(request, pk)
    forms = _assessment_forms(request, application, _criteria(), bind={"assign"})
    form = forms["assign_form"]
    if form.is_valid():
        try:
            domain.assign_assessor(request.user, application, form.cleaned_data["assessor"])
        except DomainError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, "The assessor has been assigned.")
        return redirect("accreditation:assess", pk=pk)
    return _render_assess(request, application, forms)


def _assessor_only(request, application):
    """Academy staff other than the assigned assessor read the page but
    cannot assess: they are sent back to it with the reason."""
    if request.user.has_perm("accreditation.assess", application):
        return None
    messages.error(request, "Only the assessor assigned to this application can assess it")
    return redirect("accreditation:assess", pk=application.pk)


def _save_assessment(request, application, forms) -> bool:
    """Saves the outcome chosen for each criterion, whichever button was pressed."""
    form = forms["assessment_form"]
    if not form.is_valid():
        return False
    try:
        domain.record_assessment(request.user, application, form.outcomes())
    except DomainError as error:
        form.add_error(None, str(error))
        return False
    return True


@manage_required
@require_POST
def save_assessment(request, pk):
    application = _staff_application(request, pk)
    if refused := _assessor_only(request, application):
        return refused
    forms = _assessment_forms(request, application, _criteria(), bind={"assess"})
    if not _save_assessment(request, application, forms):
        return _render_assess(request, application, forms)
    messages.success(request, "Your assessment has been saved.")
    return redirect("accreditation:assess", pk=pk)


@manage_required
@require_POST
def return_for_information(request, pk):
    """ "Return to provider": saves the assessment, then asks to confirm."""
    application = _staff_application(request, pk)
    if refused := _assessor_only(request, application):
        return refused
    forms = _assessment_forms(request, application, _criteria(), bind={"assess", "return"})
    saved = _save_assessment(request, application, forms)
    form = forms["return_form"]
    if form.is_valid():
        try:
            domain.check_return(request.user, application, comments=form.cleaned_data["comments"])
        except DomainError as error:
            form.add_error(None, str(error))
    if not (saved and form.is_valid()):
        return _render_assess(request, application, forms)
    request.session[_pending_key("decision", pk)] = {"kind": "return", "comments": form.cleaned_data["comments"]}
    return redirect("accreditation:confirm_decision", pk=pk)


@manage_required
@require_POST
def decide(request, pk):
    """ "Record decision": saves the assessment (kept if the decision is
    refused), checks the decision, then asks to confirm."""
    application = _staff_application(request, pk)
    if refused := _assessor_only(request, application):
        return refused
    forms = _assessment_forms(request, application, _criteria(), bind={"assess", "decide"})
    saved = _save_assessment(request, application, forms)
    form = forms["decision_form"]
    if saved and form.is_valid():
        try:
            domain.check_decision(
                request.user,
                application,
                decision=form.cleaned_data["decision"],
                reasons=form.cleaned_data["reasons"],
                conditions=form.cleaned_data["conditions"],
            )
        except DomainError as error:
            form.add_error(None, str(error))
    if not (saved and form.is_valid()):
        return _render_assess(request, application, forms)
    cleaned = form.cleaned_data
    request.session[_pending_key("decision", pk)] = {
        "kind": "decide",
        "decision": cleaned["decision"],
        "reasons": cleaned["reasons"],
        "valid_from": cleaned["valid_from"].isoformat() if cleaned["valid_from"] else None,
        "conditions": [[text, due.isoformat()] for text, due in cleaned["conditions"]],
        # As typed, for the form when the assessor goes back to change it.
        "form": {name: form.data.get(name, "") for name in ("decision", "valid_from", "conditions", "reasons")},
    }
    return redirect("accreditation:confirm_decision", pk=pk)


@manage_required
def confirm_decision(request, pk):
    """Are you sure? The decision (or the return) waiting in the session,
    what it does and who is emailed; Confirm records it."""
    application = _staff_application(request, pk)
    key = _pending_key("decision", pk)
    pending = request.session.get(key)
    if not pending or application.state != ApplicationState.SUBMITTED:
        request.session.pop(key, None)
        messages.error(request, "There is no decision waiting to be confirmed for this application")
        return redirect("accreditation:assess", pk=pk)
    if request.method == "POST":
        if request.POST.get("pending") != _fingerprint(pending):
            messages.error(request, "The decision was changed in another window: check it and confirm again")
            return redirect("accreditation:confirm_decision", pk=pk)
        try:
            if pending["kind"] == "return":
                domain.return_application(request.user, application, comments=pending["comments"])
                done = "The application has been returned to the provider."
            else:
                domain.decide(
                    request.user,
                    application,
                    decision=pending["decision"],
                    reasons=pending["reasons"],
                    valid_from=date.fromisoformat(pending["valid_from"]) if pending["valid_from"] else None,
                    conditions=[(text, date.fromisoformat(due)) for text, due in pending["conditions"]],
                )
                done = "The decision has been recorded and the letter sent."
        except DomainError as error:
            messages.error(request, str(error))
        else:
            request.session.pop(key, None)
            messages.success(request, done)
        return redirect("accreditation:assess", pk=pk)
    recipients = domain.provider_recipients(application)
    course = application.course.title
    if pending["kind"] == "return":
        title = f"Are you sure you want to return the application for {course} to the provider?"
        details = [
            ("Decision", "Return for more information"),
            ("What more information is needed", pending["comments"]),
        ]
        effects = [
            "The application goes back to the provider to change their answers and evidence, and submit again.",
            "This round's assessment is kept with the application.",
        ]
        confirm = "Confirm and return the application"
        email = "We will email these people what more information is needed:"
    else:
        decision = ApplicationState(pending["decision"])
        title = f"Are you sure you want to record ‘{decision.label}’ for {course}?"
        details = [("Decision", decision.label)]
        if decision == ApplicationState.REFUSED:
            details.append(("Reasons", pending["reasons"]))
            effects = ["The course is not accredited. The decision cannot be changed afterwards."]
        else:
            start, end = domain.accreditation_dates(
                application, date.fromisoformat(pending["valid_from"]) if pending["valid_from"] else None
            )
            details.append(("Accredited", f"{start:%-d %B %Y} to {end:%-d %B %Y}"))
            details += [
                (f"Condition due {date.fromisoformat(due):%-d %B %Y}", text) for text, due in pending["conditions"]
            ]
            if pending["reasons"]:
                details.append(("Reasons", pending["reasons"]))
            effects = [
                "The course is accredited and shows on the public register with its accreditation number. "
                "The decision cannot be changed afterwards.",
            ]
        confirm = "Confirm and send the decision letter"
        email = "We will email the decision letter (PDF) to these people:"
    return render(
        request,
        "accreditation/confirm.html",
        {
            "title": title,
            "caption": f"{application.course.provider.name} – accreditation application",
            "effects": effects,
            "details": details,
            "recipients": recipients,
            "recipients_when": email,
            "confirm": confirm,
            "warning": pending.get("decision") == ApplicationState.REFUSED,
            "pending": _fingerprint(pending),
            "cancel": reverse("accreditation:assess", args=[pk]),
            "cancel_text": "Cancel and go back to the assessment",
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

# What each change does, for the confirmation page.
STATUS_EFFECTS = {
    "suspend": "The course stops counting as accredited from today and the public register shows it as suspended. "
    "It can be reinstated later.",
    "reinstate": "The course counts as accredited again from today, until the accreditation's end date.",
    "withdraw": "The accreditation ends today and can never be reinstated: the course would need a new application.",
}


@manage_required
def accreditation_status(request, pk):
    """An accreditation's standing today, its history and the changes its
    standing allows (an expired one cannot be suspended). A change is
    confirmed on the next page."""
    accreditation = get_object_or_404(Accreditation.objects.select_related("course", "application__renews"), pk=pk)
    standing = accreditation.standing_on(timezone.localdate())
    choices = STATUS_CHANGES[standing]
    pending = request.session.get(_pending_key("status", pk)) or {}
    form = StatusChangeForm(request.POST or None, choices=choices, initial=pending.get("form"))
    if request.method == "POST" and choices and form.is_valid():
        request.session[_pending_key("status", pk)] = {
            "action": form.cleaned_data["action"],
            "reason": form.cleaned_data["reason"],
            "for_cause": bool(form.cleaned_data.get("for_cause")),
            "form": {
                "action": form.cleaned_data["action"],
                "reason": form.cleaned_data["reason"],
                "for_cause": bool(form.cleaned_data.get("for_cause")),
            },
        }
        return redirect("accreditation:confirm_status", pk=pk)
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
def confirm_status(request, pk):
    """Are you sure? The suspension, reinstatement or withdrawal waiting in
    the session; Confirm makes it."""
    accreditation = get_object_or_404(
        Accreditation.objects.select_related("course__provider", "application__created_by"), pk=pk
    )
    key = _pending_key("status", pk)
    pending = request.session.get(key)
    choices = dict(STATUS_CHANGES[accreditation.standing_on(timezone.localdate())])
    if not pending or pending["action"] not in choices:
        request.session.pop(key, None)
        messages.error(request, "There is no change waiting to be confirmed for this accreditation")
        return redirect("accreditation:status", pk=pk)
    action, reason = pending["action"], pending["reason"]
    if request.method == "POST":
        if request.POST.get("pending") != _fingerprint(pending):
            messages.error(request, "The change was altered in another window: check it and confirm again")
            return redirect("accreditation:confirm_status", pk=pk)
        try:
            match action:
                case "suspend":
                    domain.suspend(request.user, accreditation, reason=reason)
                case "reinstate":
                    domain.reinstate(request.user, accreditation, reason=reason)
                case "withdraw":
                    domain.withdraw(request.user, accreditation, reason=reason, for_cause=pending["for_cause"])
        except DomainError as error:
            messages.error(request, str(error))
        else:
            request.session.pop(key, None)
            messages.success(request, "The accreditation has been updated and the provider told.")
        return redirect("accreditation:status", pk=pk)
    effects = [STATUS_EFFECTS[action]]
    if action == "withdraw" and pending["for_cause"]:
        effects.append(
            "Withdrawn for cause: the credentials of everyone who completed the course under this accreditation "
            "are revoked."
        )
    verb = choices[action].lower()
    return render(
        request,
        "accreditation/confirm.html",
        {
            "title": f"Are you sure you want to {verb} accreditation {accreditation.number}?",
            "caption": accreditation.course.title,
            "effects": effects,
            "details": [("Change", choices[action]), ("Reason", reason)],
            "recipients": domain.provider_recipients(accreditation.application),
            "recipients_when": "We will email the change and its reason to these people:",
            "confirm": f"Confirm: {verb} the accreditation",
            "warning": action != "reinstate",
            "pending": _fingerprint(pending),
            "cancel": reverse("accreditation:status", args=[pk]),
            "cancel_text": "Cancel and go back to the accreditation",
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
            .prefetch_related("conditions", "periods", "events", "credentials")
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


def _credential(uuid) -> AccreditationCredential:
    return get_object_or_404(
        AccreditationCredential.objects.select_related("accreditation__course__provider"), uuid=uuid
    )


@require_safe
def credential(request, uuid):
    """The accreditation's credential, public like the accreditation itself:
    its standing today for people (and, asked for JSON, for machines), the
    signed document to download, and, once revoked, the credential that
    replaced it if the accreditation was reinstated."""
    issued = _credential(uuid)
    state, explanation = credentials.status(issued)
    if request.headers.get("Accept", "").startswith("application/json"):
        return JsonResponse({"status": state, "explanation": explanation})
    label, tag = credentials.STATUS_LABELS[state]
    current = None
    if issued.revoked_at:
        current = issued.accreditation.credentials.filter(revoked_at__isnull=True).first()
    return render(
        request,
        "accreditation/credential.html",
        {
            "issued": issued,
            "accreditation": issued.accreditation,
            "status_label": label,
            "status_tag": tag,
            "explanation": explanation,
            "current": current,
        },
    )


@require_safe
def credential_document(request, uuid):
    """The signed credential itself (Open Badges 3.0, eddsa-jcs-2022), as issued."""
    issued = _credential(uuid)
    response = JsonResponse(issued.document, json_dumps_params={"indent": 2})
    response["Content-Type"] = "application/vc+ld+json"
    response["Content-Disposition"] = content_disposition(f"accreditation-{issued.accreditation.number}.json")
    return response
