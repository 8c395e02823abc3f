"""Who holds a role: questions several apps ask of accounts."""

from .enums import MembershipRole
from .models import Membership, User


def holders_of(site_role):
    """Active people who hold `site_role` now (a grant not revoked)."""
    return User.objects.filter(
        role_grants__role=site_role, role_grants__revoked_at__isnull=True, is_active=True
    ).distinct()


def admins_by_organisation(organisation_ids) -> dict[int, list[User]]:
    """The active administrators of each of these organisations."""
    admins = {}
    for membership in Membership.objects.filter(
        organisation__in=organisation_ids, role=MembershipRole.ADMIN, user__is_active=True
    ).select_related("user"):
        admins.setdefault(membership.organisation_id, []).append(membership.user)
    return admins
