"""The awards' signed credentials: the page anyone may open where the entrant
consented to publication (the entrant's own otherwise), the signed JSON and
the PDF certificate. What shows to whom is awards.disclosure's, through
judging.award_credentials.shows."""

from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_safe

from awards.disclosure import Audience
from awards.models import AwardCredential
from core.downloads import content_disposition

from .. import award_credentials


def _no_copies(response):
    """A credential can be revoked at any moment: nobody keeps a copy of the page."""
    patch_cache_control(response, no_cache=True, max_age=0, private=True)
    return response


def _credential(uuid) -> AwardCredential:
    return get_object_or_404(
        AwardCredential.objects.select_related(
            "nomination__cycle__programme", "nomination__category", "nomination__organisation"
        ),
        uuid=uuid,
    )


def _visible(request, uuid) -> AwardCredential:
    credential = _credential(uuid)
    if not award_credentials.shows(request.user, credential):
        raise Http404
    return credential


@require_safe
def credential(request, uuid):
    """The credential and its standing. A revoked credential nobody may see
    any more says only that it was revoked, naming nobody, so that a link
    shared before the results were withdrawn still tells the truth."""
    issued = _credential(uuid)
    state, explanation = award_credentials.status(issued)
    visible = award_credentials.shows(request.user, issued)
    if not visible and not issued.revoked_at:
        raise Http404
    if request.headers.get("Accept", "").startswith("application/json"):
        return _no_copies(JsonResponse({"status": state, "explanation": explanation}))
    label, tag = award_credentials.STATUS_LABELS[state]
    public = award_credentials.is_public(issued)
    is_entrant = visible and award_credentials.audience(request.user, issued.nomination) == Audience.ENTRANT
    context = {
        "issued": issued,
        "visible": visible,
        "status_label": label,
        "status_tag": tag,
        "explanation": explanation,
        "public": public,
    }
    if visible:
        context |= {
            "nomination": issued.nomination,
            "award": award_credentials.award_label(issued.award),
            "citation": issued.document["credentialSubject"]["achievement"]["description"],
            "linkedin_url": award_credentials.linkedin_url(issued)
            if is_entrant and public and not issued.revoked_at
            else "",
        }
    return _no_copies(render(request, "judging/public/award_credential.html", context))


@require_safe
def credential_document(request, uuid):
    """The signed credential itself (Open Badges 3.0, eddsa-jcs-2022), as issued."""
    issued = _visible(request, uuid)
    response = JsonResponse(issued.document, json_dumps_params={"indent": 2})
    response["Content-Type"] = "application/vc+ld+json"
    response["Content-Disposition"] = content_disposition(f"award-{issued.nomination.reference}.json")
    return _no_copies(response)


@require_safe
def certificate(request, uuid):
    """The certificate as a PDF, for whoever may see the credential."""
    issued = _visible(request, uuid)
    response = HttpResponse(award_credentials.certificate_pdf(issued), content_type="application/pdf")
    response["Content-Disposition"] = content_disposition(f"certificate-{issued.nomination.reference}.pdf")
    return _no_copies(response)
