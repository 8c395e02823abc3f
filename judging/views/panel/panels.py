"""Judges, cycles and panels: members, the chair, activation and assignment."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST, require_safe

from accounts.enums import SiteRole
from accounts.models import User
from accounts.queries import holders_of
from awards.enums import NominationState
from awards.models import Cycle, Nomination
from core.errors import DomainError

from ... import domain
from ...enums import AssignmentState, Stage
from ...forms import (
    AddMembersForm,
    InviteJudgeForm,
    JudgeSearchForm,
    JudgingSettingsForm,
    NominationSearchForm,
    OverrideForm,
    RemoveMemberForm,
)
from ...models import JudgeInvitation, Panel, PanelMember, Publication
from ...queries import (
    assignable_nominations,
    assignment_grid,
    judge_candidates,
    understaffed,
    work_held_by,
)
from ...rules import chairs_panel
from ._common import _panel_for, manage_required


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
    # Active judges only: a deactivated account keeps its role grant but judges nothing.
    people = (
        holders_of(SiteRole.JUDGE)
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
            "corrections": cycle.results_corrections.all(),
        },
    )


def _cycle(pk) -> Cycle:
    return get_object_or_404(Cycle.objects.select_related("programme"), pk=pk)


@manage_required
@require_safe
def cycle_panels(request, pk):
    cycle = _cycle(pk)
    return _cycle_page(request, cycle, JudgingSettingsForm(instance=domain.judging_settings_for(cycle)))


@manage_required
@require_POST
def save_judging_settings(request, pk):
    cycle = _cycle(pk)
    form = JudgingSettingsForm(request.POST, instance=domain.judging_settings_for(cycle))
    if form.is_valid():
        try:
            domain.save_judging_settings(request.user, form.save(commit=False))
        except DomainError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "The judging settings have been saved.")
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


def _panel_page(request, panel):
    """The panel page: members, composition, and who holds which scorecard.
    Each change has a page or a form of its own."""
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
        .order_by("full_name", "email")
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
        .only("reference", "state", "organisation_id")
        .order_by("reference")
    )
    if not is_admin:
        # A chair sees nothing of entrants they have a conflict of interest with.
        eligible = eligible.exclude(
            Q(organisation__conflicts__judge=request.user) | Q(organisation__memberships__user=request.user)
        )
    eligible = list(eligible)
    short = understaffed(panel.category)
    return render(
        request,
        "judging/manage/panel.html",
        {
            "panel": panel,
            "is_admin": is_admin,
            "may_change_members": request.user.has_perm("judging.change_panel_members", panel),
            "members": members,
            "problems": domain.composition_problems(panel),
            # Conflicts of interest are an administrator's to see (awards.disclosure: Fact.CONFLICTS).
            "grid": _grid(eligible, members, show_conflicts=is_admin),
            "short": [(n, short[n.pk]) for n in eligible if n.pk in short],
            "k": panel.category.judges_per_nomination,
        },
    )


# How the grid shows each cell (judging.queries.assignment_grid): text and GOV.UK tag colour.
GRID_CELLS = {
    "submitted": ("Submitted", "govuk-tag--green"),
    "assigned": ("Not submitted", "govuk-tag--yellow"),
    "conflict": ("Conflict", "govuk-tag--red"),
    "": ("–", ""),
}


def _grid(nominations, members, *, show_conflicts):
    rows = assignment_grid(nominations, members, show_conflicts=show_conflicts)
    for row in rows:
        row["cells"] = [
            {"judge": member.get_full_name(), "text": GRID_CELLS[state][0], "tag": GRID_CELLS[state][1]}
            for member, state in zip(members, row["cells"], strict=True)
        ]
    return rows


@login_required
@require_safe
def panel_detail(request, pk):
    return _panel_page(request, _panel_for(request.user, pk))


def _choose_members_page(request, panel, form=None):
    search = JudgeSearchForm(request.GET or None)
    query = search.cleaned_data["q"] if search.is_valid() else ""
    if form is None:
        form = AddMembersForm(candidates=judge_candidates(panel, query), prefix="member")
    return render(
        request,
        "judging/manage/choose_members.html",
        {"panel": panel, "search": search, "query": query, "form": form},
    )


@manage_required
@require_safe
def choose_panel_members(request, pk):
    """The administrator picks judges from the list of active judges, with
    each one's sector and lived experience; a search box narrows the list."""
    panel = _managed_panel(pk)
    if not request.user.has_perm("judging.change_panel_members", panel):
        messages.info(request, "The panel has signed off: its members are final.")
        return redirect("judging:panel", pk=panel.pk)
    return _choose_members_page(request, panel)


@manage_required
@require_POST
def add_panel_member(request, pk):
    panel = _managed_panel(pk)
    form = AddMembersForm(request.POST, candidates=judge_candidates(panel), prefix="member")
    if form.is_valid():
        chosen = list(form.cleaned_data["judges"])
        try:
            domain.add_panel_members(request.user, panel, chosen)
        except DomainError as error:
            form.add_error(None, str(error))
        else:
            names = ", ".join(judge.get_full_name() for judge in chosen)
            messages.success(request, f"Added to the panel: {names}.")
            return redirect("judging:panel", pk=panel.pk)
    return _choose_members_page(request, panel, form)


def _change_panel(request, panel, change, *, success="The panel has been updated."):
    """One change to the panel through its domain function: the page says
    what was done, or why it was refused."""
    try:
        change()
    except DomainError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, success)
    return redirect("judging:panel", pk=panel.pk)


def _member(panel, judge_pk) -> User:
    memberships = PanelMember.objects.select_related("judge__judge_profile")
    membership = get_object_or_404(memberships, panel=panel, judge=judge_pk)
    return membership.judge


def _remove_member_form(panel, judge, data=None):
    assignments, visits = work_held_by(panel.category_id, judge)
    assignments, visits = list(assignments), list(visits)
    others = User.objects.filter(panel_memberships__panel=panel).exclude(pk=judge.pk).select_related("judge_profile")
    submitted = sorted({a.nomination.reference for a in assignments if a.submitted_at})
    form = RemoveMemberForm(
        data,
        others=others.order_by("full_name", "email"),
        holds_work=bool(assignments or visits),
        is_chair=chairs_panel(judge, panel) and others.exists(),
        submitted=submitted,
        prefix="remove",
    )
    return form, assignments, visits


def _remove_member_page(request, panel, judge, form, assignments, visits):
    return render(
        request,
        "judging/manage/remove_member.html",
        {
            "panel": panel,
            "judge": judge,
            "form": form,
            "unsubmitted": [a for a in assignments if not a.submitted_at],
            "submitted": [a for a in assignments if a.submitted_at],
            "visits": visits,
            "is_chair": chairs_panel(judge, panel),
            "problems": domain.composition_problems(panel, without=judge),
        },
    )


@manage_required
@require_safe
def confirm_remove_panel_member(request, pk, judge_pk):
    """What removing the member does (their scorecards and visits, the panel's
    composition afterwards, who is emailed) and the choices it needs, before
    the administrator confirms."""
    panel = _managed_panel(pk)
    judge = _member(panel, judge_pk)
    if not request.user.has_perm("judging.change_panel_members", panel):
        messages.info(request, "The panel has signed off: its members are final.")
        return redirect("judging:panel", pk=panel.pk)
    form, assignments, visits = _remove_member_form(panel, judge)
    return _remove_member_page(request, panel, judge, form, assignments, visits)


def _removal_done(removal) -> str:
    done = f"{removal.judge.get_full_name()} has left the panel."
    if removal.reassigned_to is not None:
        handed = len(removal.unsubmitted) + len(removal.submitted)
        visits = len(removal.visits)
        done += f" {removal.reassigned_to.get_full_name()} takes over {handed} scorecard{'s' if handed != 1 else ''}"
        done += f" and {visits} visit{'s' if visits != 1 else ''}." if visits else "."
    if removal.new_chair is not None:
        done += f" {removal.new_chair.get_full_name()} chairs the panel."
    return done


@manage_required
@require_POST
def remove_panel_member(request, pk, judge_pk):
    panel = _managed_panel(pk)
    judge = _member(panel, judge_pk)
    form, assignments, visits = _remove_member_form(panel, judge, request.POST)
    if form.is_valid():
        try:
            removal = domain.remove_panel_member(
                request.user,
                panel,
                judge,
                reassign_to=form.cleaned_data.get("reassign_to"),
                new_chair=form.cleaned_data.get("new_chair"),
                reason=form.cleaned_data["reason"],
            )
        except DomainError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _removal_done(removal))
            return redirect("judging:panel", pk=panel.pk)
    return _remove_member_page(request, panel, judge, form, assignments, visits)


@manage_required
@require_POST
def set_panel_chair(request, pk, judge_pk):
    panel = _managed_panel(pk)
    judge = get_object_or_404(User, pk=judge_pk)
    return _change_panel(request, panel, lambda: domain.set_chair(request.user, panel, judge))


@manage_required
@require_POST
def activate_panel(request, pk):
    panel = _managed_panel(pk)
    return _change_panel(
        request, panel, lambda: domain.activate_panel(request.user, panel), success="The panel is active."
    )


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


def _panel_members(panel):
    members = User.objects.filter(panel_memberships__panel=panel).select_related("judge_profile")
    return members.order_by("full_name", "email")


def _choose_assignment_page(request, panel, form=None):
    search = NominationSearchForm(request.GET or None)
    query = search.cleaned_data["q"] if search.is_valid() else ""
    if form is None:
        form = OverrideForm(
            nominations=assignable_nominations(panel.category, query), members=_panel_members(panel), prefix="override"
        )
    return render(
        request,
        "judging/manage/choose_assignment.html",
        {"panel": panel, "search": search, "query": query, "form": form},
    )


@manage_required
@require_safe
def choose_assignment(request, pk):
    """An administrator's change to one assignment: the nomination picked from
    the category's eligible ones (a search box narrows them), the judge from
    the panel's members."""
    return _choose_assignment_page(request, _managed_panel(pk))


@manage_required
@require_POST
def override_assignment(request, pk):
    panel = _managed_panel(pk)
    form = OverrideForm(
        request.POST,
        nominations=assignable_nominations(panel.category),
        members=_panel_members(panel),
        prefix="override",
    )
    if form.is_valid():
        try:
            domain.override_assignment(
                request.user,
                form.cleaned_data["nomination"],
                form.cleaned_data["judge"],
                add=form.cleaned_data["change"] == "add",
                reason=form.cleaned_data["reason"],
            )
        except DomainError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "The assignment has been changed.")
            return redirect("judging:panel", pk=panel.pk)
    return _choose_assignment_page(request, panel, form)
