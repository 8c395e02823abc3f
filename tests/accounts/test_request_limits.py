"""A service that stays up under abuse: bodies too large, slow clients, imports over their limit."""

import re
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

pytestmark = pytest.mark.django_db


ROOT = Path(settings.BASE_DIR)


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
