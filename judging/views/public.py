"""What the public, entrants and the media partner see of the results.

Each page builds what it shows from awards.disclosure: the public and the
media partner see an award, who won it (with the entrant's consent) and the
images the entrant published; entrants see their own result and the judges'
comments without names, once the results are announced.
"""

from dataclasses import dataclass, field

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_POST

from accounts.views import permission_required
from awards.disclosure import Audience, Fact, allows
from awards.domain.consent import uses_by_nomination, uses_for
from awards.models import IMAGE_KINDS, ConsentSubject, Cycle, EvidenceFile
from awards.views.common import visible_nomination
from core.caching import RESULTS_DATA, cache_public_page
from core.errors import DomainError

from .. import domain
from .. import press_pack as press_pack_module
from ..enums import AssignmentState, Award, Stage
from ..models import Assignment, FinalResult
from ..queries import phase_for, phases_for

AWARD_ORDER = {Award.WINNER: 0, Award.HIGHLY_COMMENDED: 1, Award.COMMENDED: 2}


def _not_stored(response):
    """Results change at one instant and can be postponed: browsers and
    proxies ask again every time rather than keep a copy."""
    patch_cache_control(response, no_cache=True, max_age=0)
    return response


def published_cycles(now):
    return (
        Cycle.objects.filter(results_approved_at__isnull=False, winners_announced__lte=now)
        .select_related("programme")
        .order_by("-year")
    )


@cache_public_page(data=[RESULTS_DATA])
def winners_index(request):
    return _not_stored(
        render(request, "judging/public/winners_index.html", {"cycles": published_cycles(timezone.now())})
    )


@dataclass
class PublicResult:
    """One award as an audience may see it."""

    award: str
    award_label: str
    reference: str
    citation: str
    heading: str
    service: str = ""
    organisation: str = ""
    images: list = field(default_factory=list)
    # The statement of a person who uses the service, where they consented to this audience's use.
    statement: str = ""
    statement_by: str = ""


def published_images(nominations=None):
    """Images an entrant marked for publication, with a caption and the
    consent of the people in them, of entries that agreed to publication."""
    images = (
        EvidenceFile.objects.all() if nominations is None else EvidenceFile.objects.filter(nomination__in=nominations)
    )
    return (
        images.filter(
            nomination__consent_to_publish=True,
            kind__in=IMAGE_KINDS,
            publish=True,
            people_consent=True,
        )
        .exclude(published_file="")
        .order_by("nomination_id", "pk")
    )


def results_for(cycle, audience, now=None) -> dict:
    """The cycle's awards by category, holding only the facts `audience` may
    see now: nothing at all before the audience's phase allows the award."""
    results = (
        FinalResult.objects.filter(nomination__cycle=cycle)
        .exclude(award=Award.NONE)
        .select_related("nomination__category", "nomination__organisation", "nomination__cycle")
        .order_by("nomination__category__order", "nomination__category__name")
    )
    results = list(results)
    phases = phases_for([r.nomination for r in results], now)
    # The consent of people who use the service, as it stands now: a withdrawal shows at once.
    image_uses = uses_by_nomination([r.nomination for r in results], ConsentSubject.IMAGES)
    statement_uses = uses_by_nomination([r.nomination for r in results], ConsentSubject.STATEMENT)
    images = {}
    for image in published_images([r.nomination for r in results]):
        images.setdefault(image.nomination_id, []).append(image)
    by_category = {}
    for result in results:
        nomination = result.nomination
        phase = phases[nomination.pk]
        if not allows(audience, Fact.AWARD, phase):
            continue
        named = allows(audience, Fact.IDENTITY, phase, consented=bool(nomination.consent_to_publish))
        quoted = bool(nomination.user_statement) and allows(
            audience,
            Fact.STATEMENT,
            phase,
            consented=bool(nomination.consent_to_publish),
            uses=statement_uses[nomination.pk],
        )
        sector = nomination.organisation.get_sector_display().lower()
        item = PublicResult(
            award=result.award,
            award_label=result.get_award_display(),
            reference=nomination.reference,
            citation=result.citation,
            heading=f"{nomination.service_name}, {nomination.organisation.name}"
            if named
            else f"A {sector} sector service",
            service=nomination.service_name if named else "",
            organisation=nomination.organisation.name if named else "",
            images=images.get(nomination.pk, [])
            if allows(audience, Fact.IMAGES, phase, uses=image_uses[nomination.pk])
            else [],
            statement=nomination.user_statement if quoted else "",
            statement_by=nomination.user_statement_by if quoted else "",
        )
        by_category.setdefault(nomination.category, []).append(item)
    for items in by_category.values():
        items.sort(key=lambda r: (AWARD_ORDER[r.award], r.reference))
    return by_category


@cache_public_page(data=[RESULTS_DATA])
def winners(request, pk):
    """404 before the announcement instant: nothing of the results shows early."""
    cycle = get_object_or_404(Cycle.objects.select_related("programme"), pk=pk)
    if not cycle.results_public():
        raise Http404
    by_category = results_for(cycle, Audience.PUBLIC)
    no_award = cycle.categories.filter(panel__no_award_at__isnull=False).order_by("order", "name")
    return _not_stored(
        render(
            request,
            "judging/public/winners.html",
            {
                "cycle": cycle,
                "by_category": by_category,
                "no_award": [category.name for category in no_award],
                # A result changes only through a correction, always shown with its reason.
                "corrections": cycle.results_corrections.all(),
            },
        )
    )


def winner_image(request, pk):
    """A published image's metadata-free copy: only once the results are
    announced, only if the entrant chose to publish it."""
    image = get_object_or_404(
        published_images().select_related("nomination__cycle", "nomination__final_result"),
        pk=pk,
    )
    result = getattr(image.nomination, "final_result", None)
    if result is None or result.award == Award.NONE:
        raise Http404
    uses = uses_for(image.nomination, ConsentSubject.IMAGES)
    if not allows(Audience.PUBLIC, Fact.IMAGES, phase_for(image.nomination), uses=uses):
        raise Http404
    response = FileResponse(image.published_file.open("rb"), content_type=image.mimetype)
    response["X-Content-Type-Options"] = "nosniff"
    return _not_stored(response)


@login_required
def feedback(request, pk):
    """Entrants read the judges' comments, without names, after the embargo."""
    nomination = visible_nomination(request.user, pk, members_only=True)
    phase = phase_for(nomination)
    if not allows(Audience.ENTRANT, Fact.FEEDBACK, phase) or not nomination.was_judged:
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
    result = FinalResult.objects.filter(nomination=nomination).exclude(award=Award.NONE).first()
    award = None
    if result and allows(Audience.ENTRANT, Fact.AWARD, phase):
        award = {"label": result.get_award_display(), "citation": result.citation}
    return render(request, "judging/public/feedback.html", {"nomination": nomination, "judges": judges, "award": award})


@permission_required("judging.press_pack")
def press_index(request):
    """The cycles with approved results, each with a button to ask for its
    press pack, and the person's own press packs being made or ready."""
    from core.models import ExportJob

    from ..exports import PRESS_PACK

    jobs = ExportJob.objects.filter(owner=request.user, kind=PRESS_PACK.code)[:10]
    return render(
        request,
        "judging/public/press_index.html",
        {"cycles": press_pack_module.approved_cycles(), "jobs": jobs, "now": timezone.now()},
    )


@require_POST
@permission_required("judging.press_pack")
def press_pack(request, pk):
    """Asks for the cycle's press pack: a worker builds it in the background
    (judging.press_pack) and the job's page follows it; 404 while the results
    are not approved."""
    cycle = get_object_or_404(press_pack_module.approved_cycles(), pk=pk)
    try:
        job = domain.request_press_pack(request.user, cycle)
    except DomainError:
        raise Http404("The results of this cycle are not approved") from None
    return redirect("core:export_job", pk=job.pk)
