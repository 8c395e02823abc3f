"""Awards as signed credentials, with a PDF certificate.

Once a cycle's results are announced (the announcement instant reached, the
moment publication.notify_entrants_of_results tells entrants), each entry
with an award (winner, highly commended, commended) receives an Open Badges
3.0 credential signed like every credential of the Academy (core.credentials),
naming the organisation, the service, the category and the award with its
citation. Never before: under embargo there is nothing to issue.

Disclosure (awards.disclosure) decides who sees it. Where the entrant
consented to publication, the credential has a public page, JSON and PDF,
and the entrant an "Add to LinkedIn" link; otherwise it is issued privately:
only the entrant organisation (and awards administrators) can open it, and
its `id` is a URN, not a page.

Withdrawing the results (publication.withdraw_results) revokes every
credential of the cycle: the signed document stays as it was, its bit in the
public revocation list is set, and the audit log records it. Corrected
results, once announced, get new credentials.
"""

import uuid

from django.conf import settings
from django.db.models import Exists, OuterRef
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from accounts import audit
from awards.disclosure import Audience, Fact, allows, phase_of
from awards.enums import NominationState
from awards.models import AwardCredential, Nomination
from core import credentials as signing

from .enums import Award
from .models import FinalResult
from .queries import phase_for

AWARDS = {
    NominationState.WINNER: Award.WINNER,
    NominationState.HIGHLY_COMMENDED: Award.HIGHLY_COMMENDED,
    NominationState.COMMENDED: Award.COMMENDED,
}


def public_url(credential_id) -> str:
    return settings.SITE_URL + reverse("winners:credential", args=[credential_id])


def award_label(state: str) -> str:
    return Award(AWARDS[state]).label


def title(nomination, state: str) -> str:
    """What the credential is called: "Winner, Care Home Service of the Year, Care Awards 2026"."""
    return f"{award_label(state)}, {nomination.category.name}, {nomination.cycle}"


def build(nomination, result, credential_id, now, status_index: int, *, public: bool) -> dict:
    """The unsigned credential: subject, the entrant organisation and its service."""
    cycle = nomination.cycle
    winners_url = settings.SITE_URL + reverse("winners:cycle", args=[cycle.pk])
    return {
        "@context": signing.CONTEXT,
        "id": public_url(credential_id) if public else f"urn:uuid:{credential_id}",
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": title(nomination, nomination.state),
        "issuer": signing.issuer(),
        "validFrom": signing.timestamp(now),
        "awardedDate": signing.timestamp(cycle.winners_announced),
        "credentialSubject": {
            "type": ["AchievementSubject"],
            "identifier": [
                {
                    "type": "IdentityObject",
                    "identityHash": nomination.organisation.name,
                    "identityType": "name",
                    "hashed": False,
                }
            ],
            "narrative": f"{nomination.service_name}, {nomination.organisation.name} (entry {nomination.reference})",
            "achievement": {
                "id": f"{winners_url}#{nomination.category.slug or nomination.category_id}",
                "type": ["Achievement"],
                "achievementType": "Award",
                "name": f"{award_label(nomination.state)}: {nomination.category.name}",
                "description": result.citation if result is not None else "",
                "criteria": {
                    "narrative": f"Judged by an independent panel of the {cycle} against the category's "
                    "published criteria, at the written stage and on a site visit."
                },
                "creator": signing.issuer(),
            },
        },
        "credentialStatus": signing.status_entry(status_index, signing.REVOCATION_LIST),
    }


def issue_for_cycle(cycle, now=None) -> int:
    """Issues the credentials of an announced cycle's awards, once each; run
    in the transaction that tells entrants their results. Returns how many
    were issued; none while the results are not public."""
    now = now or timezone.now()
    if not cycle.results_public(now):
        return 0
    awarded = (
        Nomination.objects.filter(cycle=cycle, state__in=NominationState.results())
        .exclude(Exists(AwardCredential.objects.filter(nomination=OuterRef("pk"), revoked_at__isnull=True)))
        .select_related("cycle__programme", "category", "organisation")
        .order_by("pk")
    )
    results = {r.nomination_id: r for r in FinalResult.objects.filter(nomination__cycle=cycle)}
    issued = 0
    for nomination in awarded:
        phase = phase_of(nomination, now)
        if not allows(Audience.ENTRANT, Fact.AWARD, phase):
            continue
        public = allows(Audience.PUBLIC, Fact.AWARD, phase) and allows(
            Audience.PUBLIC, Fact.IDENTITY, phase, consented=bool(nomination.consent_to_publish)
        )
        credential_id = uuid.uuid4()
        index = signing.allocate_status_index()
        document = build(nomination, results.get(nomination.pk), credential_id, now, index, public=public)
        AwardCredential.objects.create(
            uuid=credential_id,
            nomination=nomination,
            award=nomination.state,
            public=public,
            issued_at=now,
            status_index=index,
            document=signing.sign(document, now),
        )
        audit.record(
            actor=None,
            action="award_credential.issued",
            obj=nomination,
            after={"credential": str(credential_id), "public": public},
            at=now,
        )
        issued += 1
    return issued


def revoke_for_cycle(actor, cycle, *, reason: str, now=None) -> int:
    """The cycle's results are withdrawn: every standing credential of it is
    revoked, with the reason, in the same transaction. Returns how many."""
    now = now or timezone.now()
    standing = AwardCredential.objects.select_for_update().filter(nomination__cycle=cycle, revoked_at__isnull=True)
    revoked = 0
    for credential in standing.select_related("nomination"):
        credential.revoked_at = now
        credential.revocation_reason = reason
        credential.save(update_fields=["revoked_at", "revocation_reason"])
        audit.record(
            actor=actor,
            action="award_credential.revoked",
            obj=credential.nomination,
            after={"credential": str(credential.uuid)},
            reason=reason,
            at=now,
        )
        revoked += 1
    return revoked


# Who sees what -----------------------------------------------------------------------------


def audience(user, nomination) -> str:
    """Who the viewer is to the credential's nomination, for awards.disclosure."""
    if user.is_authenticated and user.has_perm("awards.manage"):
        return Audience.ADMIN
    if user.is_authenticated and user.has_perm("awards.view_nomination", nomination):
        return Audience.ENTRANT
    return Audience.PUBLIC


def shows(user, credential, now=None) -> bool:
    """May this person see the credential (the award and who holds it) now?
    The public only where it was issued publicly and the results are public."""
    nomination = credential.nomination
    phase = phase_for(nomination, now)
    who = audience(user, nomination)
    consented = credential.public and bool(nomination.consent_to_publish)
    return allows(who, Fact.AWARD, phase) and allows(who, Fact.IDENTITY, phase, consented=consented)


def is_public(credential, now=None) -> bool:
    """Whether the credential has a public page now."""
    nomination = credential.nomination
    phase = phase_for(nomination, now)
    consented = credential.public and bool(nomination.consent_to_publish)
    return allows(Audience.PUBLIC, Fact.AWARD, phase) and allows(
        Audience.PUBLIC, Fact.IDENTITY, phase, consented=consented
    )


class Status:
    VALID = "valid"
    REVOKED = "revoked"
    INVALID = "invalid"


STATUS_LABELS = {
    Status.VALID: ("Valid", "govuk-tag--green"),
    Status.REVOKED: ("Revoked", "govuk-tag--red"),
    Status.INVALID: ("Not valid", "govuk-tag--red"),
}


def status(credential) -> tuple[str, str]:
    """(one of Status, explanation) for anyone who may see the credential."""
    if not signing.verify_signature(credential.document):
        return Status.INVALID, "The credential's signature does not match: it may have been altered."
    if credential.revoked_at:
        return (
            Status.REVOKED,
            f"Revoked on {timezone.localdate(credential.revoked_at):%-d %B %Y}: the results it recorded were "
            "withdrawn to be corrected.",
        )
    return Status.VALID, "Valid: issued by the Skills Academy and not revoked."


def linkedin_url(credential) -> str:
    """The entrant's "Add to LinkedIn" link: only for a credential with a public page."""
    nomination = credential.nomination
    return signing.linkedin_url(
        name=title(nomination, credential.award),
        issued_at=credential.issued_at,
        cert_url=public_url(credential.uuid),
        cert_id=str(credential.uuid),
    )


def certificate_pdf(credential) -> bytes:
    """The certificate, as a PDF made with WeasyPrint."""
    from weasyprint import HTML

    nomination = credential.nomination
    html = render_to_string(
        "judging/award_certificate_pdf.html",
        {
            "credential": credential,
            "nomination": nomination,
            "award": award_label(credential.award),
            "citation": credential.document["credentialSubject"]["achievement"]["description"],
            "public_url": public_url(credential.uuid) if credential.public else "",
            "service_name": settings.SERVICE_NAME,
        },
    )
    return HTML(string=html, base_url=settings.SITE_URL).write_pdf()
