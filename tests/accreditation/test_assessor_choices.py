"""Applications are assigned only to academy staff who can sign in today."""

import pytest

from accounts.enums import SiteRole
from accounts.models import RoleGrant
from accreditation.forms import AssignForm

from ..factories import make_user

pytestmark = pytest.mark.django_db


def test_only_active_current_academy_staff_are_offered():
    current = make_user(email="current@academy.example", roles=[SiteRole.ACADEMY_STAFF])
    inactive = make_user(email="inactive@academy.example", roles=[SiteRole.ACADEMY_STAFF])
    inactive.is_active = False
    inactive.save()
    revoked = make_user(email="revoked@academy.example", roles=[SiteRole.ACADEMY_STAFF])
    RoleGrant.objects.filter(user=revoked).update(revoked_at="2026-01-01T00:00Z")
    make_user(email="judge@panel.example", roles=[SiteRole.JUDGE])
    assert list(AssignForm().fields["assessor"].queryset) == [current]
