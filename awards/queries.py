"""Which nominations each person may see, in one place."""

from django.db.models import QuerySet

from accounts.models import Membership

from .models import Nomination


def nominations_for_provider(user) -> QuerySet[Nomination]:
    """Nominations of every organisation the user belongs to (a subquery, not
    a join, so that a person in several organisations never sees a row twice)."""
    if not user.is_authenticated:
        return Nomination.objects.none()
    return Nomination.objects.filter(organisation__in=Membership.objects.filter(user=user).values("organisation_id"))


def nominations_visible_to(user) -> QuerySet[Nomination]:
    """Awards administrators see all; provider members their organisations'."""
    if user.is_authenticated and user.has_perm("awards.manage"):
        return Nomination.objects.all()
    return nominations_for_provider(user)
