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
from ..forms import ConflictForm, ProfileForm, ScoreForm, VisitReportForm
from ..models import Assignment, ConflictDeclaration, JudgeProfile
from ..queries import assignments_for_judge, audience_for, phase_for, visits_for_judge

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


@judge_required
def home(request):
    assignments = (
        assignments_for_judge(request.user)
        .select_related("nomination__category", "nomination__cycle")
        .only(
            "stage",
            "submitted_at",
            "nomination__reference",
            "nomination__category__name",
            "nomination__cycle__scoring_deadline",
        )
        .order_by("nomination__cycle__scoring_deadline", "stage", "nomination__reference")
    )
    rows = list(assignments)
    by_stage = {stage: [a for a in rows if a.stage == stage] for stage in Stage.values}
    progress = {stage: (sum(1 for a in items if a.is_submitted), len(items)) for stage, items in by_stage.items()}
    deadlines = sorted({a.nomination.cycle.scoring_deadline for a in by_stage[Stage.WRITTEN] if not a.is_submitted})
    visits = (
        visits_for_judge(request.user)
        .filter(state=VisitState.SCHEDULED)
        .select_related("nomination__category")
        .order_by("starts_at")
    )
    chaired = request.user.chaired_panels.select_related("category__cycle")
    return render(
        request,
        "judging/judge/home.html",
        {
            "written": by_stage[Stage.WRITTEN],
            "visit_assignments": by_stage[Stage.SITE_VISIT],
            "progress": progress,
            "next_deadline": deadlines[0] if deadlines else None,
            "visits": visits,
            "chaired": chaired,
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


def _scores(request, pk, *, submit: bool):
    """The scoring page; a POST saves the typed scores as a draft, or submits
    them. Either way, what fails comes back with what was typed."""
    assignment, audience, phase = _own_assignment(request.user, pk)
    nomination = assignment.nomination
    criteria = list(nomination.category.criteria.filter(stage=assignment.stage))
    existing = {s.criterion_id: (s.score, s.comment) for s in assignment.scores.all()}
    form = ScoreForm(request.POST or None, criteria=criteria, existing=existing)
    if request.method == "POST" and form.is_valid():
        try:
            domain.save_scores(request.user, assignment, form.scores(), submit=submit)
        except DomainError as error:
            form.add_error(None, str(error))
        else:
            if submit:
                messages.success(request, "Your scores have been submitted.")
                return redirect("judging:home")
            messages.success(request, "Your draft has been saved.")
            return redirect("judging:score", pk=pk)
    hidden = anonymise.is_anonymised(nomination, audience, phase)
    show = (lambda text: anonymise.redact(text, nomination)) if hidden else (lambda text: text)
    answers = [
        (answer.question.text, show(answer.text), answer.question.word_limit)
        for answer in nomination.answers.select_related("question").order_by("question__order", "question_id")
    ]
    evidence = list(nomination.evidence.all())
    return render(
        request,
        "judging/judge/score.html",
        {
            "assignment": assignment,
            "nomination": nomination,
            "anonymised": hidden,
            "answers": answers,
            "statement": show(nomination.user_statement),
            "statement_by": show(nomination.user_statement_by),
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
        },
    )


@judge_required
def score(request, pk):
    """The nomination and the judge's scores; a POST here saves a draft."""
    return _scores(request, pk, submit=False)


@judge_required
@require_POST
def submit_scores(request, pk):
    """The same form's other button: submit the scores, which locks them."""
    return _scores(request, pk, submit=True)


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
