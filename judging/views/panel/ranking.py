"""The ranking, casting decisions, the shortlist and reopening scores."""

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST, require_safe

from awards.disclosure import Audience, Fact, allows
from awards.models import Nomination
from core.errors import DomainError
from core.formats import uk_datetime

from ... import domain
from ...enums import AssignmentState, Stage
from ...forms import (
    EarlyReasonForm,
    ReasonForm,
    ShortlistForm,
    TieBreakForm,
)
from ...models import Assignment, JudgingSettings, ShortlistEntry
from ...queries import (
    phases_for,
    shortlist_recipients,
    with_phase_inputs,
    withheld_from,
)
from ...results import cached_category_results
from ...rules import chairs_panel, may_act_as_chair
from ._common import _panel_for

RANKING_PAGE_SIZE = 50


@dataclass
class _Ranking:
    """The ranking of one stage as one viewer may see it, and the casting decisions open to them."""

    rules: JudgingSettings
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
    rules = domain.judging_settings_for(panel.category.cycle)
    rows = cached_category_results(
        panel, stage, rules.disagreement_threshold, min_scorecards=rules.min_scorecards_for_normalisation
    )
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


def _results_page(request, panel, stage, ranking, *, tie_form=None):
    """The ranking page. Its forms post to views of their own; one that fails
    comes back here with what was typed."""
    page = Paginator(ranking.shown, RANKING_PAGE_SIZE).get_page(request.GET.get("page"))
    shortlist = dict(
        ShortlistEntry.objects.filter(nomination__category=panel.category).values_list("nomination_id", "shortlisted")
    )
    viewer = Audience.ADMIN if ranking.is_admin else Audience.CHAIR
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
                divergence_threshold=ranking.rules.lived_experience_divergence_threshold,
            ),
            "summary": {
                "ranked": len(ranking.shown),
                "disagreement": sum(row.disagreement for row in ranking.shown),
                "needs_casting_vote": sum(row.needs_casting_vote for row in ranking.shown),
            },
            # Judges whose totals are used raw (fewer scorecards than the minimum).
            "raw_judges": len({judge for row in ranking.shown for judge in row.raw_judges}),
            "withheld_conflicted": len(ranking.conflicted & all_ids),
            "withheld_waiting": len(ranking.waiting & all_ids),
            "renumbered": len(ranking.shown) != len(ranking.rows),
            "may_cast": ranking.may_cast,
            "is_chair": ranking.is_chair,
            "may_shortlist": ranking.is_admin or (ranking.is_chair and not ranking.conflicted),
            "is_admin": ranking.is_admin,
            "rules": ranking.rules,
            "tie_form": (tie_form or TieBreakForm(rows=ranking.tied, prefix="tie")) if ranking.may_cast else None,
            "shortlisted": sum(shortlist.values()),
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


def _publish_form(panel, data=None, now=None) -> EarlyReasonForm:
    due = panel.category.cycle.shortlist_published
    return EarlyReasonForm(
        data,
        early=(now or timezone.now()) < due,
        question=f"The shortlist is due at {uk_datetime(due)}: why publish it before then?",
        required_message=f"The shortlist is due to be published at {uk_datetime(due)}: "
        "give the reason for publishing it earlier",
    )


def _publish_page(request, panel, form):
    return render(
        request,
        "judging/manage/confirm_publish_shortlist.html",
        {"panel": panel, "form": form, "recipients": shortlist_recipients(panel.category)},
    )


def _publishable(request, pk):
    """The panel, for an administrator (the domain refuses anyone else)."""
    panel = _panel_for(request.user, pk)
    if not request.user.has_perm("judging.manage"):
        raise PermissionDenied
    return panel


@login_required
@require_safe
def confirm_publish_shortlist(request, pk):
    """Before the shortlist is published: what happens (each entrant learns
    whether it is shortlisted, and it cannot be taken back) and how many
    providers and people are emailed; Confirm posts to publish_shortlist."""
    panel = _publishable(request, pk)
    if panel.shortlist_published_at:
        messages.info(request, "The shortlist has already been published.")
        return redirect("judging:results", pk=panel.pk)
    if not panel.shortlist_decided_at:
        messages.info(request, "The panel has not decided its shortlist yet.")
        return redirect("judging:results", pk=panel.pk)
    return _publish_page(request, panel, _publish_form(panel))


@login_required
@require_POST
def publish_shortlist(request, pk):
    """An administrator publishes the decided shortlist and providers are told
    (the domain checks who may, and asks for a reason before the due date)."""
    panel = _panel_for(request.user, pk)
    form = _publish_form(panel, request.POST)
    if form.is_valid():
        try:
            domain.publish_shortlist(
                request.user, panel.category, early_reason=form.cleaned_data.get("early_reason", "")
            )
        except DomainError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "The shortlist has been published and providers told.")
            return redirect(_results_url(panel, Stage.WRITTEN))
    elif not request.user.has_perm("judging.manage"):
        raise PermissionDenied
    return _publish_page(request, panel, form)


def _lived_experience(row, threshold) -> dict:
    """The lived-experience column of one ranking row: the mean of the
    normalised totals of judges with lived experience of care, and whether it
    differs from the normalised score beyond the cycle's threshold (if set)."""
    if row.lived_experience is None:
        return {"mean": None, "judges": 0, "diverges": False}
    divergence = row.lived_experience_divergence()
    return {
        "mean": f"{row.lived_experience:.1f}",
        "judges": row.lived_experience_judges,
        "divergence": f"{divergence:.1f}",
        "diverges": threshold is not None and divergence > threshold,
    }


def _ranking_rows(
    panel, page, stage, shortlist, viewer, *, may_reopen, chair_conflicted, divergence_threshold=None
) -> list[dict]:
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
        .select_related("judge", "support")
        .only(
            "nomination_id",
            "submitted_at",
            "judge__email",
            "judge__full_name",
            # Assisted scoring: the chair sees who helped a judge and how.
            "support__supporter_name",
            "support__kinds",
            "support__description",
        )
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
                    "raw": assignment.judge_id in row.raw_judges,
                    "reopen": reopen,
                    "assisted": _support_summary(assignment),
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
                "lived_experience": _lived_experience(row, divergence_threshold),
                "mean": f"{row.mean:.1f}",
                "spread": f"{row.spread:.1f}",
                "scorecards": scorecards,
                "disagreement": row.disagreement,
                "needs_casting_vote": row.needs_casting_vote,
            }
        )
    return table


def _support_summary(assignment) -> str:
    """Who helped the judge with this scorecard and how (assisted scoring), or ""."""
    support = getattr(assignment, "support", None)
    return support.summary if support is not None else ""


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
    rules = domain.judging_settings_for(panel.category.cycle)
    rows = cached_category_results(
        panel, Stage.WRITTEN, rules.disagreement_threshold, min_scorecards=rules.min_scorecards_for_normalisation
    )
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
