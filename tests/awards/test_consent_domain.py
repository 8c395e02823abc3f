"""Recording and withdrawing the consent of a person who uses the service
(awards.domain.consent): how it was given, to which uses, audited, emailed."""

import pytest
import time_machine
from django.core.exceptions import PermissionDenied

from accounts.models import AuditEvent
from awards import domain
from awards.models import Consent, Nomination
from core.errors import DomainError
from notifications.models import OutboundEmail

from .consent_world import draft_with_image, make_winner

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(provider):
    return draft_with_image(provider)[0]


def test_best_interests_decision_names_who_was_consulted_and_who_decided(provider, draft):
    consent = domain.record_consent(
        provider,
        draft,
        subject="statement",
        basis="best_interests",
        uses={"judges", "publication"},
        consulted=" Her daughter  and her advocate ",
        decided_by="Ana Lee, registered manager",
        supporter="ignored: not asked for this basis",
    )
    consent.refresh_from_db()
    assert (consent.basis, consent.consulted, consent.decided_by, consent.supporter) == (
        "best_interests",
        "Her daughter and her advocate",
        "Ana Lee, registered manager",
        "",
    )
    assert consent.uses == {"judges", "publication"}
    event = AuditEvent.objects.get(action="consent.recorded")
    assert event.after == {
        "subject": "statement",
        "basis": "best_interests",
        "consulted": "Her daughter and her advocate",
        "decided_by": "Ana Lee, registered manager",
        "uses": ["judges", "publication"],
    }


@pytest.mark.parametrize(
    ("basis", "names", "message"),
    [
        ("supported", {}, "Enter the name of the person who supported them"),
        ("attorney", {"supporter": "Sam"}, "Enter the name of the attorney"),
        ("best_interests", {"decided_by": "Ana"}, "Enter who was consulted"),
        ("best_interests", {"consulted": "Her son"}, "Enter who made the best-interests decision"),
        ("guessed", {}, "Choose how consent was given"),
    ],
)
def test_each_way_of_giving_consent_must_name_who_was_involved(provider, draft, basis, names, message):
    with pytest.raises(DomainError, match=message):
        domain.record_consent(provider, draft, subject="images", basis=basis, uses={"judges"}, **names)
    assert Consent.objects.count() == 0
    assert AuditEvent.objects.filter(action="consent.recorded").count() == 0


def test_judges_use_is_needed_and_unknown_uses_are_refused(provider, draft):
    with pytest.raises(DomainError, match="judges may read or see it"):
        domain.record_consent(provider, draft, subject="statement", basis="person", uses={"media"})
    with pytest.raises(DomainError, match="only the uses listed"):
        domain.record_consent(provider, draft, subject="statement", basis="person", uses={"judges", "billboards"})
    assert Consent.objects.count() == 0


def test_only_members_record_and_only_while_a_draft(provider, other_provider, draft):
    with pytest.raises(PermissionDenied):
        domain.record_consent(other_provider, draft, subject="statement", basis="person", uses={"judges"})
    Nomination.objects.filter(pk=draft.pk).update(state="submitted")
    with pytest.raises(PermissionDenied):
        domain.record_consent(provider, draft, subject="statement", basis="person", uses={"judges"})
    assert Consent.objects.count() == 0


def test_recording_again_replaces_the_record_and_gives_a_withdrawn_consent_again(provider, draft):
    domain.record_consent(provider, draft, subject="images", basis="attorney", attorney="Kit Ray", uses={"judges"})
    domain.withdraw_consent(provider, draft, subject="images", reason="Changed her mind")
    assert domain.uses_for(draft, "images") == frozenset()
    consent = domain.record_consent(provider, draft, subject="images", basis="person", uses={"judges", "media"})
    assert (Consent.objects.count(), consent.attorney, consent.withdrawn_at, consent.uses) == (
        1,
        "",
        None,
        {"judges", "media"},
    )


def test_withdrawal_before_the_announcement_is_at_once_audited_and_emailed(
    provider, awards_admin, draft, run_on_commit
):
    domain.record_consent(provider, draft, subject="statement", basis="person", uses={"judges", "publication"})
    make_winner(draft, announced=False)
    with run_on_commit():
        consent = domain.withdraw_consent(provider, draft, subject="statement", reason="  She asked us to  ")
    assert (consent.withdrawn_after_announcement, consent.withdrawal_reason, consent.uses) == (
        False,
        "She asked us to",
        frozenset(),
    )
    draft.refresh_from_db()
    assert draft.user_statement_consent is False
    event = AuditEvent.objects.get(action="consent.withdrawn")
    assert (event.actor, event.reason, event.after) == (
        provider,
        "She asked us to",
        {"subject": "statement", "after_announcement": False},
    )
    email = OutboundEmail.objects.get(template="consent_withdrawn")
    assert email.to == awards_admin.email
    assert email.subject == f"Consent withdrawn: {draft.reference}"
    assert "It is no longer shown to anyone" in email.text_body
    with pytest.raises(DomainError, match="already been withdrawn"):
        domain.withdraw_consent(provider, draft, subject="statement")


def test_withdrawal_after_the_announcement_is_a_request_and_the_email_says_so(provider, awards_admin, draft):
    domain.record_consent(provider, draft, subject="images", basis="person", uses={"judges", "publication", "media"})
    make_winner(draft)
    consent = domain.withdraw_consent(provider, draft, subject="images")
    assert consent.withdrawn_after_announcement is True
    email = OutboundEmail.objects.get(template="consent_withdrawn")
    assert email.subject == f"Consent withdrawn after the announcement: {draft.reference}"
    assert "this is a withdrawal request" in email.text_body


def test_a_nomination_from_the_old_form_follows_its_answers_and_can_withdraw_them(provider, draft):
    """No record: the old yes/no answers, as migration 0006 maps them."""
    assert domain.uses_for(draft, "statement") == {"judges"}
    assert domain.uses_for(draft, "images") == {"judges", "publication", "media"}
    Nomination.objects.filter(pk=draft.pk).update(consent_to_publish=False)
    draft.refresh_from_db()
    assert domain.uses_for(draft, "images") == {"judges"}
    with time_machine.travel("2031-01-01 12:00Z"):
        consent = domain.withdraw_consent(provider, draft, subject="images")
    assert (consent.basis, consent.for_judges, consent.uses) == ("person", True, frozenset())
    assert domain.uses_for(draft, "images") == frozenset()


def test_nothing_to_withdraw_and_strangers_are_refused(provider, other_provider, draft):
    Nomination.objects.filter(pk=draft.pk).update(user_statement_consent=False)
    draft.refresh_from_db()
    with pytest.raises(DomainError, match="no consent to withdraw"):
        domain.withdraw_consent(provider, draft, subject="statement")
    with pytest.raises(PermissionDenied):
        domain.withdraw_consent(other_provider, draft, subject="images")
    assert AuditEvent.objects.filter(action="consent.withdrawn").count() == 0
