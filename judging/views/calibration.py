"""Calibration pages: a judge scores the shared example entries of their
panels before scoring real entries; the chair and administrators see how
far each judge sits from the panel, and administrators add examples.
The rules are in judging.domain.calibration."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST, require_safe

from accounts.views import permission_required
from core.errors import DomainError

from ..domain import calibration
from ..enums import AssignmentState, PanelState, Stage
from ..forms import CalibrationExampleForm, CalibrationScoreForm
from ..models import Assignment, CalibrationExample, CalibrationScore
from .panel._common import _panel_for

judge_required = permission_required("judging.judge")


@judge_required
@require_safe
def calibration_examples(request):
    """The example entries of the panels the judge sits on (not signed off),
    each marked scored or not, and closed once the judge has submitted a
    real scorecard in its category. Four queries, however many examples."""
    examples = list(
        CalibrationExample.objects.filter(
            category__panel__memberships__judge=request.user,
        )
        .exclude(category__panel__state=PanelState.SIGNED_OFF)
        .select_related("category__cycle__programme")
        .order_by("-category__cycle__year", "category__name", "pk")
    )
    scored = set(
        CalibrationScore.objects.filter(judge=request.user, example__in=examples).values_list("example_id", flat=True)
    )
    started = set(
        Assignment.objects.filter(
            judge=request.user,
            stage=Stage.WRITTEN,
            state=AssignmentState.ACTIVE,
            submitted_at__isnull=False,
            nomination__category__in={e.category_id for e in examples},
        ).values_list("nomination__category_id", flat=True)
    )
    rows = [
        {"example": e, "scored": e.pk in scored, "closed": e.category_id in started, "category": e.category}
        for e in examples
    ]
    return render(request, "judging/judge/calibration_examples.html", {"rows": rows})


@judge_required
def calibrate(request, pk):
    """The judge reads one example entry and scores every written-stage
    criterion. Judges not on its panel get 404."""
    example = get_object_or_404(CalibrationExample.objects.select_related("category__cycle"), pk=pk)
    if not request.user.has_perm("judging.calibrate", example):
        raise Http404
    criteria = calibration.calibration_criteria(example.category)
    existing = dict(
        CalibrationScore.objects.filter(example=example, judge=request.user).values_list("criterion_id", "score")
    )
    closed = calibration.has_started_scoring(request.user, example.category)
    data = request.POST if request.method == "POST" else None
    form = CalibrationScoreForm(data, criteria=criteria, existing=existing)
    if request.method == "POST" and not closed and form.is_valid():
        try:
            calibration.record_calibration_scores(request.user, example, form.scores())
        except DomainError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"Your calibration scores for {example.title} have been saved.")
            return redirect("judging:calibration_examples")
    return render(
        request,
        "judging/judge/calibrate.html",
        {"example": example, "form": form, "closed": closed, "scored": bool(existing)},
    )


def _calibration_page(request, panel, form=None):
    may_add = request.user.has_perm("judging.add_calibration_example")
    return render(
        request,
        "judging/manage/calibration.html",
        {
            "panel": panel,
            "table": calibration.calibration_table(panel.category),
            "examples": list(panel.category.calibration_examples.all()),
            "form": (form or CalibrationExampleForm()) if may_add else None,
        },
    )


def _calibration_panel(request, pk):
    panel = _panel_for(request.user, pk)
    if not request.user.has_perm("judging.view_calibration", panel):
        raise Http404
    return panel


@login_required
@require_safe
def panel_calibration(request, pk):
    """How far each judge of the panel sits from the panel's mean on the
    example entries: the chair and administrators; administrators also add
    examples here (add_calibration_example)."""
    return _calibration_page(request, _calibration_panel(request, pk))


@login_required
@require_POST
def add_calibration_example(request, pk):
    panel = _calibration_panel(request, pk)
    if not request.user.has_perm("judging.add_calibration_example"):
        raise PermissionDenied
    form = CalibrationExampleForm(request.POST)
    if form.is_valid():
        try:
            calibration.add_calibration_example(request.user, panel.category, **form.cleaned_data)
        except DomainError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "The example entry has been added.")
            return redirect("judging:panel_calibration", pk=panel.pk)
    return _calibration_page(request, panel, form)
