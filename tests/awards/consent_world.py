"""A nomination whose results are approved, for the consent tests: a winner
with a statement, a published image, and consent recorded while it was a draft."""

from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from awards import domain
from awards.models import Cycle, EvidenceFile, Nomination
from judging.enums import Award
from judging.models import FinalResult

from ..factories import PNG_BYTES, make_category, make_cycle, make_nomination

STATEMENT = "Quillwort: they helped me paint again."
CAPTION = "Residents by the Samphire pond"


def draft_with_image(provider, category=None):
    """A complete draft of `provider`'s organisation with one image chosen for publication."""
    organisation = provider.memberships.get().organisation
    category = category or make_category(make_cycle())
    nomination = make_nomination(category, organisation, provider)
    Nomination.objects.filter(pk=nomination.pk).update(user_statement=STATEMENT, user_statement_by="Mo, a resident")
    nomination.refresh_from_db()
    image = domain.add_evidence(provider, nomination, SimpleUploadedFile("garden.png", PNG_BYTES), "Private note")
    domain.set_image_publication(provider, image, publish=True, caption=CAPTION, people_consent=True)
    return nomination, EvidenceFile.objects.get(pk=image.pk)


def make_winner(nomination, *, announced=True):
    """Turns the draft into the cycle's winner, results approved; announced
    an hour ago, or to be announced in a day (under embargo)."""
    now = timezone.now()
    Nomination.objects.filter(pk=nomination.pk).update(
        state="winner", reference=f"SCA-{nomination.pk:05d}", submitted_at=now - timedelta(days=60)
    )
    Cycle.objects.filter(pk=nomination.cycle_id).update(
        results_approved_at=now - timedelta(days=1),
        winners_announced=now - timedelta(hours=1) if announced else now + timedelta(days=1),
    )
    FinalResult.objects.create(nomination=nomination, award=Award.WINNER, final_score=80, citation="A lovely home.")
    nomination.refresh_from_db()
    return nomination
