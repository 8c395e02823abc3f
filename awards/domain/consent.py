"""Consent that respects capacity: how a person who uses the service agreed
to the use of their statement, or of images of them, and to which uses.

- How consent was given (awards.models.ConsentBasis): by the person; by the
  person with support (naming who supported them); by an attorney under a
  Lasting Power of Attorney for health and welfare (naming the attorney); or
  through a best-interests decision under the Mental Capacity Act 2005
  (naming who was consulted and who decided).
- To which uses, each separate (awards.models.ConsentUse): judges, publication
  with the results, the media. Judges is always among them: without it the
  statement or images cannot be part of the nomination.
- Recorded by the entrant while the nomination is a draft; withdrawn by the
  entrant at any time. A withdrawal takes every use away at once: the
  winners page, the press pack and the judges' pages ask awards.disclosure
  with `uses_for`, so none shows it again. Made after the announcement, it
  is recorded as a request: what was published cannot be called back, but
  it is not used again. Either way the awards administrators are emailed.
"""

from django.db import transaction
from django.utils import timezone

from accounts import audit
from accounts.enums import SiteRole
from accounts.queries import holders_of
from core.caching import RESULTS_DATA, data_changed
from core.errors import DomainError
from core.permissions import require
from notifications.mail import queue_email

from ..models import Consent, ConsentBasis, ConsentSubject, ConsentUse, Nomination
from ._common import _locked

# What each way of giving consent must name, with the message when it does not.
REQUIRED_NAMES = {
    ConsentBasis.SUPPORTED: [("supporter", "Enter the name of the person who supported them")],
    ConsentBasis.ATTORNEY: [("attorney", "Enter the name of the attorney")],
    ConsentBasis.BEST_INTERESTS: [
        ("consulted", "Enter who was consulted about the best-interests decision"),
        ("decided_by", "Enter who made the best-interests decision"),
    ],
}
NAME_FIELDS = ("supporter", "attorney", "consulted", "decided_by")


def legacy_uses(nomination: Nomination, subject: str) -> frozenset[str]:
    """The uses of a nomination without a consent record for `subject`: its
    old yes/no answers, read as migration 0006 maps them (given by the
    person). The statement: judges, if the person agreed to its use. Images:
    judges, and publication and the media where the entrant consented to
    publication (each image still needs its people's agreement)."""
    if subject == ConsentSubject.STATEMENT:
        return frozenset({ConsentUse.JUDGES}) if nomination.user_statement_consent else frozenset()
    if nomination.consent_to_publish:
        return frozenset(ConsentUse.values)
    return frozenset({ConsentUse.JUDGES})


def uses_by_nomination(nominations, subject: str) -> dict[int, frozenset[str]]:
    """The uses standing now for `subject` of each nomination, in one query."""
    nominations = list(nominations)
    records = {
        consent.nomination_id: consent
        for consent in Consent.objects.filter(nomination__in=[n.pk for n in nominations], subject=subject)
    }
    return {n.pk: records[n.pk].uses if n.pk in records else legacy_uses(n, subject) for n in nominations}


def uses_for(nomination: Nomination, subject: str) -> frozenset[str]:
    """The uses standing now for `subject` of this nomination."""
    return uses_by_nomination([nomination], subject)[nomination.pk]


def _clean_names(basis: str, names: dict) -> dict:
    """Only the names this way of giving consent asks for; each required."""
    cleaned = dict.fromkeys(NAME_FIELDS, "")
    for field, message in REQUIRED_NAMES.get(basis, []):
        value = " ".join(str(names.get(field, "")).split())
        if not value:
            raise DomainError(message)
        cleaned[field] = value
    return cleaned


@transaction.atomic
def record_consent(user, nomination, *, subject, basis, uses, now=None, **names) -> Consent:
    """Records how consent was given for `subject` and to which uses,
    replacing an earlier record while the nomination is a draft (a withdrawn
    consent is given again this way). Refused unless the entrant may still
    change the nomination; nothing is written when a name is missing."""
    now = now or timezone.now()
    nomination = _locked(nomination)
    require(user, "awards.record_consent", nomination)
    if not nomination.is_draft:
        raise DomainError("This nomination has been submitted: consent can now only be withdrawn")
    if subject not in ConsentSubject.values:
        raise DomainError("Choose whether this is consent for the statement or for images")
    if basis not in ConsentBasis.values:
        raise DomainError("Choose how consent was given")
    uses = frozenset(uses)
    if not uses <= set(ConsentUse.values):
        raise DomainError("Choose only the uses listed")
    if ConsentUse.JUDGES not in uses:
        raise DomainError("Tick that the judges may read or see it: without that it cannot be part of the nomination")
    cleaned = _clean_names(basis, names)
    before = Consent.objects.filter(nomination=nomination, subject=subject).first()
    consent, _ = Consent.objects.update_or_create(
        nomination=nomination,
        subject=subject,
        defaults={
            "basis": basis,
            **cleaned,
            "for_judges": True,
            "for_publication": ConsentUse.PUBLICATION in uses,
            "for_media": ConsentUse.MEDIA in uses,
            "recorded_by": user,
            "recorded_at": now,
            "withdrawn_at": None,
            "withdrawn_by": None,
            "withdrawal_reason": "",
            "withdrawn_after_announcement": False,
        },
    )
    if subject == ConsentSubject.STATEMENT and not nomination.user_statement_consent:
        nomination.user_statement_consent = True
        nomination.save(update_fields=["user_statement_consent", "updated_at"])
    audit.record(
        actor=user,
        action="consent.recorded",
        obj=nomination,
        before=_summary(before) if before else {},
        after=_summary(consent),
        at=now,
    )
    data_changed(RESULTS_DATA)
    return consent


@transaction.atomic
def withdraw_consent(user, nomination, *, subject, reason="", now=None) -> Consent:
    """Withdraws the consent for `subject` of this nomination: every use goes
    at once. After the announcement it is a withdrawal request, acted on for
    every future use. The awards administrators are emailed either way."""
    now = now or timezone.now()
    nomination = _locked(nomination)
    require(user, "awards.withdraw_consent", nomination)
    consent = Consent.objects.select_for_update().filter(nomination=nomination, subject=subject).first()
    if consent is None:
        if not legacy_uses(nomination, subject):
            raise DomainError("There is no consent to withdraw")
        consent = Consent(nomination=nomination, subject=subject, basis=ConsentBasis.PERSON, recorded_at=now)
        consent.for_judges = True
        consent.for_publication = consent.for_media = ConsentUse.MEDIA in legacy_uses(nomination, subject)
    elif consent.is_withdrawn:
        raise DomainError("This consent has already been withdrawn")
    before = _summary(consent) if consent.pk else {"uses": sorted(legacy_uses(nomination, subject))}
    consent.withdrawn_at = now
    consent.withdrawn_by = user
    consent.withdrawal_reason = reason.strip()
    consent.withdrawn_after_announcement = nomination.cycle.results_public(now)
    consent.save()
    if subject == ConsentSubject.STATEMENT and nomination.user_statement_consent:
        nomination.user_statement_consent = False
        nomination.save(update_fields=["user_statement_consent", "updated_at"])
    audit.record(
        actor=user,
        action="consent.withdrawn",
        obj=nomination,
        before=before,
        after={"subject": subject, "after_announcement": consent.withdrawn_after_announcement},
        reason=consent.withdrawal_reason,
        at=now,
    )
    for admin in holders_of(SiteRole.AWARDS_ADMIN).order_by("email"):
        queue_email(
            to=admin.email,
            recipient=admin,
            template="consent_withdrawn",
            context={"person": admin, "nomination": nomination, "consent": consent},
        )
    data_changed(RESULTS_DATA)
    return consent


def _summary(consent: Consent) -> dict:
    return {
        "subject": consent.subject,
        "basis": consent.basis,
        **{field: getattr(consent, field) for field in NAME_FIELDS if getattr(consent, field)},
        "uses": sorted(consent.uses),
    }
