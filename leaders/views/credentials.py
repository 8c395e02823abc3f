"""Signed credentials: the issuer, checking, revoking and the status list."""

from django.contrib import messages
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render

from core import credentials as signing
from core.errors import DomainError

from .. import credentials
from ..forms import CheckCredentialForm, RevokeForm
from ..models import IssuedCredential
from ._common import manage_required


def check(request):
    """Anyone checks a credential by its ID or link: a known one opens its
    public page; otherwise the form says what is wrong."""
    form = CheckCredentialForm(request.GET if "credential" in request.GET else None)
    if form.is_valid():
        uuid = form.cleaned_data["credential"]
        if IssuedCredential.objects.filter(uuid=uuid).exists():
            return redirect("credentials:verify", uuid=uuid)
        form.add_error(
            "credential", "No credential has this ID. Check it against the certificate or link you were given"
        )
    return render(request, "leaders/credential_check.html", {"form": form})


def credential_verify(request, uuid):
    issued = get_object_or_404(IssuedCredential.objects.select_related("completion__course__provider"), uuid=uuid)
    state, explanation = credentials.status(issued)
    if request.headers.get("Accept", "").startswith("application/json"):
        return JsonResponse({"status": state, "explanation": explanation})
    return render(
        request,
        "leaders/credential_verify.html",
        {
            "issued": issued,
            "state": state,
            "explanation": explanation,
            "may_revoke": request.user.is_authenticated and request.user.has_perm("leaders.manage"),
            # The leader's own "Add to LinkedIn" link, while the credential stands.
            "linkedin_url": credentials.linkedin_url(issued)
            if request.user.is_authenticated and issued.completion.leader_id == request.user.pk and state == "valid"
            else "",
        },
    )


def issuer(request):
    return JsonResponse(credentials.issuer_profile(), json_dumps_params={"indent": 2})


def status_list(request, number):
    """The public revocation list (W3C Bitstring Status List), signed, shared
    by every kind of credential (core.credentials). Built
    fresh on every request, so a revocation shows at once; verifiers may keep
    it for a few minutes."""
    if number not in signing.STATUS_LISTS:
        raise Http404
    response = JsonResponse(signing.status_list(number), json_dumps_params={"indent": 2})
    response["Content-Type"] = "application/vc+ld+json"
    response["Cache-Control"] = "public, max-age=300"
    return response


@manage_required
def revoke_credential(request, uuid):
    """Academy staff revoke a credential, with the reason shown to anyone who checks it."""
    issued = get_object_or_404(
        IssuedCredential.objects.select_related("completion__course", "completion__leader"), uuid=uuid
    )
    form = RevokeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            credentials.revoke(request.user, issued, reason=form.cleaned_data["reason"])
        except DomainError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "The credential is revoked. Anyone who checks it is told why.")
            return redirect("credentials:verify", uuid=issued.uuid)
    return render(request, "leaders/revoke_credential.html", {"issued": issued, "form": form})
