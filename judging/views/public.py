"""What the public, entrants and the media partner see of the results."""

import csv
import io
import json
import zipfile

from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from accounts import audit
from accounts.views import permission_required
from awards.enums import NominationState
from awards.models import Cycle, EvidenceFile
from awards.views.common import visible_nomination
from config.caching import cache_public_page
from config.downloads import content_disposition

from ..domain import results_are_public
from ..enums import AssignmentState, Award, Stage
from ..models import Assignment, FinalResult, PressPackDownload, Publication

AWARD_ORDER = {Award.WINNER: 0, Award.HIGHLY_COMMENDED: 1, Award.COMMENDED: 2}


def published_cycles(now):
    return (
        Cycle.objects.filter(publication__isnull=False, winners_announced__lte=now)
        .select_related("programme")
        .order_by("-year")
    )


@cache_public_page
def winners_index(request):
    return render(request, "judging/public/winners_index.html", {"cycles": published_cycles(timezone.now())})


def _awarded(cycle):
    results = (
        FinalResult.objects.filter(nomination__cycle=cycle)
        .exclude(award=Award.NONE)
        .select_related("nomination__category", "nomination__organisation")
        .order_by("nomination__category__order", "nomination__category__name")
    )
    by_category = {}
    for result in results:
        by_category.setdefault(result.nomination.category, []).append(result)
    for items in by_category.values():
        items.sort(key=lambda r: (AWARD_ORDER[r.award], r.nomination.reference))
    return by_category


def _consented_images(nominations):
    return EvidenceFile.objects.filter(
        nomination__in=nominations, nomination__consent_to_publish=True, kind__in=["jpeg", "png"]
    ).select_related("nomination")


@cache_public_page
def winners(request, pk):
    """404 before the announcement instant: nothing of the results shows early."""
    cycle = get_object_or_404(Cycle.objects.select_related("programme"), pk=pk)
    if not results_are_public(cycle):
        raise Http404
    by_category = _awarded(cycle)
    images = {}
    for image in _consented_images([r.nomination for items in by_category.values() for r in items]):
        images.setdefault(image.nomination_id, []).append(image)
    return render(
        request, "judging/public/winners.html", {"cycle": cycle, "by_category": by_category, "images": images}
    )


def winner_image(request, pk):
    """Images published with a result: only consented, only after the embargo."""
    image = get_object_or_404(
        EvidenceFile.objects.select_related("nomination__cycle", "nomination__final_result"),
        pk=pk,
        kind__in=["jpeg", "png"],
        nomination__consent_to_publish=True,
    )
    result = getattr(image.nomination, "final_result", None)
    if result is None or result.award == Award.NONE or not results_are_public(image.nomination.cycle):
        raise Http404
    with image.file.open("rb") as handle:
        response = HttpResponse(handle.read(), content_type=image.mimetype)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "public, max-age=3600"
    return response


@login_required
def feedback(request, pk):
    """Entrants read the judges' comments, without names, after the embargo."""
    nomination = visible_nomination(request.user, pk, members_only=True)
    if not results_are_public(nomination.cycle) or nomination.state in (
        NominationState.DRAFT,
        NominationState.SUBMITTED,
        NominationState.WITHDRAWN,
    ):
        raise Http404
    assignments = (
        Assignment.objects.filter(nomination=nomination, state=AssignmentState.ACTIVE, submitted_at__isnull=False)
        .prefetch_related("scores__criterion")
        .order_by("stage", "pk")
    )
    judges = []
    for number, assignment in enumerate(assignments, start=1):
        comments = [(s.criterion.name, s.comment) for s in assignment.scores.all() if s.comment.strip()]
        judges.append({"label": f"Judge {number}", "stage": Stage(assignment.stage).label, "comments": comments})
    result = FinalResult.objects.filter(nomination=nomination).first()
    return render(
        request, "judging/public/feedback.html", {"nomination": nomination, "judges": judges, "result": result}
    )


@permission_required("judging.press_pack")
def press_index(request):
    publications = Publication.objects.select_related("cycle__programme").order_by("-cycle__year")
    return render(request, "judging/public/press_index.html", {"publications": publications, "now": timezone.now()})


@permission_required("judging.press_pack")
def press_pack(request, pk):
    """Winners, citations and consented images as CSV and JSON in a ZIP, for
    the media partner ahead of the embargo; every download is recorded."""
    cycle = get_object_or_404(Cycle.objects.select_related("programme"), pk=pk)
    if not Publication.objects.filter(cycle=cycle).exists():
        raise Http404
    by_category = _awarded(cycle)
    records = [
        {
            "category": category.name,
            "award": result.get_award_display(),
            "reference": result.nomination.reference,
            "service": result.nomination.service_name if result.nomination.consent_to_publish else "",
            "organisation": result.nomination.organisation.name if result.nomination.consent_to_publish else "",
            "citation": result.citation,
        }
        for category, items in by_category.items()
        for result in items
    ]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        embargo = timezone.localtime(cycle.winners_announced).isoformat()
        archive.writestr("README.txt", f"Embargoed until {embargo} (UK time). {cycle}.\n")
        archive.writestr(
            "winners.json",
            json.dumps(
                {"cycle": str(cycle), "embargo_until": embargo, "results": records}, indent=2, ensure_ascii=False
            ),
        )
        text = io.StringIO()
        writer = csv.DictWriter(text, fieldnames=list(records[0]) if records else ["category"])
        writer.writeheader()
        writer.writerows(records)
        archive.writestr("winners.csv", text.getvalue())
        nominations = [r.nomination for items in by_category.values() for r in items]
        for image in _consented_images(nominations):
            with image.file.open("rb") as handle:
                archive.writestr(f"images/{image.nomination.reference}-{image.pk}.{image.kind}", handle.read())
    with transaction.atomic():
        download = PressPackDownload.objects.create(cycle=cycle, user=request.user)
        audit.record(actor=request.user, action="press_pack.downloaded", obj=download, after={"cycle": cycle.pk})
    response = HttpResponse(buffer.getvalue(), content_type="application/zip")
    response["Content-Disposition"] = content_disposition(f"press-pack-{cycle.year}.zip")
    return response
