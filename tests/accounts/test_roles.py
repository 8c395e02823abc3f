"""Site-wide roles: granted by staff on a small page and in Django admin, always recorded."""

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.enums import SiteRole
from accounts.models import AuditEvent, RoleGrant

from ..conftest import count_queries, sign_in
from ..factories import make_user

pytestmark = pytest.mark.django_db


def test_staff_grants_a_role_and_it_is_recorded(client, site_staff):
    person = make_user(email="new.judge@example.org")
    client.force_login(site_staff)
    response = client.post(reverse("accounts:role_list"), {"email": "New.Judge@example.org", "role": SiteRole.JUDGE})
    assert response.status_code == 302
    grant = RoleGrant.objects.get(user=person)
    assert (grant.role, grant.granted_by, grant.revoked_at) == (SiteRole.JUDGE, site_staff, None)
    event = AuditEvent.objects.get(action="role.granted")
    assert event.actor == site_staff
    assert event.after == {"user": "new.judge@example.org", "role": "judge"}


def test_granting_to_unknown_email_or_twice_gives_clear_errors(client, site_staff):
    person = make_user(email="judge@example.org", roles=[SiteRole.JUDGE])
    client.force_login(site_staff)
    unknown = client.post(reverse("accounts:role_list"), {"email": "nobody@example.org", "role": SiteRole.JUDGE})
    assert "No one has signed up with that email address" in unknown.content.decode()
    twice = client.post(reverse("accounts:role_list"), {"email": person.email, "role": SiteRole.JUDGE})
    assert "already has the role Judge" in twice.content.decode()
    assert RoleGrant.objects.filter(user=person).count() == 1


def test_revoking_keeps_the_history(client, site_staff):
    person = make_user(email="judge@example.org", roles=[SiteRole.JUDGE])
    grant = RoleGrant.objects.get(user=person)
    client.force_login(site_staff)
    client.post(reverse("accounts:role_revoke", args=[grant.pk]))
    grant.refresh_from_db()
    assert grant.revoked_by == site_staff
    assert grant.revoked_at is not None
    assert person.__class__.objects.get(pk=person.pk).site_roles == frozenset()
    assert AuditEvent.objects.filter(action="role.revoked", object_id=str(grant.pk)).count() == 1


@pytest.mark.parametrize("who", ["provider", "judge", "awards_admin", "outsider"])
def test_non_staff_cannot_grant_roles(client, who, request):
    user = request.getfixturevalue(who)
    target = make_user(email="target@example.org")
    client.force_login(user)
    assert client.get(reverse("accounts:role_list")).status_code == 403
    response = client.post(reverse("accounts:role_list"), {"email": target.email, "role": SiteRole.AWARDS_ADMIN})
    assert response.status_code == 403
    assert not RoleGrant.objects.filter(user=target).exists()


def test_anonymous_is_sent_to_login(client):
    response = client.get(reverse("accounts:role_list"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_django_admin_grant_goes_through_the_domain(client):
    superuser = make_user(email="super@example.org", is_staff=True, is_superuser=True)
    person = make_user(email="media@example.org")
    client.force_login(superuser)
    response = client.post(reverse("admin:accounts_rolegrant_add"), {"user": person.pk, "role": SiteRole.MEDIA_PARTNER})
    assert response.status_code == 302
    grant = RoleGrant.objects.get(user=person)
    assert grant.granted_by == superuser
    assert AuditEvent.objects.get(action="role.granted").actor == superuser


def test_audit_events_cannot_be_changed_or_deleted(site_staff):
    from django.core.exceptions import PermissionDenied

    person = make_user(email="judge@example.org")
    from accounts import domain

    domain.grant_role(site_staff, person, SiteRole.JUDGE)
    event = AuditEvent.objects.get()
    event.action = "tampered"
    with pytest.raises(PermissionDenied):
        event.save()
    with pytest.raises(PermissionDenied):
        event.delete()
    assert AuditEvent.objects.get().action == "role.granted"


def test_role_list_query_count_does_not_grow(client, site_staff):
    client.force_login(site_staff)
    make_user(email="p0@example.org", roles=[SiteRole.JUDGE])
    one = count_queries(lambda: client.get(reverse("accounts:role_list")))
    for n in range(1, 20):
        make_user(email=f"p{n}@example.org", roles=[SiteRole.JUDGE])
    many = count_queries(lambda: client.get(reverse("accounts:role_list")))
    assert len(client.get(reverse("accounts:role_list")).context["page"]) == 20
    assert one == many


def test_audit_log_filters_and_query_count(client, site_staff):
    from accounts import domain

    client.force_login(site_staff)
    domain.grant_role(site_staff, make_user(email="a0@example.org"), SiteRole.JUDGE)
    one = count_queries(lambda: client.get(reverse("accounts:audit_log")))
    for n in range(1, 20):
        domain.grant_role(site_staff, make_user(email=f"a{n}@example.org"), SiteRole.JUDGE)
    many = count_queries(lambda: client.get(reverse("accounts:audit_log")))
    assert one == many
    filtered = client.get(reverse("accounts:audit_log"), {"action": "role.", "actor": "staff@"})
    assert filtered.context["page"].paginator.count == 20
    none = client.get(reverse("accounts:audit_log"), {"action": "nomination."})
    assert none.context["page"].paginator.count == 0


def test_each_administrator_reads_only_their_own_service_in_the_audit_log(client, awards_admin, academy_staff):
    for object_type in ["awards.nomination", "judging.assignment", "accreditation.application", "accounts.rolegrant"]:
        AuditEvent.objects.create(at=timezone.now(), action="x", object_type=object_type, object_id="1")
    staff = make_user(email="root@example.org", is_staff=True)

    def shown(user):
        client.logout()
        sign_in(client, user)
        rows = client.get(reverse("accounts:audit_log")).context["page"].object_list
        return sorted(event.object_type for event in rows)

    assert shown(awards_admin) == ["accounts.rolegrant", "awards.nomination", "judging.assignment"]
    assert shown(academy_staff) == ["accounts.rolegrant", "accreditation.application"]
    assert shown(staff) == [
        "accounts.rolegrant",
        "accreditation.application",
        "awards.nomination",
        "judging.assignment",
    ]
