"""Administrators and panel chairs: judges, panels, assignment, results, shortlist,
visits, final decisions, sign-off and publication.

One view per action: a page's forms each post to a view of their own, which
on failure shows the page again with what was typed."""

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST, require_safe

from accounts.enums import SiteRole
from accounts.models import User
from accounts.views import permission_required
from awards.disclosure import Audience, Fact, allows
from awards.enums import NominationState
from awards.models import Cycle, Nomination
from core.errors import DomainError
from core.exports import table_response
from core.formats import uk_datetime

from .. import domain, reports
from ..enums import AssignmentState, PanelState, Stage
from ..forms import (
    FinalResultForm,
    InviteJudgeForm,
    JudgeEmailForm,
    NoAwardForm,
    OverrideForm,
    PublishShortlistForm,
    ReasonForm,
    RulesForm,
    ShortlistForm,
    TieBreakForm,
    VisitForm,
)
from ..models import Assignment, CycleRules, JudgeInvitation, Panel, Publication, ShortlistEntry, SiteVisit
from ..queries import (
    audiences_for,
    conflicted_organisations,
    phases_for,
    understaffed,
    with_phase_inputs,
    withheld_from,
)
from ..results import cached_category_results
from ..rules import chairs_panel, may_act_as_chair

manage_required = permission_required("judging.manage")


def _panel_for(user, pk) -> Panel:
    """Administrators and the panel's chair; 404 for anyone else."""
    panel = get_object_or_404(Panel.objects.select_related("category__cycle__programme", "chair"), pk=pk)
    if not user.is_authenticated or not user.has_perm("judging.view_panel", panel):
        raise Http404
    return panel


@manage_required
def manage_index(request):
    cycles = Cycle.objects.select_related("programme").annotate(panel_count=Count("categories__panel", distinct=True))
    return render(request, "judging/manage/index.html", {"cycles": cycles})


@manage_required
def judges(request):
    form = InviteJudgeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            domain.invite_judge(request.user, form.cleaned_data["email"])
        except DomainError as error:
            form.add_error("email", str(error))
        else:
            messages.success(request, f"An invitation has been sent to {form.cleaned_data['email']}.")
            return redirect("judging:judges")
    people = (
        User.objects.filter(role_grants__role=SiteRole.JUDGE, role_grants__revoked_at__isnull=True)
        .select_related("judge_profile")
        .annotate(panel_count=Count("panel_memberships", distinct=True))
        .order_by("email")
    )
    page = Paginator(people, 50).get_page(request.GET.get("page"))
    pending = JudgeInvitation.objects.filter(accepted_at__isnull=True).order_by("-invited_at")[:50]
    return render(request, "judging/manage/judges.html", {"form": form, "page": page, "pending": pending})


def _cycle_page(request, cycle, rules_form):
    panels = (
        Panel.objects.filter(category__cycle=cycle)
        .select_related("category", "chair")
        .annotate(member_count=Count("memberships", distinct=True))
        .order_by("category__order", "category__name")
    )
    return render(
        request,
        "judging/manage/cycle_panels.html",
        {
            "cycle": cycle,
            "panels": panels,
            "without_panel": cycle.categories.filter(panel__isnull=True).order_by("order", "name"),
            "form": rules_form,
            "publication": Publication.objects.filter(cycle=cycle).first(),
            "approving_early": timezone.now() < cycle.final_panel,
            "corrections": cycle.results_corrections.all(),
        },
    )


def _cycle(pk) -> Cycle:
    return get_object_or_404(Cycle.objects.select_related("programme"), pk=pk)


@manage_required
@require_safe
def cycle_panels(request, pk):
    cycle = _cycle(pk)
    return _cycle_page(request, cycle, RulesForm(instance=domain.rules_for(cycle)))


@manage_required
@require_POST
def save_rules(request, pk):
    cycle = _cycle(pk)
    form = RulesForm(request.POST, instance=domain.rules_for(cycle))
    if form.is_valid():
        try:
            domain.save_rules(request.user, form.save(commit=False))
        except DomainError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "The judging rules have been saved.")
            return redirect("judging:cycle_panels", pk=cycle.pk)
    return _cycle_page(request, cycle, form)


@manage_required
@require_POST
def open_panels(request, pk):
    cycle = _cycle(pk)
    opened = domain.open_panels(request.user, cycle)
    messages.success(request, f"{opened} panel{'s' if opened != 1 else ''} set up.")
    return redirect("judging:cycle_panels", pk=cycle.pk)


def _managed_panel(pk) -> Panel:
    """A panel for an administrator's change (the view has checked judging.manage)."""
    return get_object_or_404(Panel.objects.select_related("category__cycle__programme", "chair"), pk=pk)


def _panel_page(request, panel, *, member_form=None, override_form=None):
    """The panel page: members, composition and assignments. The forms on it
    post to views of their own; one that fails comes back here with what was typed."""
    is_admin = request.user.has_perm("judging.manage")
    members = list(
        User.objects.filter(panel_memberships__panel=panel)
        .select_related("judge_profile")
        .annotate(
            load=Count(
                "assignments",
                filter=Q(
                    assignments__state=AssignmentState.ACTIVE,
                    assignments__stage=Stage.WRITTEN,
                    assignments__nomination__category=panel.category,
                ),
                distinct=True,
            ),
            submitted=Count(
                "assignments",
                filter=Q(
                    assignments__state=AssignmentState.ACTIVE,
                    assignments__stage=Stage.WRITTEN,
                    assignments__nomination__category=panel.category,
                    assignments__submitted_at__isnull=False,
                ),
                distinct=True,
            ),
        )
        .order_by("email")
    )
    eligible = (
        Nomination.objects.filter(category=panel.category, state__in=NominationState.entered())
        .exclude(state__in=[NominationState.SUBMITTED, NominationState.INELIGIBLE])
        .annotate(
            judge_count=Count(
                "assignments",
                filter=Q(assignments__state=AssignmentState.ACTIVE, assignments__stage=Stage.WRITTEN),
                distinct=True,
            )
        )
        .order_by("reference")
    )
    if not is_admin:
        # A chair sees nothing of entrants they have a conflict of interest with.
        eligible = eligible.exclude(
            Q(organisation__conflicts__judge=request.user) | Q(organisation__memberships__user=request.user)
        )
    short = understaffed(panel.category)
    return render(
        request,
        "judging/manage/panel.html",
        {
            "panel": panel,
            "is_admin": is_admin,
            "members": members,
            "problems": domain.composition_problems(panel),
            "nominations": eligible,
            "short": [(n, short[n.pk]) for n in eligible if n.pk in short],
            "member_form": member_form or JudgeEmailForm(prefix="member"),
            "override_form": override_form or OverrideForm(prefix="override", category=panel.category),
            "k": panel.category.judges_per_nomination,
        },
    )


@login_required
@require_safe
def panel_detail(request, pk):
    return _panel_page(request, _panel_for(request.user, pk))


@manage_required
@require_POST
def add_panel_member(request, pk):
    panel = _managed_panel(pk)
    form = JudgeEmailForm(request.POST, prefix="member")
    if form.is_valid():
        try:
            domain.add_panel_member(request.user, panel, form.judge)
        except DomainError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"{form.judge.email} has joined the panel.")
            return redirect("judging:panel", pk=panel.pk)
    return _panel_page(request, panel, member_form=form)


@manage_required
@require_POST
def remove_panel_member(request, pk, judge_pk):
    panel = _managed_panel(pk)
    judge = get_object_or_404(User, pk=judge_pk)
    try:
        domain.remove_panel_member(request.user, panel, judge)
    except DomainError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, "The panel has been updated.")
    return redirect("judging:panel", pk=panel.pk)


@manage_required
@require_POST
def set_panel_chair(request, pk, judge_pk):
    panel = _managed_panel(pk)
    judge = get_object_or_404(User, pk=judge_pk)
    try:
        domain.set_chair(request.user, panel, judge)
    except DomainError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, "The panel has been updated.")
    return redirect("judging:panel", pk=panel.pk)


@manage_required
@require_POST
def activate_panel(request, pk):
    panel = _managed_panel(pk)
    try:
        domain.activate_panel(request.user, panel)
    except DomainError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, "The panel is active.")
    return redirect("judging:panel", pk=panel.pk)


@manage_required
@require_POST
def assign_judges(request, pk):
    panel = _managed_panel(pk)
    try:
        plan = domain.auto_assign(request.user, panel.category)
    except DomainError as error:
        messages.error(request, str(error))
    else:
        count = sum(len(v) for v in plan.new.values())
        messages.success(request, f"{count} assignment{'s' if count != 1 else ''} made.")
    return redirect("judging:panel", pk=panel.pk)


@manage_required
@require_POST
def override_assignment(request, pk):
    panel = _managed_panel(pk)
    form = OverrideForm(request.POST, prefix="override", category=panel.category)
    if form.is_valid():
        try:
            domain.override_assignment(
                request.user,
                form.nomination,
                form.judge,
                add=form.cleaned_data["change"] == "add",
                reason=form.cleaned_data["reason"],
            )
        except DomainError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "The assignment has been changed.")
            return redirect("judging:panel", pk=panel.pk)
    return _panel_page(request, panel, override_form=form)


RANKING_PAGE_SIZE = 50


@dataclass
class _Ranking:
    """The ranking of one stage as one viewer may see it, and the casting decisions open to them."""

    rules: CycleRules
    rows: list
    conflicted: set
    waiting: set
    shown: list
    is_admin: bool
    is_chair: bool
    chair_conflicted: set
    tied: list
    may_cast: bool


def _stage(request) -> str:
    stage = request.GET.get("stage", Stage.WRITTEN)
    if stage not in Stage.values:
        raise Http404
    return stage


def _ranking(user, panel, stage) -> _Ranking:
    rules = domain.rules_for(panel.category.cycle)
    rows = cached_category_results(panel, stage, rules.disagreement_threshold)
    conflicted, waiting = withheld_from(user, panel.category, stage)
    shown = [row for row in rows if row.nomination_id not in conflicted and row.nomination_id not in waiting]
    is_admin = user.has_perm("judging.manage")
    is_chair = chairs_panel(user, panel)
    # Where the chair has a conflict, an administrator takes the chair's decisions.
    chair_conflicted = set()
    if is_admin and not is_chair and panel.chair:
        chair_conflicted = withheld_from(panel.chair, panel.category, stage)[0]
    tied = [row for row in shown if row.tied]
    may_cast = bool(tied) and (is_chair or any(row.nomination_id in chair_conflicted for row in tied))
    return _Ranking(rules, rows, conflicted, waiting, shown, is_admin, is_chair, chair_conflicted, tied, may_cast)


def _results_url(panel, stage) -> str:
    return f"{reverse('judging:results', args=[panel.pk])}?stage={stage}"


def _results_page(request, panel, stage, ranking, *, tie_form=None, publish_form=None):
    """The ranking page. Its forms post to views of their own; one that fails
    comes back here with what was typed."""
    page = Paginator(ranking.shown, RANKING_PAGE_SIZE).get_page(request.GET.get("page"))
    shortlist = dict(
        ShortlistEntry.objects.filter(nomination__category=panel.category).values_list("nomination_id", "shortlisted")
    )
    viewer = Audience.ADMIN if ranking.is_admin else Audience.CHAIR
    due = panel.category.cycle.shortlist_published
    publishing_early = timezone.now() < due
    publish_form = publish_form or PublishShortlistForm()
    early_question = f"The shortlist is due at {uk_datetime(due)}: why publish it before then?"
    publish_form.fields["early_reason"].label = early_question
    all_ids = {row.nomination_id for row in ranking.rows}
    return render(
        request,
        "judging/manage/results.html",
        {
            "panel": panel,
            "stage": stage,
            "stages": Stage.choices,
            "page": page,
            "rows": _ranking_rows(
                panel,
                page,
                stage,
                shortlist,
                viewer,
                may_reopen=ranking.is_chair,
                chair_conflicted=ranking.chair_conflicted,
            ),
            "summary": {
                "ranked": len(ranking.shown),
                "disagreement": sum(row.disagreement for row in ranking.shown),
                "needs_casting_vote": sum(row.needs_casting_vote for row in ranking.shown),
            },
            "withheld_conflicted": len(ranking.conflicted & all_ids),
            "withheld_waiting": len(ranking.waiting & all_ids),
            "renumbered": len(ranking.shown) != len(ranking.rows),
            "may_cast": ranking.may_cast,
            "is_chair": ranking.is_chair,
            "may_shortlist": ranking.is_admin or (ranking.is_chair and not ranking.conflicted),
            "is_admin": ranking.is_admin,
            "rules": ranking.rules,
            "tie_form": (tie_form or TieBreakForm(rows=ranking.tied, prefix="tie")) if ranking.may_cast else None,
            "publish_form": publish_form,
            "shortlisted": sum(shortlist.values()),
            "publishing_early": publishing_early,
        },
    )


@login_required
@require_safe
def results(request, pk):
    """The ranking, 50 nominations a page: chair and administrators only.
    Judges get 404. The chair records casting decisions from here
    (tie_break), an administrator publishes the shortlist (publish_shortlist);
    the shortlist and reopening a judge's scores have pages of their own.

    What each row shows comes from awards.disclosure: a viewer with a
    conflict of interest with an entrant does not see its row, nor does a
    viewer who is one of its judges and has not submitted their own scores;
    names of entrants are hidden while a cycle judges anonymously."""
    panel = _panel_for(request.user, pk)
    stage = _stage(request)
    return _results_page(request, panel, stage, _ranking(request.user, panel, stage))


@login_required
@require_POST
def tie_break(request, pk):
    """The chair's casting decision between tied nominations (an
    administrator's, where the chair has a conflict; the domain checks which)."""
    panel = _panel_for(request.user, pk)
    stage = _stage(request)
    ranking = _ranking(request.user, panel, stage)
    form = TieBreakForm(request.POST, rows=ranking.tied, prefix="tie")
    if form.is_valid():
        preferred = get_object_or_404(Nomination, pk=form.cleaned_data["preferred"])
        over = get_object_or_404(Nomination, pk=form.cleaned_data["over"])
        try:
            domain.record_tie_break(
                request.user,
                panel.category,
                stage=stage,
                preferred=preferred,
                over=over,
                reason=form.cleaned_data["reason"],
            )
        except DomainError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, "The casting decision has been recorded.")
            return redirect(_results_url(panel, stage))
    return _results_page(request, panel, stage, ranking, tie_form=form)


@login_required
@require_POST
def publish_shortlist(request, pk):
    """An administrator publishes the decided shortlist and providers are told
    (the domain checks who may, and asks for a reason before the due date)."""
    panel = _panel_for(request.user, pk)
    stage = _stage(request)
    form = PublishShortlistForm(request.POST)
    if form.is_valid():
        try:
            domain.publish_shortlist(request.user, panel.category, early_reason=form.cleaned_data["early_reason"])
        except DomainError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, "The shortlist has been published and providers told.")
            return redirect(_results_url(panel, stage))
    return _results_page(request, panel, stage, _ranking(request.user, panel, stage), publish_form=form)


def _ranking_rows(panel, page, stage, shortlist, viewer, *, may_reopen, chair_conflicted) -> list[dict]:
    """What the ranking table shows for one page of rows, worked out here
    rather than in the template, which was most of the page's time. Ranks
    are positions among the rows shown."""
    on_page = [row.nomination_id for row in page]
    nominations = with_phase_inputs(
        Nomination.objects.select_related("cycle").only(
            "reference",
            "service_name",
            "state",
            "submitted_at",
            "category_id",
            "cycle__winners_announced",
            "cycle__results_approved_at",
            "cycle__anonymise_written_stage",
        )
    ).in_bulk(on_page)
    phases = phases_for(nominations.values())
    judges = {}
    for assignment in (
        Assignment.objects.filter(nomination__in=on_page, stage=stage, state=AssignmentState.ACTIVE)
        .select_related("judge")
        .only("nomination_id", "submitted_at", "judge__email", "judge__full_name")
        .order_by("pk")
    ):
        judges.setdefault(assignment.nomination_id, []).append(assignment)
    # Every reopen link differs only in its last part; reversing the URL 150
    # times took a fifth of the page's time.
    reopen_prefix = reverse("judging:reopen_scores", args=[panel.pk, 0]).removesuffix("0/")
    table = []
    for position, row in enumerate(page, start=page.start_index()):
        nomination = nominations[row.nomination_id]
        phase = phases[row.nomination_id]
        named = allows(viewer, Fact.JUDGES, phase)
        reopen_here = may_reopen or row.nomination_id in chair_conflicted
        scorecards = []
        for number, assignment in enumerate(judges.get(row.nomination_id, []), start=1):
            total = row.judge_totals.get(assignment.judge_id)
            reopen = f"{reopen_prefix}{assignment.pk}/" if reopen_here and assignment.submitted_at else None
            scorecards.append(
                {
                    "judge": assignment.judge.get_full_name() if named else f"Judge {number}",
                    "total": "not submitted" if total is None else f"{total:.1f}",
                    "reopen": reopen,
                }
            )
        anonymised = nomination.cycle.anonymise_written_stage
        table.append(
            {
                "rank": position,
                "reference": nomination.reference,
                "service_name": nomination.service_name
                if allows(viewer, Fact.IDENTITY, phase, anonymised=anonymised)
                else "",
                "shortlisted": shortlist.get(row.nomination_id, False),
                "normalised": f"{row.normalised:.1f}",
                "mean": f"{row.mean:.1f}",
                "spread": f"{row.spread:.1f}",
                "scorecards": scorecards,
                "disagreement": row.disagreement,
                "needs_casting_vote": row.needs_casting_vote,
            }
        )
    return table


@login_required
def shortlist(request, pk):
    """The chair or an administrator decides the shortlist: the top N by the
    ranking, or the panel's own selection with its rationale. A chair with a
    conflict of interest with an entrant leaves it to an administrator; a
    chair who has not submitted their own scores yet must do so first."""
    panel = _panel_for(request.user, pk)
    if panel.shortlist_published_at:
        messages.info(request, "The shortlist has already been published.")
        return redirect("judging:results", pk=panel.pk)
    rules = domain.rules_for(panel.category.cycle)
    rows = cached_category_results(panel, Stage.WRITTEN, rules.disagreement_threshold)
    conflicted, waiting = withheld_from(request.user, panel.category, Stage.WRITTEN)
    candidates = {row.nomination_id for row in rows}
    refusal = None
    if conflicted & candidates and not request.user.has_perm("judging.manage"):
        refusal = (
            "An awards administrator decides this panel's shortlist, because you have a conflict of interest "
            "with an entrant in this category."
        )
    elif waiting & candidates:
        references = sorted(row.reference for row in rows if row.nomination_id in waiting)
        refusal = f"Submit your own scores first, for {', '.join(references)}: then the ranking is open to you."
    chosen = ShortlistEntry.objects.filter(nomination__category=panel.category, shortlisted=True)
    initial = {"nominations": [str(pk) for pk in chosen.values_list("nomination_id", flat=True)]}
    outstanding = domain.outstanding_scorecards(panel.category)
    form = ShortlistForm(request.POST or None, rows=[] if refusal else rows, initial=initial, outstanding=outstanding)
    if request.method == "POST" and not refusal and form.is_valid():
        selection = None
        if form.cleaned_data["mode"] == "select":
            selection = [int(value) for value in form.cleaned_data["nominations"]]
        try:
            domain.decide_shortlist(
                request.user,
                panel.category,
                nomination_ids=selection,
                rationale=form.cleaned_data["rationale"],
                exception=form.cleaned_data.get("exception", ""),
            )
        except DomainError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "The shortlist has been decided.")
            return redirect("judging:results", pk=panel.pk)
    return render(
        request,
        "judging/manage/shortlist.html",
        {"panel": panel, "form": form, "size": rules.shortlist_size, "refusal": refusal, "outstanding": outstanding},
    )


@login_required
def reopen_scores(request, pk, assignment_pk):
    """The chair reopens one judge's submitted scores, giving the reason (an
    administrator, where the chair has a conflict with the entrant)."""
    panel = _panel_for(request.user, pk)
    assignment = get_object_or_404(
        Assignment.objects.select_related("judge", "nomination"), pk=assignment_pk, nomination__category=panel.category
    )
    if not may_act_as_chair(request.user, panel.category, [assignment.nomination]):
        raise Http404
    form = ReasonForm(request.POST or None)
    form.fields["reason"].label = "Why are the scores being reopened?"
    form.fields["reason"].error_messages["required"] = "Enter the reason for reopening the scores"
    if request.method == "POST" and form.is_valid():
        try:
            domain.reopen_scores(request.user, assignment, reason=form.cleaned_data["reason"])
        except DomainError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"The scores of {assignment.judge.get_full_name()} have been reopened.")
            return redirect(f"{reverse('judging:results', args=[panel.pk])}?stage={assignment.stage}")
    return render(
        request, "judging/manage/reopen_scores.html", {"panel": panel, "assignment": assignment, "form": form}
    )


@manage_required
def visits(request, pk):
    panel = get_object_or_404(Panel.objects.select_related("category__cycle"), pk=pk)
    panel_judges = User.objects.filter(panel_memberships__panel=panel).select_related("judge_profile").order_by("email")
    shortlisted = (
        Nomination.objects.filter(
            category=panel.category, state__in=[NominationState.SHORTLISTED, NominationState.FINALIST]
        )
        .select_related("organisation", "created_by")
        .prefetch_related(Prefetch("site_visits", queryset=SiteVisit.objects.prefetch_related("judges")))
        .order_by("reference")
    )
    return render(
        request,
        "judging/manage/visits.html",
        {"panel": panel, "nominations": shortlisted, "panel_judges": panel_judges},
    )


def _visit_page(request, nomination, site_visit, panel, *, form=None, cancel_form=None):
    return render(
        request,
        "judging/manage/visit_form.html",
        {
            "form": form,
            "nomination": nomination,
            "visit": site_visit,
            "cancel_form": cancel_form or ReasonForm(prefix="cancel"),
            "panel": panel,
        },
    )


def _visit_form(data, nomination, site_visit, panel) -> VisitForm:
    panel_judges = User.objects.filter(panel_memberships__panel=panel).select_related("judge_profile").order_by("email")
    initial = {
        "address": nomination.service_address,
        "provider_contact_name": nomination.created_by.get_full_name() if nomination.created_by else "",
        "provider_contact_email": nomination.created_by.email if nomination.created_by else "",
    }
    if site_visit:
        initial = {
            "starts_at": site_visit.starts_at,
            "ends_at": site_visit.ends_at,
            "address": site_visit.address,
            "access_notes": site_visit.access_notes,
            "provider_contact_name": site_visit.provider_contact_name,
            "provider_contact_email": site_visit.provider_contact_email,
            "provider_contact_phone": site_visit.provider_contact_phone,
            "judges": list(site_visit.judges.all()),
        }
    return VisitForm(data, initial=initial, panel_judges=panel_judges)


def _visit_objects(nomination_pk, pk):
    nomination = get_object_or_404(Nomination.objects.select_related("category", "created_by"), pk=nomination_pk)
    site_visit = get_object_or_404(SiteVisit, pk=pk, nomination=nomination) if pk else None
    panel = get_object_or_404(Panel, category=nomination.category)
    return nomination, site_visit, panel


@manage_required
def visit_form(request, nomination_pk, pk=None):
    """Arrange a visit (visit_new) or change one (visit_edit); cancelling has a view of its own."""
    nomination, site_visit, panel = _visit_objects(nomination_pk, pk)
    form = _visit_form(request.POST or None, nomination, site_visit, panel)
    if request.method == "POST" and form.is_valid():
        judges_chosen = list(form.cleaned_data["judges"])
        try:
            if site_visit:
                domain.reschedule_visit(request.user, site_visit, judges_chosen, **form.details())
            else:
                domain.schedule_visit(request.user, nomination, judges_chosen, **form.details())
        except DomainError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                "The visit has been changed and an updated invitation sent."
                if site_visit
                else "The visit has been arranged and invitations sent.",
            )
            return redirect("judging:visits", pk=panel.pk)
    return _visit_page(request, nomination, site_visit, panel, form=form)


@manage_required
@require_POST
def cancel_visit(request, nomination_pk, pk):
    nomination, site_visit, panel = _visit_objects(nomination_pk, pk)
    cancel_form = ReasonForm(request.POST, prefix="cancel")
    if cancel_form.is_valid():
        try:
            domain.cancel_visit(request.user, site_visit, reason=cancel_form.cleaned_data["reason"])
        except DomainError as error:
            cancel_form.add_error(None, str(error))
        else:
            messages.success(request, "The visit has been cancelled and everyone told.")
            return redirect("judging:visits", pk=panel.pk)
    form = _visit_form(None, nomination, site_visit, panel)
    return _visit_page(request, nomination, site_visit, panel, form=form, cancel_form=cancel_form)


def _final_page(request, panel, *, bound=None):
    """Finalists with their combined scores, and a decision form for each the
    viewer may decide; `bound` is a form that failed, shown with what was typed."""
    scores = domain.final_scores(panel.category)
    finalists = list(
        Nomination.objects.filter(
            category=panel.category,
            state__in=[NominationState.FINALIST, *NominationState.results()],
        )
        .select_related("final_result")
        .order_by("reference")
    )
    audiences = audiences_for(request.user, finalists)
    hidden = (Audience.ENTRANT, Audience.CONFLICTED_JUDGE, Audience.ASSIGNED_JUDGE)
    withheld = sum(audiences[n.pk] in hidden for n in finalists)
    shown = [n for n in finalists if audiences[n.pk] not in hidden]
    is_chair = chairs_panel(request.user, panel)
    chair_conflicted = (
        conflicted_organisations(panel.chair, {n.organisation_id for n in finalists}) if panel.chair else set()
    )
    is_admin = request.user.has_perm("judging.manage")

    def may_decide(nomination) -> bool:
        # judging.rules.may_act_as_chair, for many finalists at once
        if is_chair:
            return nomination.organisation_id not in chair_conflicted
        return is_admin and nomination.organisation_id in chair_conflicted

    deciding = [n for n in finalists if n.state == NominationState.FINALIST]
    may_sign_off = panel.state == PanelState.ACTIVE and (
        (is_chair and not any(n.organisation_id in chair_conflicted for n in deciding))
        or (not is_chair and is_admin and any(n.organisation_id in chair_conflicted for n in deciding))
    )
    rows = []
    for nomination in shown:
        result = getattr(nomination, "final_result", None)
        initial = {"award": result.award, "citation": result.citation, "rationale": result.rationale} if result else {}
        form = None
        if panel.state == PanelState.ACTIVE and may_decide(nomination):
            prefix = f"n{nomination.pk}"
            failed = bound is not None and bound.prefix == prefix
            form = bound if failed else FinalResultForm(initial=initial, prefix=prefix)
        acting = not is_chair and nomination.organisation_id in chair_conflicted
        rows.append((nomination, scores.get(nomination.pk), result, form, acting))
    rows.sort(key=lambda row: -(row[1] or 0))
    return render(
        request,
        "judging/manage/final.html",
        {
            "panel": panel,
            "rows": rows,
            "withheld": withheld,
            "may_sign_off": may_sign_off,
            "problems": domain.composition_problems(panel),
        },
    )


@login_required
@require_safe
def final(request, pk):
    """Finalists with their combined scores; the chair records awards
    (record_final_result) and signs off (sign_off). A finalist whose entrant
    the viewer has a conflict with is not shown to them, nor one whose
    site-visit scores they have yet to submit; where the chair has a
    conflict, an administrator takes the decision."""
    return _final_page(request, _panel_for(request.user, pk))


@login_required
@require_POST
def record_final_result(request, pk, nomination_pk):
    """The decision for one finalist (the domain checks that the viewer may take it)."""
    panel = _panel_for(request.user, pk)
    nomination = get_object_or_404(Nomination, pk=nomination_pk, category=panel.category)
    form = FinalResultForm(request.POST, prefix=f"n{nomination.pk}")
    if form.is_valid():
        try:
            domain.record_final_result(request.user, nomination, **form.cleaned_data)
        except DomainError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, f"The decision for {nomination.reference} has been recorded.")
            return redirect("judging:final", pk=panel.pk)
    return _final_page(request, panel, bound=form)


@login_required
@require_POST
def sign_off(request, pk):
    panel = _panel_for(request.user, pk)
    try:
        domain.sign_off(request.user, panel)
    except DomainError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, "The panel's decisions have been signed off.")
    return redirect("judging:final", pk=panel.pk)


@manage_required
@require_POST
def approve_results(request, pk):
    cycle = get_object_or_404(Cycle, pk=pk)
    try:
        domain.approve_results(request.user, cycle, early_reason=request.POST.get("early_reason", ""))
    except DomainError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, "The results are approved. They will be public at the announcement time.")
    return redirect("judging:cycle_panels", pk=pk)


@manage_required
def withdraw_results(request, pk):
    """The correction route: withdraw approved results, with a published reason."""
    cycle = get_object_or_404(Cycle.objects.select_related("programme"), pk=pk)
    if not Publication.objects.filter(cycle=cycle).exists():
        messages.info(request, "The results of this cycle are not approved.")
        return redirect("judging:cycle_panels", pk=pk)
    form = ReasonForm(request.POST or None)
    form.fields["reason"].label = "Why are the results being corrected?"
    form.fields[
        "reason"
    ].help_text = "This is published with the corrected results, and emailed to entrants if they were told the results."
    form.fields["reason"].error_messages["required"] = "Enter why the results are being corrected"
    if request.method == "POST" and form.is_valid():
        try:
            domain.withdraw_results(request.user, cycle, reason=form.cleaned_data["reason"])
        except DomainError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "The results are withdrawn. Reopen the panels that need correcting.")
            return redirect("judging:cycle_panels", pk=pk)
    return render(request, "judging/manage/withdraw_results.html", {"cycle": cycle, "form": form})


@manage_required
def reopen_panel(request, pk):
    panel = get_object_or_404(Panel.objects.select_related("category__cycle__programme"), pk=pk)
    form = ReasonForm(request.POST or None)
    form.fields["reason"].label = "Why is the panel being reopened?"
    form.fields["reason"].error_messages["required"] = "Enter why the panel is being reopened"
    if request.method == "POST" and form.is_valid():
        try:
            domain.reopen_panel(request.user, panel, reason=form.cleaned_data["reason"])
        except DomainError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "The panel is reopened and its chair told.")
            return redirect("judging:final", pk=panel.pk)
    return render(request, "judging/manage/reopen_panel.html", {"panel": panel, "form": form})


@login_required
@require_POST
def no_award(request, pk):
    """The panel makes no award in its category (or takes that back)."""
    panel = _panel_for(request.user, pk)
    form = NoAwardForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        return redirect("judging:final", pk=pk)
    rationale = form.cleaned_data["rationale"]
    try:
        domain.record_no_award(request.user, panel.category, rationale=rationale)
    except DomainError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            "No award will be made in this category."
            if rationale.strip()
            else "The decision to make no award has been taken back.",
        )
    return redirect("judging:final", pk=pk)


@manage_required
def export(request, pk, kind, fmt):
    cycle = get_object_or_404(Cycle.objects.select_related("programme"), pk=pk)
    if kind not in reports.EXPORTS or fmt not in ("csv", "xlsx"):
        raise Http404
    header, rows = reports.EXPORTS[kind](cycle)
    return table_response(header, rows, f"{kind}-{cycle.year}", fmt)


@manage_required
def distribution(request, pk):
    cycle = get_object_or_404(Cycle.objects.select_related("programme"), pk=pk)
    return render(
        request, "judging/manage/distribution.html", {"cycle": cycle, "rows": reports.judge_distribution(cycle)}
    )
