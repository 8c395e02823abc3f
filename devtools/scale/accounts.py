"""Scale data: care providers, course providers and local authorities with their
contacts, and the staff who use the administrators' pages."""

from dataclasses import dataclass

from accounts.enums import Region, Sector, SiteRole
from accounts.models import Organisation, RoleGrant, User

from .base import _bulk, _organisation_admins


@dataclass
class People:
    providers: list[Organisation]
    course_providers: list[Organisation]
    authorities: list[Organisation]
    contacts: list[User]
    admin: User
    staff: User


def seed_people(sizes, rng, progress, now, password) -> People:
    # Organisations and their contacts.
    provider_count = max(50, sizes.nominations // 4)
    sectors = [Sector.PRIVATE] * 6 + [Sector.VOLUNTARY] * 2 + [Sector.PUBLIC] + [Sector.COMMUNITY]
    providers = _bulk(
        Organisation,
        (
            Organisation(
                name=f"Scale Care {n:05d}",
                sector=rng.choice(sectors),
                region=rng.choice(Region.values),
                is_care_provider=True,
            )
            for n in range(provider_count)
        ),
        progress,
        "care providers",
    )
    course_providers = _bulk(
        Organisation,
        (
            Organisation(
                name=f"Scale Learning {n:04d}",
                sector=rng.choice(sectors),
                region=rng.choice(Region.values),
                is_course_provider=True,
            )
            for n in range(max(20, sizes.courses // 50))
        ),
        progress,
        "course providers",
    )
    authorities = _bulk(
        Organisation,
        (
            Organisation(
                name=f"Scale Council {n:03d}",
                sector=Sector.PUBLIC,
                region=rng.choice(Region.values),
                is_local_authority=True,
            )
            for n in range(150)
        ),
        progress,
        "local authorities",
    )
    contacts = _organisation_admins(providers, "contact", "Contact", password, progress, "provider contacts")
    _organisation_admins(course_providers, "courses", "Course Admin", password, progress, "course provider admins")

    # Staff who use the administrators' pages, with two-factor authentication set up.
    admin = User.objects.create(email="admin@scale.example", full_name="Scale Admin", password=password)
    staff = User.objects.create(email="staff@scale.example", full_name="Scale Staff", password=password)
    RoleGrant.objects.create(user=admin, role=SiteRole.AWARDS_ADMIN, granted_at=now)
    RoleGrant.objects.create(user=staff, role=SiteRole.ACADEMY_STAFF, granted_at=now)
    return People(providers, course_providers, authorities, contacts, admin, staff)
