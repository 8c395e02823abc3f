"""The judges' portal: profile, conflicts, assigned nominations, scoring, visits."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from accounts.models import Organisation
from accounts.views import permission_required
from awards.disclosure import Audience, Fact, allows
from core.downloads import private_file_response
from core.errors import DomainError

from .. import anonymise, calendar, domain
from ..enums import AssignmentState, Stage, VisitState
from ..forms import AccessNeedsForm, ConflictForm, ProfileForm, ScoreForm, ScoringSupportForm, VisitReportForm
from ..models import Assignment, ConflictDeclaration, JudgeProfile, ScoringSupport
from ..queries import assignments_for_judge, audience_for, judge_worklist, phase_for, visits_for_judge

judge_required = permission_required("judging.judge")


@login_required
def accept_invitation(request, token):
    try:
        domain.accept_invitation(request.user, token)
    except DomainError as error:
        messages.error(request, str(error))
        return redirect("accounts:dashboard")
    messages.success(request, "You are now a judge. Set up two-factor authentication and complete your profile.")
    return redirect("judging:profile")


def _statement_allowed(audience, nomination, phase) -> bool:
    from awards.domain.consent import uses_for
    from awards.models import ConsentSubject

    return allows(audience, Fact.STATEMENT, phase, uses=uses_for(nomination, ConsentSubject.STATEMENT))


@judge_required
def home(request):
    """The judge's scorecards and visits, a cycle at a time (judging.queries.judge_worklist)."""
    cycles = judge_worklist(request.user)
    return render(
        request,
        "judging/judge/home.html",
        {
            "cycles": cycles,
            "visits": [visit for group in cycles for visit in group["visits"]],
            "written": [
                assignment
                for group in cycles
                for key in ("to_do", "draft", "reopened", "submitted")
                for assignment in group[key]
                if assignment.stage == Stage.WRITTEN
            ],
            "chaired": request.user.chaired_panels.select_related("category__cycle__programme"),
            "has_profile": JudgeProfile.objects.filter(user=request.user).exists(),
        },
    )


@judge_required
def profile(request):
    instance = JudgeProfile.objects.filter(user=request.user).first()
    form = ProfileForm(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        domain.save_profile(request.user, **{f: form.cleaned_data[f] for f in ProfileForm.Meta.fields})
        messages.success(request, "Your judge profile has been saved.")
        return redirect("judging:home")
    return render(request, "judging/judge/profile.html", {"form": form})


@judge_required
def access_needs(request):
    """The access needs questions and the two consents to share them
    (judging.domain.access). A judge records a profile first."""
    profile = JudgeProfile.objects.filter(user=request.user).first()
    if profile is None:
        messages.info(request, "Complete your judge profile first, then tell us about your access needs.")
        return redirect("judging:profile")
    form = AccessNeedsForm(
        request.POST or None,
        initial={
            "kinds": profile.access_need_kinds,
            "details": profile.access_needs,
            "share_with_admin": profile.share_access_needs_with_admin,
            "share_with_hosts": profile.share_access_needs_with_hosts,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            domain.save_access_needs(request.user, **form.cleaned_data)
        except DomainError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "Your access needs have been saved.")
            return redirect("judging:profile")
    return render(request, "judging/judge/access_needs.html", {"form": form, "profile": profile})


@judge_required
@require_POST
def withdraw_access_consent(request):
    """Stops sharing the judge's access needs with anyone, at once; the needs stay recorded for the judge."""
    profile = get_object_or_404(JudgeProfile, user=request.user)
    domain.save_access_needs(
        request.user,
        kinds=profile.access_need_kinds,
        details=profile.access_needs,
        share_with_admin=False,
        share_with_hosts=False,
    )
    messages.success(request, "Your access needs are no longer shared with anyone.")
    return redirect("judging:profile")


@judge_required
def conflicts(request):
    query = request.GET.get("q", "").strip()[:100]
    results = None
    if query:
        found = Organisation.objects.filter(name__icontains=query).order_by("name", "pk")
        results = Paginator(found, 20).get_page(request.GET.get("page"))
    declared = ConflictDeclaration.objects.filter(judge=request.user).select_related("organisation")
    return render(
        request,
        "judging/judge/conflicts.html",
        {
            "declared": declared,
            "query": query,
            "results": results,
            "declared_ids": {c.organisation_id for c in declared},
        },
    )


@judge_required
def declare_conflict(request, organisation_pk):
    organisation = get_object_or_404(Organisation, pk=organisation_pk)
    form = ConflictForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            domain.declare_conflict(request.user, organisation, **form.cleaned_data)
        except DomainError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"Your connection with {organisation.name} has been recorded.")
            return redirect("judging:conflicts")
    return render(request, "judging/judge/declare_conflict.html", {"form": form, "organisation": organisation})


def _own_assignment(user, pk, fact=Fact.ENTRY):
    """The judge's active assignment, with who they are to the nomination and
    its phase; 404 unless the disclosure policy lets them see `fact` of it
    (a judge who belongs to the entrant organisation sees nothing)."""
    assignment = get_object_or_404(
        assignments_for_judge(user).select_related(
            "nomination__category", "nomination__cycle", "nomination__organisation"
        ),
        pk=pk,
    )
    audience = audience_for(user, assignment.nomination, stage=assignment.stage)
    phase = phase_for(assignment.nomination)
    if audience == Audience.ENTRANT or not allows(audience, fact, phase):
        raise Http404
    return assignment, audience, phase


def _own_scores(assignment, criteria):
    """The judge's own scorecard: (criterion, score, comment) for each criterion."""
    saved = {s.criterion_id: s for s in assignment.scores.all()}
    return [
        (c, saved[c.pk].score if c.pk in saved else None, saved[c.pk].comment if c.pk in saved else "")
        for c in criteria
    ]


def _scores(request, pk, *, submit: bool):
    """The scoring page; a POST saves the typed scores as a draft. "Submit
    scores" saves them too (nothing typed is lost), then asks the judge to
    confirm on the check page. What fails comes back with what was typed."""
    assignment, audience, phase = _own_assignment(request.user, pk)
    nomination = assignment.nomination
    criteria = list(nomination.category.criteria.filter(stage=assignment.stage))
    existing = {s.criterion_id: (s.score, s.comment) for s in assignment.scores.all()}
    easy_read = JudgeProfile.objects.filter(user=request.user, prefers_easy_read=True).exists()
    form = ScoreForm(request.POST or None, criteria=criteria, existing=existing, easy_read=easy_read)
    if request.method == "POST" and form.is_valid():
        try:
            domain.save_scores(request.user, assignment, form.scores(), submit=False)
        except DomainError as error:
            form.add_error(None, str(error))
        else:
            if not submit:
                messages.success(request, "Your draft has been saved.")
                return redirect("judging:score", pk=pk)
            missing = [c.name for c in criteria if form.scores()[c.pk][0] is None]
            if not missing:
                return redirect("judging:confirm_scores", pk=pk)
            form.add_error(None, f"Score every criterion before submitting: {', '.join(missing)}")
    hidden = anonymise.is_anonymised(nomination, audience, phase)
    show = (lambda text: anonymise.redact(text, nomination)) if hidden else (lambda text: text)
    answers = [
        (answer.question.text, show(answer.text), answer.question.word_limit)
        for answer in nomination.answers.select_related("question").order_by("question__order", "question_id")
    ]
    evidence = list(nomination.evidence.all())
    statement_allowed = _statement_allowed(audience, nomination, phase)
    return render(
        request,
        "judging/judge/score.html",
        {
            "assignment": assignment,
            "nomination": nomination,
            "anonymised": hidden,
            "answers": answers,
            # Only while the person's consent for judges stands (awards.domain.consent).
            "statement": show(nomination.user_statement) if statement_allowed else "",
            "statement_by": show(nomination.user_statement_by) if statement_allowed else "",
            "evidence": [
                (index, anonymise.evidence_name(index, f) if hidden else f.original_name, f)
                for index, f in enumerate(evidence, start=1)
            ],
            "form": form,
            "conflict_form": ConflictForm(),
            "visit": nomination.site_visits.filter(state=VisitState.SCHEDULED).first()
            if assignment.stage == Stage.SITE_VISIT
            else None,
            "may_see_others": assignment.is_submitted,
            "own_scores": _own_scores(assignment, criteria) if assignment.is_submitted else [],
        },
    )


@judge_required
def score(request, pk):
    """The nomination and the judge's scores; a POST here saves a draft."""
    return _scores(request, pk, submit=False)


@judge_required
@require_POST
def submit_scores(request, pk):
    """The same form's other button: saves what was typed, then asks the judge
    to confirm (confirm_scores) before the scores are submitted and locked."""
    return _scores(request, pk, submit=True)


@judge_required
def confirm_scores(request, pk):
    """The check page: the saved scores and comments, and a button that
    submits them. Submitted scores are locked until the chair reopens them."""
    assignment, _, _ = _own_assignment(request.user, pk)
    if assignment.is_submitted:
        messages.info(request, "You have already submitted these scores.")
        return redirect("judging:score", pk=pk)
    criteria = list(assignment.nomination.category.criteria.filter(stage=assignment.stage))
    error = None
    if request.method == "POST":
        try:
            domain.save_scores(request.user, assignment, {}, submit=True)
        except DomainError as refusal:
            error = str(refusal)
        else:
            messages.success(request, f"Your scores for {assignment.nomination.reference} have been submitted.")
            return redirect("judging:home")
    return render(
        request,
        "judging/judge/confirm_scores.html",
        {"assignment": assignment, "own_scores": _own_scores(assignment, criteria), "error": error},
        status=400 if error else 200,
    )


@judge_required
def others_scores(request, pk):
    """Other judges' submitted scores, without their names: only after
    submitting your own (awards.disclosure: scores)."""
    assignment, _, _ = _own_assignment(request.user, pk, fact=Fact.SCORES)
    others = (
        Assignment.objects.filter(
            nomination=assignment.nomination,
            stage=assignment.stage,
            state=AssignmentState.ACTIVE,
            submitted_at__isnull=False,
        )
        .exclude(pk=assignment.pk)
        .prefetch_related("scores__criterion")
        .order_by("pk")
    )
    return render(request, "judging/judge/others_scores.html", {"assignment": assignment, "others": others})


@judge_required
def scoring_support(request, pk):
    """Assisted scoring: the judge records who helped with this scorecard and
    how. Shown, not changeable, once the scores are submitted."""
    assignment, _, _ = _own_assignment(request.user, pk)
    support = ScoringSupport.objects.filter(assignment=assignment).first()
    form = None
    if not assignment.is_submitted:
        initial = {"helped": "yes" if support else ""}
        if support:
            initial.update(supporter_name=support.supporter_name, kinds=support.kinds, description=support.description)
        form = ScoringSupportForm(request.POST or None, initial=initial)
    elif request.method == "POST":
        messages.error(request, "You have submitted these scores; ask the panel chair to reopen them to make changes.")
    if form is not None and request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            domain.save_scoring_support(
                request.user,
                assignment,
                helped=data["helped"] == "yes",
                supporter_name=data["supporter_name"],
                kinds=data["kinds"],
                description=data["description"],
            )
        except DomainError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                "Who helped you has been recorded with your scores."
                if data["helped"] == "yes"
                else "Your scorecard records that nobody helped you.",
            )
            return redirect("judging:score", pk=pk)
    return render(
        request,
        "judging/judge/scoring_support.html",
        {"assignment": assignment, "support": support, "form": form},
    )


@judge_required
def conflict_from_assignment(request, pk):
    assignment, _, _ = _own_assignment(request.user, pk)
    form = ConflictForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            domain.declare_conflict(
                request.user, assignment.nomination.organisation, nomination=assignment.nomination, **form.cleaned_data
            )
        except DomainError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request, "Thank you. The nomination has been taken off your list and given to another judge."
            )
            return redirect("judging:home")
    return render(request, "judging/judge/conflict_from_assignment.html", {"form": form, "assignment": assignment})


@judge_required
def evidence_download(request, pk, evidence_pk):
    assignment, audience, phase = _own_assignment(request.user, pk)
    files = list(assignment.nomination.evidence.all())
    for index, evidence in enumerate(files, start=1):
        if evidence.pk == evidence_pk:
            hidden = anonymise.is_anonymised(assignment.nomination, audience, phase)
            name = anonymise.evidence_name(index, evidence) if hidden else evidence.original_name
            return private_file_response(evidence.file, filename=name, mimetype=evidence.mimetype)
    raise Http404


@judge_required
def visit(request, pk):
    site_visit = get_object_or_404(
        visits_for_judge(request.user).select_related("nomination__category", "nomination__organisation"), pk=pk
    )
    form = VisitReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            domain.submit_visit_report(request.user, site_visit, **form.cleaned_data)
        except DomainError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "The visit report has been submitted.")
            return redirect("judging:visit", pk=pk)
    assignment = (
        assignments_for_judge(request.user).filter(nomination=site_visit.nomination, stage=Stage.SITE_VISIT).first()
    )
    return render(
        request,
        "judging/judge/visit.html",
        {"visit": site_visit, "form": form, "assignment": assignment, "judges": site_visit.judges.all()},
    )


@judge_required
def visit_ics(request, pk):
    site_visit = get_object_or_404(visits_for_judge(request.user), pk=pk)
    # A file to add to one's own calendar: PUBLISH (a cancelled visit is marked so).
    response = HttpResponse(
        calendar.visit_invitation(site_visit, judges=list(site_visit.judges.all()), method="PUBLISH"),
        content_type="text/calendar; charset=utf-8; method=PUBLISH",
    )
    response["Content-Disposition"] = 'attachment; filename="site-visit.ics"'
    return response
