"""Permission predicates (django-rules). Views and domain functions ask these."""

import rules

from .enums import MembershipRole, SiteRole


def has_site_role(role):
    @rules.predicate(name=f"has_role_{role}")
    def predicate(user):
        return user.is_authenticated and user.has_site_role(role)

    return predicate


is_awards_admin = has_site_role(SiteRole.AWARDS_ADMIN)
is_academy_staff = has_site_role(SiteRole.ACADEMY_STAFF)
is_judge = has_site_role(SiteRole.JUDGE)
is_media_partner = has_site_role(SiteRole.MEDIA_PARTNER)


@rules.predicate
def is_site_staff(user):
    return user.is_authenticated and user.is_active and user.is_staff


@rules.predicate
def is_org_member(user, organisation):
    return user.is_authenticated and organisation is not None and organisation.memberships.filter(user=user).exists()


@rules.predicate
def is_org_admin(user, organisation):
    return (
        user.is_authenticated
        and organisation is not None
        and organisation.memberships.filter(user=user, role=MembershipRole.ADMIN).exists()
    )


@rules.predicate
def made_join_request(user, join_request):
    return user.is_authenticated and join_request.user_id == user.pk


rules.add_perm("accounts.view_organisation", is_org_member | is_site_staff)
rules.add_perm("accounts.manage_organisation", is_org_admin)
rules.add_perm("accounts.grant_roles", is_site_staff)
rules.add_perm("accounts.withdraw_join_request", made_join_request)
rules.add_perm("accounts.view_audit", is_site_staff | is_awards_admin | is_academy_staff)


@rules.predicate
def could_be_provider(user):
    """Whom the account page offers to create an organisation: people who may
    work for a care or course provider. Someone here only as a judge or as
    staff (a site role and no organisation) is not offered it."""
    if not user.is_authenticated:
        return False
    return bool(user.organisation_kinds) or not (user.site_roles or user.is_staff)
