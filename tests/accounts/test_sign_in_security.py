"""Sign-in that holds for staff and judges, and a service that stays up under
abuse: each attack found against the service, tried again."""

import re
import statistics
import subprocess
import sys
import time
from datetime import date, timedelta
from pathlib import Path

import pyotp
import pytest
import time_machine
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from accounts.enums import SiteRole
from accounts.models import RoleGrant, User
from notifications.models import OutboundEmail
from notifications.sending import BLANKED, send_outbound_email

from ..factories import PASSWORD, TOTP_SECRET, make_course, make_course_provider, make_provider, make_user

pytestmark = pytest.mark.django_db
ROOT = Path(settings.BASE_DIR)


# Two factors, per session ---------------------------------------------------------------------


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


# Security counters with Redis down ---------------------------------------------------------------


@pytest.fixture
def redis_down(settings):
    """Redis unreachable; the database cache carries on (core.caching)."""
    settings.CACHES = {
        "default": {"BACKEND": "core.caching.ForgivingRedisCache", "LOCATION": "redis://127.0.0.1:1/0"},
        "fallback": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "cache_fallback"},
    }


def test_with_redis_down_wrong_passwords_are_still_limited(client, redis_down):
    make_user(email="target@example.org")
    checked = 0
    for _ in range(30):
        response = client.post(reverse("account_login"), {"login": "target@example.org", "password": "wrong"})
        checked += response.status_code != 429 and "Too many failed login attempts" not in response.content.decode()
    assert checked == 5
    right = client.post(reverse("account_login"), {"login": "target@example.org", "password": PASSWORD})
    assert right.status_code == 429 and not right.wsgi_request.user.is_authenticated


def test_with_redis_down_codes_are_limited_and_never_used_twice(client, redis_down):
    make_user(email="judge@example.org", roles=[SiteRole.JUDGE])
    code = pyotp.TOTP(TOTP_SECRET).now()
    client.post(reverse("account_login"), {"login": "judge@example.org", "password": PASSWORD})
    assert client.post(reverse("mfa_authenticate"), {"code": code}).status_code == 302
    client.logout()
    client.post(reverse("account_login"), {"login": "judge@example.org", "password": PASSWORD})
    replayed = client.post(reverse("mfa_authenticate"), {"code": code})
    assert replayed.status_code == 200 and "govuk-error-summary" in replayed.content.decode()

    other = Client()
    make_user(email="judge2@example.org", roles=[SiteRole.JUDGE])
    other.post(reverse("account_login"), {"login": "judge2@example.org", "password": PASSWORD})
    answers = [other.post(reverse("mfa_authenticate"), {"code": "000000"}).content.decode() for _ in range(12)]
    assert sum("Too many failed login attempts" in answer for answer in answers) >= 6


def test_with_redis_down_sign_ups_are_still_limited(client, redis_down):
    statuses = []
    for n in range(25):
        response = client.post(
            reverse("account_signup"),
            {"email": f"new{n}@example.org", "password1": "a-long-passphrase-9", "password2": "a-long-passphrase-9"},
        )
        statuses.append(response.status_code)
    assert statuses.count(302) == 20 and User.objects.filter(email__startswith="new").count() == 20


# Bodies, slow clients, imports ------------------------------------------------------------------


def test_a_body_too_large_for_its_page_is_refused_before_it_is_read(client):
    response = client.generic("POST", reverse("account_login"), b"x" * 10, CONTENT_LENGTH="2147483648")
    assert (response.status_code, response.content.decode()) == (
        413,
        "The request is too large: this page accepts at most 1 MB.",
    )
    chunked = client.generic("POST", reverse("account_login"), b"", HTTP_TRANSFER_ENCODING="chunked")
    assert chunked.status_code == 411


def test_an_import_larger_than_its_limit_is_refused_and_never_stored(client, academy_staff):
    from courses.models import ImportJob

    client.force_login(academy_staff)
    big = SimpleUploadedFile("courses.csv", b"a" * (20 * 1024 * 1024 + 10), content_type="text/csv")
    response = client.post(reverse("courses:import"), {"file": big})
    assert "The selected file must be smaller than 20 MB" in response.content.decode()
    assert ImportJob.objects.count() == 0
    huge = client.generic(
        "POST", reverse("courses:import"), b"", CONTENT_LENGTH=str(300 * 1024 * 1024), CONTENT_TYPE="text/csv"
    )
    assert huge.status_code == 413


def test_the_proxy_and_django_agree_on_which_pages_take_uploads():
    """The Caddyfile's upload addresses are exactly the views marked with
    accepts_uploads, so neither refuses what the other lets through."""
    from django.urls import URLPattern, URLResolver, get_resolver

    pattern = re.search(r"path_regexp uploads (\S+)", (ROOT / "deploy" / "Caddyfile").read_text()).group(1)

    def walk(patterns, prefix=""):
        for item in patterns:
            route = prefix + str(item.pattern)
            if isinstance(item, URLResolver):
                yield from walk(item.url_patterns, route)
            elif isinstance(item, URLPattern):
                yield "/" + re.sub(r"<int:\w+>", "7", re.sub(r"<str:\w+>", "x", route)), item.callback

    mismatched = [
        (path, hasattr(view, "upload_limit"))
        for path, view in walk(get_resolver().url_patterns)
        if "<" not in path and "^" not in path and bool(re.fullmatch(pattern, path)) != hasattr(view, "upload_limit")
    ]
    assert mismatched == []


@pytest.fixture
def gunicorn(tmp_path):
    """gunicorn as docker-compose.yml runs it (gunicorn.conf.py), on loopback,
    one worker of four threads so that the test is small, stopped afterwards."""
    import os
    import socket

    from django.db import connection

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    database = connection.settings_dict
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings_test",
        "DATABASE_URL": f"postgres://{database['USER']}:{database['PASSWORD']}@{database['HOST']}:{database['PORT']}/"
        f"{database['NAME']}",
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "GUNICORN_WORKERS": "1",
        "GUNICORN_THREADS": "4",
        "VAR_DIR": str(tmp_path),
    }
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "config.wsgi", "--config", "gunicorn.conf.py"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.2)
        yield port
    finally:
        server.terminate()
        server.wait(timeout=30)


def _get(port, path="/", timeout=20) -> bytes:
    import socket

    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as sock:
        sock.sendall(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".encode())
        answer = b""
        while chunk := sock.recv(65536):
            answer += chunk
    return answer


def test_gunicorn_refuses_a_huge_body_at_once_and_slow_clients_starve_no_one(gunicorn):
    """Bounded: every wait has a timeout of seconds, none measures speed."""
    import socket

    port = gunicorn
    # A 2 GB sign-in post: 413 after the first 64 KB, and the connection closed.
    with socket.create_connection(("127.0.0.1", port), timeout=20) as sock:
        sock.sendall(
            b"POST /accounts/login/ HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 2147483648\r\n"
            b"Content-Type: multipart/form-data; boundary=x\r\n\r\n"
        )
        sent = 0
        try:
            while sent < 64 * 1024 * 1024:  # gunicorn answers and closes long before 64 MB
                sock.sendall(b"x" * 65536)
                sent += 65536
        except (BrokenPipeError, ConnectionResetError):
            pass
        answer = b""
        try:
            while chunk := sock.recv(65536):
                answer += chunk
        except ConnectionResetError:
            pass
    assert answer.startswith(b"HTTP/1.1 413") and sent < 64 * 1024 * 1024

    # Two clients sending their request a byte at a time each hold a thread
    # while gunicorn waits for the rest; the home page is still served, ten
    # times over.
    slow = []
    for _ in range(2):
        sock = socket.create_connection(("127.0.0.1", port), timeout=20)
        sock.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ")
        slow.append(sock)
    try:
        for _ in range(10):
            for sock in slow:
                sock.sendall(b"a")
            assert _get(port).startswith(b"HTTP/1.1 200")
    finally:
        for sock in slow:
            sock.close()


# Secrets -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "key", ["change-me-to-a-long-random-string-of-at-least-fifty-characters", "short-key", "a" * 60]
)
def test_production_settings_refuse_a_placeholder_or_short_key(key):
    import os

    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.update({"DJANGO_SETTINGS_MODULE": "config.settings", "SECRET_KEY": key, "DEBUG": "false"})
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy"], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert result.returncode != 0
    assert "SECRET_KEY is a placeholder or too short" in result.stderr


def test_the_image_leaves_secrets_out_and_only_the_proxy_is_published():
    ignored = (ROOT / ".dockerignore").read_text().split()
    assert ".env" in ignored and ".env.*" in ignored and "!.env.example" in ignored
    import yaml

    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    published = {name for name, service in compose["services"].items() if service.get("ports")}
    assert published == {"proxy"}
    assert "8000" in [str(port) for port in compose["services"]["web"]["expose"]]


def test_reset_and_verification_links_are_not_kept_after_sending(client):
    from django.core import mail

    make_user(email="forgetful@example.org")
    client.post(reverse("account_reset_password"), {"email": "forgetful@example.org"})
    email = OutboundEmail.objects.get(template="password_reset_key")
    link = re.search(r"https?://\S+/password/reset/key/\S+", email.text_body).group(0)
    assert email.holds_secret
    assert send_outbound_email(email.pk) is True
    assert link in mail.outbox[-1].body  # the person gets the link...
    email.refresh_from_db()
    assert (email.state, email.text_body, email.html_body) == ("sent", BLANKED, "")  # ...the table keeps none

    from judging import domain as judging

    admin = make_user(email="awards-admin@example.org", roles=[SiteRole.AWARDS_ADMIN])
    invitation = judging.invite_judge(admin, "new-judge@example.org")
    sent = OutboundEmail.objects.get(template="judge_invitation")
    send_outbound_email(sent.pk)
    sent.refresh_from_db()
    assert invitation.token in mail.outbox[-1].body and invitation.token not in sent.text_body + sent.html_body

    client.post(
        reverse("account_signup"),
        {"email": "newcomer@example.org", "password1": "a-long-passphrase-9", "password2": "a-long-passphrase-9"},
    )
    confirmation = OutboundEmail.objects.get(to="newcomer@example.org")
    send_outbound_email(confirmation.pk)
    confirmation.refresh_from_db()
    assert confirmation.holds_secret and confirmation.text_body == BLANKED


def test_a_secret_email_is_never_sent_again_from_the_ledger():
    from notifications import domain

    staff = make_user(email="staff@example.org", is_staff=True)
    failed = OutboundEmail.objects.create(
        to="a@example.org", template="password_reset_key", subject="Reset", text_body=BLANKED, state="failed"
    )
    failed.holds_secret = True
    failed.save()
    with pytest.raises(domain.DomainError, match="ask the person to request a new one"):
        domain.resend(staff, failed)


# Completions --------------------------------------------------------------------------------------


def test_nobody_verifies_their_own_completion(client, academy_staff):
    from leaders import domain as leaders
    from leaders.models import Completion

    provider_user, provider = make_course_provider()
    course = make_course(provider, "Leading care")
    own = leaders.record_completion(provider_user, course=course, completed_on=date(2024, 1, 1))
    colleague = make_user(email="colleague@provider.example", organisation=provider)
    colleagues = leaders.record_completion(colleague, course=course, completed_on=date(2024, 1, 1))
    learner = make_user(email="learner@example.org")
    theirs = leaders.record_completion(learner, course=course, completed_on=date(2024, 1, 1))

    client.force_login(provider_user)
    queue = client.get(reverse("leaders:verification")).context["page"]
    assert [c.pk for c in queue] == [theirs.pk]
    for completion in (own, colleagues):
        assert client.post(reverse("leaders:verify", args=[completion.pk])).status_code == 404
        with pytest.raises(PermissionDenied):
            leaders.verify_completion(provider_user, completion)

    staff_own = leaders.record_completion(academy_staff, course=course, completed_on=date(2024, 1, 1))
    with pytest.raises(PermissionDenied):
        leaders.verify_completion(academy_staff, staff_own)
    leaders.verify_completion(academy_staff, colleagues)
    assert list(Completion.objects.filter(state="verified").values_list("pk", flat=True)) == [colleagues.pk]


# Sign-up -----------------------------------------------------------------------------------------


def test_passwords_need_twelve_characters(client):
    response = client.post(
        reverse("account_signup"),
        {"email": "short@example.org", "password1": "elevenchars", "password2": "elevenchars"},
    )
    assert "This password is too short. It must contain at least 12 characters." in response.content.decode()


@override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.PBKDF2PasswordHasher"])
def test_sign_up_takes_as_long_for_an_address_in_use_as_for_a_new_one(client):
    """Measured as a benchmark is: the processor time of each answer (not
    wall time, so a busy machine slows both alike), alternating the two kinds
    over several runs, compared by their medians. Without the fix a new
    address took about 18 times as long (the password hash)."""
    make_user(email="taken@example.org")
    new, taken = [], []
    for n in range(6):
        for email, times in ((f"fresh{n}@example.org", new), ("taken@example.org", taken)):
            started = time.process_time()
            response = client.post(
                reverse("account_signup"),
                {"email": email, "password1": "a-long-passphrase-9", "password2": "a-long-passphrase-9"},
            )
            times.append(time.process_time() - started)
            assert response.status_code == 302
    ratio = statistics.median(new) / statistics.median(taken)
    assert 0.5 < ratio < 2, (new, taken)
