"""Who manages webhook endpoints (django-rules predicates).

An organisation's endpoints are managed by its admins; a staff team's by the
people holding that team's role. Whoever manages an endpoint reads its
deliveries, replays them and disables it."""

import rules

from accounts.enums import MembershipRole
from accounts.rules import is_academy_staff, is_awards_admin, is_org_admin

from .enums import Team

TEAM_ROLES = {Team.AWARDS: is_awards_admin, Team.ACADEMY: is_academy_staff}


@rules.predicate
def manages_team(user, team) -> bool:
    return team in TEAM_ROLES and TEAM_ROLES[team](user)


@rules.predicate
def manages_endpoint(user, endpoint) -> bool:
    if endpoint.organisation_id is not None:
        return is_org_admin(user, endpoint.organisation)
    return manages_team(user, endpoint.team)


@rules.predicate
def manages_any_endpoints(user) -> bool:
    """Someone who may register an endpoint for at least one owner."""
    if not user.is_authenticated:
        return False
    return (
        is_awards_admin(user) or is_academy_staff(user) or user.memberships.filter(role=MembershipRole.ADMIN).exists()
    )


rules.add_perm("webhooks.view_endpoints", manages_any_endpoints)
rules.add_perm("webhooks.manage_organisation_endpoints", is_org_admin)
rules.add_perm("webhooks.manage_team_endpoints", manages_team)
rules.add_perm("webhooks.manage_endpoint", manages_endpoint)
