"""The entrant's consent pages: how a person who uses the service agreed to
the use of their statement or of images of them, and withdrawing it.

Both pages are the entrant organisation's own (members only: 404 to anyone
else). The domain (awards.domain.consent) decides; these pages only ask."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render

from core.errors import DomainError

from .. import domain
from ..forms import ConsentWithdrawalForm, PersonConsentForm
from ..models import Consent, ConsentSubject, ConsentUse
from .common import visible_nomination


def _nomination_and_consent(request, pk, subject):
    if subject not in ConsentSubject.values:
        raise Http404
    item = visible_nomination(request.user, pk, members_only=True)
    return item, Consent.objects.filter(nomination=item, subject=subject).first()


def _initial(consent):
    if consent is None or consent.is_withdrawn:
        return {}
    return {
        "basis": consent.basis,
        "supporter": consent.supporter,
        "attorney": consent.attorney,
        "consulted": consent.consulted,
        "decided_by": consent.decided_by,
        "uses": sorted(consent.uses),
    }


def _uses(item, subject) -> dict:
    uses = domain.uses_for(item, subject)
    return {"uses": uses, "use_labels": [ConsentUse(use).label for use in ConsentUse.values if use in uses]}


@login_required
def person_consent(request, pk, subject):
    """While the nomination is a draft: the form recording how consent was
    given and to which uses. Afterwards: what was recorded, and a link to
    withdraw it."""
    item, consent = _nomination_and_consent(request, pk, subject)
    form = PersonConsentForm(request.POST or None, initial=_initial(consent)) if item.is_draft else None
    if form is not None and request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            domain.record_consent(
                request.user,
                item,
                subject=subject,
                basis=data["basis"],
                uses=data["uses"],
                supporter=data["supporter"],
                attorney=data["attorney"],
                consulted=data["consulted"],
                decided_by=data["decided_by"],
            )
        except DomainError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "Consent has been recorded.")
            return redirect("awards:nomination", pk=item.pk)
    return render(
        request,
        "awards/provider/person_consent.html",
        {
            "nomination": item,
            "subject": ConsentSubject(subject),
            "consent": consent,
            **_uses(item, subject),
            "form": form,
        },
    )


@login_required
def person_consent_withdraw(request, pk, subject):
    """Withdrawing consent: at once, before the announcement; afterwards a
    withdrawal request, acted on for every future use. The page says which."""
    item, consent = _nomination_and_consent(request, pk, subject)
    form = ConsentWithdrawalForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            withdrawn = domain.withdraw_consent(request.user, item, subject=subject, reason=form.cleaned_data["reason"])
        except DomainError as error:
            form.add_error(None, str(error))
        else:
            if withdrawn.withdrawn_after_announcement:
                messages.success(
                    request,
                    "Your withdrawal request has been recorded. It will not be used again, "
                    "and the awards team has been told.",
                )
            else:
                messages.success(request, "Consent has been withdrawn. It is no longer shown to anyone.")
            return redirect("awards:person_consent", pk=item.pk, subject=subject)
    return render(
        request,
        "awards/provider/person_consent_withdraw.html",
        {
            "nomination": item,
            "subject": ConsentSubject(subject),
            "consent": consent,
            **_uses(item, subject),
            "announced": item.cycle.results_public(),
            "form": form,
        },
    )
