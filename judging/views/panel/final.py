"""Final decisions, sign-off, approval and withdrawal of results, exports."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST, require_safe

from awards.disclosure import Audience
from awards.enums import NominationState
from awards.models import Cycle, Nomination
from core.errors import DomainError
from core.exports import table_response
from core.formats import uk_datetime

from ... import domain, reports
from ...enums import Award, PanelState
from ...forms import (
    EarlyReasonForm,
    FinalResultForm,
    NoAwardForm,
    ReasonForm,
)
from ...models import Panel, Publication
from ...queries import (
    audiences_for,
    conflicted_organisations,
)
from ...rules import chairs_panel, may_act_as_chair
from ._common import _panel_for, manage_required


def _lived_experience(final, threshold) -> dict:
    """The lived-experience judges' combined mean beside a finalist's final
    score, and whether the chair's decision must say how it was considered."""
    if final is None or final.lived_experience is None:
        return {"mean": None, "diverges": False}
    return {
        "mean": final.lived_experience,
        "divergence": final.divergence(),
        "diverges": final.needs_lived_experience_consideration(threshold),
        "threshold": threshold,
    }


def _final_page(request, panel, *, bound=None):
    """Finalists with their combined scores, and a decision form for each the
    viewer may decide; `bound` is a form that failed, shown with what was typed."""
    finals = domain.final_scores_with_lived_experience(panel.category)
    threshold = domain.judging_settings_for(panel.category.cycle).lived_experience_divergence_threshold
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
        final = finals.get(nomination.pk)
        lived = _lived_experience(final, threshold)
        form = None
        if panel.state == PanelState.ACTIVE and may_decide(nomination):
            prefix = f"n{nomination.pk}"
            failed = bound is not None and bound.prefix == prefix
            if result:
                initial["lived_experience_consideration"] = result.lived_experience_consideration
            form = (
                bound
                if failed
                else FinalResultForm(initial=initial, prefix=prefix, lived_experience_required=lived["diverges"])
            )
        acting = not is_chair and nomination.organisation_id in chair_conflicted
        rows.append((nomination, final.score if final else None, result, form, acting, lived))
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
    final = domain.final_scores_with_lived_experience(panel.category).get(nomination.pk)
    threshold = domain.judging_settings_for(panel.category.cycle).lived_experience_divergence_threshold
    form = FinalResultForm(
        request.POST,
        prefix=f"n{nomination.pk}",
        lived_experience_required=_lived_experience(final, threshold)["diverges"],
    )
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
@require_safe
def confirm_sign_off(request, pk):
    """Before the chair signs off: the decisions that become final, what still
    stops it, and that administrators then approve the results. Confirm posts
    to sign_off. Only whoever may take the chair's decision opens it."""
    panel = _panel_for(request.user, pk)
    finalists = list(
        Nomination.objects.filter(category=panel.category, state=NominationState.FINALIST)
        .select_related("final_result")
        .order_by("reference")
    )
    if not may_act_as_chair(request.user, panel.category, finalists):
        raise PermissionDenied
    if panel.state != PanelState.ACTIVE:
        messages.info(request, "Only an active panel signs off.")
        return redirect("judging:final", pk=panel.pk)
    return render(
        request,
        "judging/manage/confirm_sign_off.html",
        {
            "panel": panel,
            "decisions": [(n, getattr(n, "final_result", None)) for n in finalists],
            "problems": domain.sign_off_problems(panel),
        },
    )


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


def _approve_form(cycle, data=None) -> EarlyReasonForm:
    return EarlyReasonForm(
        data,
        early=timezone.now() < cycle.final_panel,
        question=f"The final panel meets at {uk_datetime(cycle.final_panel)}: why approve the results before then?",
        required_message=f"The final panel meets at {uk_datetime(cycle.final_panel)}: give the reason for "
        "approving the results before then",
    )


def _approve_page(request, cycle, form):
    panels = list(
        Panel.objects.filter(category__cycle=cycle)
        .select_related("category")
        .order_by("category__order", "category__name")
    )
    awards = dict(
        Nomination.objects.filter(cycle=cycle, final_result__isnull=False)
        .values_list("final_result__award")
        .annotate(n=Count("pk"))
        .order_by()
    )
    entrants = (
        Nomination.objects.filter(cycle=cycle, state__in=NominationState.entered())
        .exclude(state__in=[NominationState.SUBMITTED, NominationState.INELIGIBLE])
        .count()
    )
    return render(
        request,
        "judging/manage/confirm_approve_results.html",
        {
            "cycle": cycle,
            "form": form,
            "panels": panels,
            "unsigned": [p for p in panels if p.state != PanelState.SIGNED_OFF],
            "awards": [(label, awards.get(value, 0)) for value, label in Award.choices],
            "entrants": entrants,
        },
    )


@manage_required
@require_safe
def confirm_approve_results(request, pk):
    """Before approving the cycle's results: the awards that become results,
    that they are public at the announcement time (and the media partner may
    take the press pack before), that every entrant is emailed then, and that
    only a recorded withdrawal changes them. Confirm posts to approve_results."""
    cycle = get_object_or_404(Cycle.objects.select_related("programme"), pk=pk)
    if Publication.objects.filter(cycle=cycle).exists():
        messages.info(request, "The results of this cycle have already been approved.")
        return redirect("judging:cycle_panels", pk=pk)
    return _approve_page(request, cycle, _approve_form(cycle))


@manage_required
@require_POST
def approve_results(request, pk):
    cycle = get_object_or_404(Cycle.objects.select_related("programme"), pk=pk)
    form = _approve_form(cycle, request.POST)
    if form.is_valid():
        try:
            domain.approve_results(request.user, cycle, early_reason=form.cleaned_data.get("early_reason", ""))
        except DomainError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "The results are approved. They will be public at the announcement time.")
            return redirect("judging:cycle_panels", pk=pk)
    return _approve_page(request, cycle, form)


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
