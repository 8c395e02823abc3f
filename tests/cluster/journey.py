"""A provider's journey through the cluster, each request to the other web
node from the one before: sign in with a password and a TOTP code, start a
nomination and save its draft, upload evidence to S3, download it through
the signed URL the service redirects to, and submit."""

import re
from itertools import cycle

import pyotp
from django.urls import reverse

from ..factories import MINIMAL_PDF, PASSWORD, TOTP_SECRET


def expect(response, status: int, location: str | None = None):
    assert response.status == status, f"{response.status} {response.location}\n{response.text[:3000]}"
    if location is not None:
        assert response.location == location, response.location
    return response


def run_journey(browser, email: str, organisation_pk: int, category_pk: int) -> dict:
    """Returns what the journey made: the nomination's id, the evidence's
    stored bytes as downloaded through the signed URL, and that URL."""
    node = cycle(browser.ports)

    def get(path, status=200, location=None):
        return expect(browser.get(next(node), path), status, location)

    def post(path, fields=None, files=None, status=302, location=None):
        return expect(browser.post(next(node), path, fields, files), status, location)

    login, code_page = reverse("account_login"), reverse("mfa_authenticate")
    get(login)
    post(login, {"login": email, "password": PASSWORD}, location=code_page)
    get(code_page)
    post(code_page, {"code": pyotp.TOTP(TOTP_SECRET).now()})

    get(reverse("awards:start"))
    started = post(reverse("awards:start"), {"organisation": organisation_pk, "category": category_pk})
    pk = int(re.fullmatch(r"/awards/nominations/(\d+)/", started.location).group(1))
    task_list = reverse("awards:nomination", args=[pk])
    assert started.location == task_list
    get(task_list)

    service = {"service_name": "Rose House", "service_address": "1 High Street\nTown", "service_regulator_number": ""}
    post(reverse("awards:edit_service", args=[pk]), service, location=task_list)
    page = get(reverse("awards:edit_answers", args=[pk])).text
    questions = re.findall(r'name="(question_\d+)"', page)
    assert questions, page[:3000]
    post(
        reverse("awards:edit_answers", args=[pk]),
        {name: "People who live here choose their own day." for name in questions},
        location=task_list,
    )
    statement = {"statement": "They listen to me.", "given_by": "A resident", "consent": "on"}
    post(reverse("awards:edit_statement", args=[pk]), statement, location=task_list)
    post(reverse("awards:edit_consent", args=[pk]), {"consent": "yes"}, location=task_list)

    evidence_page = reverse("awards:evidence", args=[pk])
    upload = {"file": ("inspection.pdf", MINIMAL_PDF, "application/pdf")}
    post(evidence_page, {"description": "Inspection report"}, upload, location=evidence_page)
    listed = re.findall(r'href="(/awards/evidence/\d+/)"', get(evidence_page).text)
    assert len(set(listed)) == 1, listed
    signed = get(listed[0], status=302).location
    assert "X-Amz-Signature=" in signed, signed
    downloaded = browser.fetch_url(signed)
    assert downloaded.status == 200, (downloaded.status, downloaded.text[:500])

    get(reverse("awards:check_answers", args=[pk]))
    post(reverse("awards:check_answers", args=[pk]), location=reverse("awards:submitted", args=[pk]))
    get(reverse("awards:submitted", args=[pk]))
    return {"nomination": pk, "downloaded": downloaded.body, "signed_url": signed}
