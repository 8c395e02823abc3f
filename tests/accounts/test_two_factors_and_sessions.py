"""Sign-in that holds for staff and judges: two factors per session, the Django admin
behind the service's sign-in, session lengths and fresh sign-ins for sensitive changes."""

from datetime import timedelta

import pyotp
import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.enums import SiteRole
from accounts.models import RoleGrant, User

from ..factories import PASSWORD, TOTP_SECRET, make_provider, make_user

pytestmark = pytest.mark.django_db


def test_the_django_admin_signs_in_through_the_service_and_its_second_factor(client):
    admin = make_user(email="root@example.org", is_staff=True, is_superuser=True)
    # The admin's own form is gone: it sends people to the service's sign-in.
    response = client.get("/admin/login/?next=/admin/")
    assert response.status_code == 302 and response["Location"].startswith(reverse("account_login"))
    client.post("/admin/login/?next=/admin/", {"username": admin.email, "password": PASSWORD})
    assert client.get("/admin/").status_code == 302  # still not signed in

    # A session that passed only the password, however it got one, reaches nothing.
    client.force_login_password_only(admin)
    for url in ["/admin/", reverse("accounts:audit_log"), reverse("notifications:ledger"), reverse("awards:dashboard")]:
        response = client.get(url)
        assert (response.status_code, response["Location"].split("?")[0]) == (302, reverse("mfa_reauthenticate")), url
    # Entering the code opens the admin.
    client.post(reverse("mfa_reauthenticate"), {"code": pyotp.TOTP(TOTP_SECRET).now()})
    assert client.get("/admin/").status_code == 200


def test_wrong_passwords_for_the_admin_are_limited_like_every_sign_in(client):
    admin = make_user(email="root@example.org", is_staff=True, is_superuser=True)
    checked = 0
    for _ in range(40):
        response = client.post(reverse("account_login"), {"login": admin.email, "password": "wrong"})
        # Refused unchecked: the form's "too many" error (5 an account), or 429 (10 a minute an address).
        checked += response.status_code != 429 and "Too many failed login attempts" not in response.content.decode()
    assert checked == 5


def test_superuser_status_grants_no_role():
    root = make_user(email="root@example.org", is_staff=True, is_superuser=True)
    assert [perm for perm in ("awards.manage", "judging.manage", "accreditation.manage") if root.has_perm(perm)] == []
    assert root.has_perm("auth.view_user")  # the Django admin's model pages stay open
    client = Client()
    client.force_login(root)
    assert client.get(reverse("leaders:dashboard") + "?export=csv").status_code == 403
    assert client.get(reverse("awards:manage_nominations")).status_code == 403
    RoleGrant.objects.create(user=root, role=SiteRole.ACADEMY_STAFF, granted_at=timezone.now())
    assert client.get(reverse("leaders:dashboard") + "?export=csv").status_code == 200


# Sessions ---------------------------------------------------------------------------------------


def test_staff_sessions_end_after_thirty_idle_minutes_and_twelve_hours(client):
    staff = make_user(email="staff@example.org", roles=[SiteRole.AWARDS_ADMIN])
    start = timezone.now()
    with time_machine.travel(start, tick=False) as clock:
        client.force_login(staff)
        assert client.get(reverse("awards:manage_cycles")).status_code == 200
        clock.shift(timedelta(minutes=29))
        assert client.get(reverse("awards:manage_cycles")).status_code == 200
        clock.shift(timedelta(minutes=31))
        response = client.get(reverse("awards:manage_cycles"))
        assert response["Location"] == f"{reverse('account_login')}?next=%2Fawards%2Fmanage%2F"
        assert client.get(reverse("awards:manage_cycles"))["Location"].startswith(reverse("account_login"))

    with time_machine.travel(start, tick=False) as clock:
        client.force_login(staff)
        for _ in range(40):  # busy all day: a request every 20 minutes
            clock.shift(timedelta(minutes=20))
            status = client.get(reverse("awards:manage_cycles")).status_code
            if status != 200:
                break
        assert timezone.now() - start == timedelta(hours=12, minutes=20)


def test_the_page_warns_before_signing_out_and_staying_signed_in_counts(client):
    staff = make_user(email="staff@example.org", roles=[SiteRole.AWARDS_ADMIN])
    start = timezone.now()
    with time_machine.travel(start, tick=False) as clock:
        client.force_login(staff)
        page = client.get(reverse("awards:manage_cycles")).content.decode()
        assert 'data-seconds-left="1800"' in page and 'data-warning-seconds="120"' in page
        clock.shift(timedelta(minutes=29))
        # Asking how long is left is not activity...
        assert client.get(reverse("accounts:session_status")).json() == {"seconds_left": 60}
        assert client.get(reverse("accounts:session_status")).json() == {"seconds_left": 60}
        # ...pressing "Stay signed in" is.
        assert client.post(reverse("accounts:session_status")).json() == {"seconds_left": 1800}
        clock.shift(timedelta(minutes=29))
        assert client.get(reverse("awards:manage_cycles")).status_code == 200


def test_providers_keep_their_two_week_sessions(client):
    user, _ = make_provider("Riverside")
    with time_machine.travel(timezone.now(), tick=False) as clock:
        client.force_login(user)
        clock.shift(timedelta(hours=20))
        assert client.get(reverse("awards:dashboard")).status_code == 200
        assert b"session-timeout" not in client.get(reverse("awards:dashboard")).content


def test_deleting_an_account_needs_a_fresh_password_and_code(client):
    judge = make_user(email="judge@example.org", roles=[SiteRole.JUDGE])
    with time_machine.travel(timezone.now(), tick=False) as clock:
        client.force_login(judge)
        clock.shift(timedelta(minutes=6))
        page = client.get(reverse("your_data")).content.decode()
        assert 'name="confirm"' not in page and "Confirm it is you to delete your account" in page
        refused = client.post(reverse("your_data"), {"confirm": "delete my account"})
        assert refused.status_code == 403
        assert User.objects.filter(pk=judge.pk, email="judge@example.org").exists()

        client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
        assert 'name="confirm"' not in client.get(reverse("your_data")).content.decode()  # the code is missing
        client.post(reverse("mfa_reauthenticate"), {"code": pyotp.TOTP(TOTP_SECRET).now()})
        assert 'name="confirm"' in client.get(reverse("your_data")).content.decode()
        client.post(reverse("your_data"), {"confirm": "delete my account"})
    assert not User.objects.filter(email="judge@example.org").exists()


def test_granting_roles_and_changing_two_factor_need_a_fresh_sign_in(client):
    staff = make_user(email="staff@example.org", is_staff=True)
    with time_machine.travel(timezone.now(), tick=False) as clock:
        client.force_login(staff)
        assert client.get(reverse("accounts:role_list")).status_code == 200
        clock.shift(timedelta(minutes=6))
        for url in [reverse("accounts:role_list"), reverse("mfa_deactivate_totp"), reverse("mfa_view_recovery_codes")]:
            response = client.get(url)
            assert response["Location"] == f"{reverse('account_reauthenticate')}?next={url.replace('/', '%2F')}"
        revoke = client.post(reverse("accounts:role_revoke", args=[1]))
        assert revoke["Location"] == f"{reverse('account_reauthenticate')}?next=%2Faccount%2Fstaff%2Froles%2F"

        client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
        assert client.get(reverse("accounts:role_list"))["Location"].startswith(reverse("mfa_reauthenticate"))
        client.post(reverse("mfa_reauthenticate"), {"code": pyotp.TOTP(TOTP_SECRET).now()})
        assert client.get(reverse("accounts:role_list")).status_code == 200
