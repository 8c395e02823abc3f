"""The leaders world: a course provider's accredited social-care course, a course not
designed for social care, an unaccredited course and a county council; its parts as named fixtures."""

from datetime import date

import pytest

from accounts.enums import OrganisationKind

from ..factories import OrganisationFactory, make_course, make_course_provider
from .helpers import accredit_course


@pytest.fixture
def world(academy_staff):
    provider_user, provider = make_course_provider()
    social = make_course(provider, "Directors' leadership programme")
    not_social = make_course(provider, "General management diploma", designed_for_social_care=False)
    unaccredited = make_course(provider, "Unaccredited programme")
    accredit_course(social, date(2020, 1, 1), date(2022, 12, 31), academy_staff)
    accredit_course(not_social, date(2020, 1, 1), date(2030, 12, 31), academy_staff)
    council = OrganisationFactory(name="Northshire County Council", sector="public", region="east_midlands")
    council.kinds = [OrganisationKind.LOCAL_AUTHORITY]
    council.save()
    return {
        "staff": academy_staff,
        "provider_user": provider_user,
        "social": social,
        "not_social": not_social,
        "unaccredited": unaccredited,
        "council": council,
    }


@pytest.fixture
def council(world):
    return world["council"]


@pytest.fixture
def not_social(world):
    return world["not_social"]


@pytest.fixture
def provider_user(world):
    return world["provider_user"]


@pytest.fixture
def social(world):
    return world["social"]


@pytest.fixture
def staff(world):
    return world["staff"]


@pytest.fixture
def unaccredited(world):
    return world["unaccredited"]
