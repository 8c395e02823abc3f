"""Demo people and organisations for a local run (`manage.py seed_demo`).

Everything is created idempotently: running the command again changes nothing.
"""

import base64
import hashlib

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.utils import decrypt, encrypt
from django.utils import timezone

from .enums import MembershipRole, OrganisationKind, Region, Sector, SiteRole
from .models import Membership, Organisation, RoleGrant, User

DEMO_PASSWORD = "demo-password-2026"

ORGANISATIONS = [
    # name, sector, region, kinds, regulator number
    ("Riverside Care Homes Ltd", Sector.PRIVATE, Region.NORTH_WEST, [OrganisationKind.CARE_PROVIDER], "1-101010101"),
    ("Hope Street Housing Trust", Sector.VOLUNTARY, Region.YORKSHIRE, [OrganisationKind.CARE_PROVIDER], "1-202020202"),
    (
        "Meadow View Community Care Co-operative",
        Sector.COMMUNITY,
        Region.SOUTH_WEST,
        [OrganisationKind.CARE_PROVIDER],
        "1-303030303",
    ),
    (
        "Northshire County Council",
        Sector.PUBLIC,
        Region.EAST_MIDLANDS,
        [OrganisationKind.LOCAL_AUTHORITY, OrganisationKind.CARE_PROVIDER],
        "",
    ),
    ("Eastborough Council", Sector.PUBLIC, Region.EAST_OF_ENGLAND, [OrganisationKind.LOCAL_AUTHORITY], ""),
    ("Leadership Learning Partnership", Sector.PRIVATE, Region.LONDON, [OrganisationKind.COURSE_PROVIDER], ""),
    ("University of the Pennines", Sector.PUBLIC, Region.NORTH_EAST, [OrganisationKind.COURSE_PROVIDER], ""),
    ("National Skills Academy for Social Care", Sector.VOLUNTARY, Region.LONDON, [OrganisationKind.ACADEMY], ""),
]

ACADEMY = "National Skills Academy for Social Care"

# email, full name, site roles, organisation, organisation role, Django staff
PEOPLE = [
    ("admin@demo.test", "Sam Okafor", [SiteRole.AWARDS_ADMIN], None, None, True),
    ("awards@demo.test", "Priya Shah", [SiteRole.AWARDS_ADMIN], None, None, False),
    ("academy@demo.test", "Gareth Evans", [SiteRole.ACADEMY_STAFF], ACADEMY, "admin", False),
    ("judge@demo.test", "Maya Thompson", [SiteRole.JUDGE], None, None, False),
    ("chair@demo.test", "Dr Ruth Adeyemi", [SiteRole.JUDGE], None, None, False),
    ("media@demo.test", "Tom Hughes", [SiteRole.MEDIA_PARTNER], None, None, False),
    ("provider@demo.test", "Joanne Clarke", [], "Riverside Care Homes Ltd", "admin", False),
    ("provider2@demo.test", "Aled Morgan", [], "Meadow View Community Care Co-operative", "admin", False),
    ("courses@demo.test", "Helen Park", [], "Leadership Learning Partnership", "admin", False),
    ("leader@demo.test", "Chris Walker", [], "Northshire County Council", "member", False),
]


def demo_totp_secret(email: str) -> str:
    """A stable secret per demo account, so re-seeding keeps the app working."""
    return base64.b32encode(hashlib.sha256(f"demo-totp:{email}".encode()).digest()[:20]).decode()


def seed_people() -> list[dict]:
    organisations = {}
    for name, sector, region, kinds, number in ORGANISATIONS:
        organisation, created = Organisation.objects.get_or_create(
            name=name, defaults={"sector": sector, "region": region, "regulator_number": number}
        )
        if created:
            organisation.kinds = kinds
            organisation.save()
        organisations[name] = organisation

    rows = []
    now = timezone.now()
    for email, full_name, roles, organisation_name, org_role, is_staff in PEOPLE:
        user = User.objects.filter(email=email).first()
        if user is None:
            user = User.objects.create_user(
                email, DEMO_PASSWORD, full_name=full_name, is_staff=is_staff, is_superuser=is_staff
            )
        EmailAddress.objects.update_or_create(user=user, email=email, defaults={"verified": True, "primary": True})
        for role in roles:
            if not RoleGrant.objects.filter(user=user, role=role, revoked_at__isnull=True).exists():
                RoleGrant.objects.create(user=user, role=role, granted_at=now)
        if organisation_name:
            Membership.objects.get_or_create(
                user=user,
                organisation=organisations[organisation_name],
                defaults={"role": MembershipRole(org_role)},
            )
        secret = ""
        if user.needs_mfa:
            authenticator = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).first()
            if authenticator is None:
                authenticator = Authenticator.objects.create(
                    user=user,
                    type=Authenticator.Type.TOTP,
                    data={"secret": encrypt(demo_totp_secret(email))},
                )
            secret = decrypt(authenticator.data["secret"])
        rows.append({"email": email, "roles": ", ".join(SiteRole(r).label for r in roles), "totp": secret})
    return rows
