"""Judges, cycles and panels: members, the chair, activation and assignment."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST, require_safe

from accounts.enums import SiteRole
from accounts.models import User
from awards.enums import NominationState
from awards.models import Cycle, Nomination
from core.errors import DomainError

from ... import domain
from ...enums import AssignmentState, Stage
from ...forms import (
    InviteJudgeForm,
    JudgeEmailForm,
    OverrideForm,
    JudgingSettingsForm,
)
from ...models import JudgeInvitation, Panel, Publication
from ...queries import (
    understaffed,
)
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


@manage_required
@require_POST
def remove_panel_member(request, pk, judge_pk):
    panel = _managed_panel(pk)
    judge = get_object_or_404(User, pk=judge_pk)
    return _change_panel(request, panel, lambda: domain.remove_panel_member(request.user, panel, judge))


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
