"""The equity report: for awards administrators while the cycle runs (with a
CSV download), and for everyone once the results are announced (aggregate
counts only, small numbers suppressed: awards.equity)."""

from django import forms
from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, render
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_safe

from accounts.views import permission_required
from core.exports import csv_response

from .. import equity
from ..models import Cycle


class CompareForm(forms.Form):
    compare = forms.ChoiceField(
        label="Compare registered providers with",
        choices=[(key, label) for key, label, _ in equity.STAGES],
        required=False,
        error_messages={"invalid_choice": "Select a stage to compare with registered providers"},
    )


def _compare(request):
    """The stage the charts compare with providers: entries unless one is chosen."""
    form = CompareForm(request.GET or None)
    if form.is_bound and form.is_valid() and form.cleaned_data["compare"]:
        return form, form.cleaned_data["compare"]
    return form, equity.STAGE_KEYS[0]


@require_safe
@permission_required("awards.manage")
def manage_report(request, pk):
    """The full report with exact counts; `?export=csv` downloads it."""
    cycle = get_object_or_404(Cycle.objects.select_related("programme"), pk=pk)
    report = equity.build_report(cycle)
    export = request.GET.get("export")
    if export is not None:
        if export != "csv":
            return HttpResponseBadRequest(
                "The equity report downloads as CSV only (export=csv).", content_type="text/plain"
            )
        filename = f"equity-report-{cycle.programme.reference_prefix.lower()}-{cycle.year}"
        return csv_response(equity.csv_header(), equity.csv_rows(report), filename)
    form, stage = _compare(request)
    return render(
        request,
        "awards/equity_manage.html",
        {
            "cycle": cycle,
            "report": report,
            "form": form,
            "stage": stage,
            "sections": [(d, equity.chart(d, stage)) for d in report.dimensions],
            "is_open": cycle.is_open(),
            "published": equity.may_publish(cycle),
        },
    )


@require_safe
def public_report(request, pk):
    """The report published with the results: 404 until the public may see
    the cycle's awards (awards.disclosure), so nothing shows early."""
    cycle = get_object_or_404(Cycle.objects.select_related("programme"), pk=pk)
    if not equity.may_publish(cycle):
        raise Http404
    report = equity.public_report(cycle)
    form, stage = _compare(request)
    response = render(
        request,
        "awards/equity_public.html",
        {
            "cycle": cycle,
            "report": report,
            "form": form,
            "stage": stage,
            "sections": [(d, equity.chart(d, stage, public=True)) for d in report.dimensions],
            "fewer": equity.FEWER,
        },
    )
    # Results can be withdrawn for correction: nobody keeps a copy.
    patch_cache_control(response, no_cache=True, max_age=0)
    return response
