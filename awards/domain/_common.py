"""What every awards workflow shares: locking a nomination, its state
transition (awards.enums.NOMINATION_TRANSITIONS) and email to its provider."""

from accounts import audit
from accounts.enums import MembershipRole
from accounts.models import User
from core.states import move
from core.uploads import MB
from notifications.mail import queue_email

from ..enums import NOMINATION_TRANSITIONS
from ..models import (
    Nomination,
)

EVIDENCE_KINDS = ("pdf", "docx", "jpeg", "png", "mp4")
MAX_EVIDENCE_FILE = 20 * MB
MAX_EVIDENCE_TOTAL = 100 * MB


def _locked(nomination) -> Nomination:
    return (
        Nomination.objects.select_for_update().select_related("cycle", "category", "organisation").get(pk=nomination.pk)
    )


def transition(nomination: Nomination, to_state: str, *, actor, reason: str = "", extra=None) -> Nomination:
    """Moves a locked nomination to a new state if the workflow allows it,
    and records who, when, from, to and why. Callers check permission."""
    from_state = move(nomination, to_state, NOMINATION_TRANSITIONS, noun="nomination")
    nomination.save()
    audit.record(
        actor=actor,
        action=f"nomination.{to_state}",
        obj=nomination,
        before={"state": from_state},
        after={"state": to_state, **(extra or {})},
        reason=reason,
    )
    return nomination


def _provider_recipients(nomination) -> list[User]:
    """The person who started the nomination and the organisation's admins."""
    people = {
        user.pk: user
        for user in User.objects.filter(
            memberships__organisation=nomination.organisation,
            memberships__role=MembershipRole.ADMIN,
            is_active=True,
        )
    }
    if nomination.created_by_id and nomination.created_by.is_active:
        people.setdefault(nomination.created_by_id, nomination.created_by)
    return sorted(people.values(), key=lambda user: user.email)


def email_provider(nomination, template, context=None):
    """Emails the nomination's starter and its organisation's admins (judging uses it too)."""
    for person in _provider_recipients(nomination):
        queue_email(
            to=person.email,
            recipient=person,
            template=template,
            context={"nomination": nomination, "person": person, **(context or {})},
        )
