"""A course provider decides its cohort's completions in bulk through the API:
each through leaders.domain, with the same audit rows and emails as the
verification page; all or nothing; safe to retry with an Idempotency-Key."""

from datetime import date

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from accounts.models import AuditEvent
from api.models import IdempotentRequest
from leaders import domain as leaders
from leaders.models import Completion
from notifications.models import OutboundEmail

from ..factories import make_course, make_course_provider, make_user
from .conftest import bearer, create_token

pytestmark = pytest.mark.django_db
URL = reverse("api:provider_completions")


@pytest.fixture
def cohort():
    provider_user, provider = make_course_provider(email="trainer@provider.example", mfa=True)
    course = make_course(provider, "Leading with compassion")
    learners = [make_user(email=f"learner{i}@example.org", full_name=f"Learner {i}") for i in range(3)]
    completions = [leaders.record_completion(p, course=course, completed_on=date(2026, 6, 1)) for p in learners]
    _, secret = create_token(provider_user, scopes=["academy:write"])
    return {"user": provider_user, "course": course, "learners": learners, "completions": completions, "secret": secret}


def _decided(completion_ids):
    """What a decision leaves behind, comparable between page and API:
    (action, actor, before, after, reason) of each audit row, and the email."""
    rows = AuditEvent.objects.filter(object_id__in=[str(pk) for pk in completion_ids], action__startswith="completion.")
    audit = sorted(
        (e.action, e.actor_id, e.before, e.after, e.reason) for e in rows.exclude(action="completion.recorded")
    )
    emails = sorted(
        (e.template, e.to, e.subject, e.text_body)
        for e in OutboundEmail.objects.filter(template="completion_decided").order_by("pk")
    )
    return audit, emails


def test_the_waiting_completions_are_listed_oldest_first(cohort):
    data = bearer(cohort["secret"]).get(URL).json()
    assert data["count"] == 3
    assert [row["id"] for row in data["results"]] == [c.pk for c in cohort["completions"]]
    assert data["results"][0]["leader_email"] == "learner0@example.org"
    assert data["results"][0]["course"] == {"id": cohort["course"].pk, "title": "Leading with compassion"}
    assert data["results"][0]["completed_on"] == "2026-06-01"


def test_the_api_leaves_the_same_audit_rows_and_emails_as_the_page(cohort, run_on_commit):
    first, second, third = cohort["completions"]
    # The page: the provider verifies the first and rejects the second.
    page = Client()
    page.force_login(cohort["user"])
    with run_on_commit():
        page.post(reverse("leaders:verify", args=[first.pk]))
        page.post(reverse("leaders:reject", args=[second.pk]), {"reason": "Not on the register"})
    by_page = _decided([first.pk, second.pk])
    page_mail = [m.to for m in mail.outbox]
    # The same decisions through the API, on the same people's completions
    # of a twin course (same title, provider and date: the same emails).
    twin_course = make_course(cohort["course"].provider, "Leading with compassion")
    twins = [
        leaders.record_completion(c.leader, course=twin_course, completed_on=date(2026, 6, 1)) for c in (first, second)
    ]
    AuditEvent.objects.filter(action__in=["completion.verified", "completion.rejected"]).delete()
    OutboundEmail.objects.all().delete()
    mail.outbox.clear()
    body = {
        "completions": [
            {"id": twins[0].pk, "decision": "verify"},
            {
                "leader_email": "LEARNER1@example.org",
                "course": twin_course.pk,
                "completed_on": "2026-06-01",
                "decision": "reject",
                "reason": "Not on the register",
            },
        ]
    }
    with run_on_commit():
        response = bearer(cohort["secret"]).post(URL, body, format="json")
    assert response.status_code == 200
    assert response.json() == {
        "detail": "2 decided",
        "results": [
            {"index": 0, "ok": True, "id": twins[0].pk, "state": "verified", "error": ""},
            {"index": 1, "ok": True, "id": twins[1].pk, "state": "rejected", "error": ""},
        ],
    }
    by_api = _decided([t.pk for t in twins])
    assert by_api == by_page
    assert [m.to for m in mail.outbox] == page_mail == [["learner0@example.org"], ["learner1@example.org"]]
    assert third.__class__.objects.get(pk=third.pk).state == "self_declared"


def test_all_or_nothing_one_bad_item_decides_none(cohort, run_on_commit):
    first, second, third = cohort["completions"]
    leaders.verify_completion(cohort["user"], third)
    OutboundEmail.objects.all().delete()
    body = {
        "completions": [
            {"id": first.pk, "decision": "verify"},
            {"id": second.pk, "decision": "reject", "reason": ""},
            {"id": third.pk, "decision": "verify"},
            {"id": 987654, "decision": "verify"},
            {"id": first.pk, "decision": "reject", "reason": "Sent twice"},
        ]
    }
    with run_on_commit():
        response = bearer(cohort["secret"]).post(URL, body, format="json")
    assert response.status_code == 400
    data = response.json()
    assert data["detail"] == "4 of 5 could not be decided: none was. Correct them and send the list again"
    assert [(r["index"], r["ok"], r["error"]) for r in data["results"]] == [
        (0, True, ""),
        (1, False, "Give the reason for rejecting the completion"),
        (2, False, "This completion has already been decided"),
        (3, False, "No completion waiting for your verification matches this item"),
        (4, False, "This completion is already in the list"),
    ]
    assert Completion.objects.get(pk=first.pk).state == "self_declared"
    assert not AuditEvent.objects.filter(action="completion.verified", object_id=str(first.pk)).exists()
    assert OutboundEmail.objects.count() == 0
    assert mail.outbox == []


def test_another_provider_s_completion_answers_as_no_match(cohort):
    other_user, other = make_course_provider("Other Academy", email="other@provider.example", mfa=True)
    theirs = leaders.record_completion(
        make_user(email="theirs@example.org"), course=make_course(other, "Their course"), completed_on=date(2026, 1, 1)
    )
    response = bearer(cohort["secret"]).post(
        URL, {"completions": [{"id": theirs.pk, "decision": "verify"}]}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["results"][0]["error"] == "No completion waiting for your verification matches this item"
    assert response.json()["results"][0]["id"] is None
    assert Completion.objects.get(pk=theirs.pk).state == "self_declared"


def test_a_retry_with_the_same_idempotency_key_is_done_once(cohort, run_on_commit):
    first = cohort["completions"][0]
    client = bearer(cohort["secret"])
    body = {"completions": [{"id": first.pk, "decision": "verify"}]}
    with run_on_commit():
        once = client.post(URL, body, format="json", HTTP_IDEMPOTENCY_KEY="cohort-2026-06")
        again = client.post(URL, body, format="json", HTTP_IDEMPOTENCY_KEY="cohort-2026-06")
    assert once.status_code == again.status_code == 200
    assert again.json() == once.json()
    assert again["Idempotent-Replayed"] == "true"
    assert AuditEvent.objects.filter(action="completion.verified", object_id=str(first.pk)).count() == 1
    assert OutboundEmail.objects.filter(template="completion_decided").count() == 1
    assert IdempotentRequest.objects.get().key == "cohort-2026-06"
    other = client.post(
        URL,
        {"completions": [{"id": cohort["completions"][1].pk, "decision": "verify"}]},
        format="json",
        HTTP_IDEMPOTENCY_KEY="cohort-2026-06",
    )
    assert (other.status_code, other.json()["detail"]) == (
        422,
        "This Idempotency-Key was used with another request body",
    )
    assert client.post(URL, body, format="json", HTTP_IDEMPOTENCY_KEY="not a key!").status_code == 400


def test_a_refused_batch_is_not_stored_and_can_be_sent_again_with_its_key(cohort):
    first, second, _ = cohort["completions"]
    client = bearer(cohort["secret"])
    bad = {"completions": [{"id": first.pk, "decision": "reject"}]}
    assert client.post(URL, bad, format="json", HTTP_IDEMPOTENCY_KEY="k1").status_code == 400
    assert IdempotentRequest.objects.count() == 0
    good = {"completions": [{"id": first.pk, "decision": "reject", "reason": "Wrong person"}]}
    assert client.post(URL, good, format="json", HTTP_IDEMPOTENCY_KEY="k1").status_code == 200
    assert Completion.objects.get(pk=first.pk).rejection_reason == "Wrong person"


@pytest.mark.parametrize(
    "body, errors",
    [
        ({}, {"completions": ["This field is required."]}),
        ({"completions": []}, {"completions": {"non_field_errors": ["Ensure this field has at least 1 elements."]}}),
        (
            {"completions": [{"decision": "verify"}]},
            {
                "completions": {
                    "0": {"non_field_errors": ["Give the completion's id, or the leader's email, course and date"]}
                }
            },
        ),
        (
            {"completions": [{"id": 1, "decision": "approve"}]},
            {"completions": {"0": {"decision": ['"approve" is not a valid choice.']}}},
        ),
    ],
)
def test_a_malformed_list_is_refused_with_reasons(cohort, body, errors):
    response = bearer(cohort["secret"]).post(URL, body, format="json")
    assert response.status_code == 400
    assert response.json() == {"detail": "Check the request: some values are not valid", "errors": errors}


def test_a_read_token_cannot_write(cohort):
    _, reader = create_token(cohort["user"], scopes=["academy:read"])
    body = {"completions": [{"id": cohort["completions"][0].pk, "decision": "verify"}]}
    response = bearer(reader).post(URL, body, format="json")
    assert (response.status_code, response.json()) == (
        403,
        {"detail": "This token's scopes do not include academy:write"},
    )
    assert bearer(reader).get(URL).status_code == 200
    assert Completion.objects.get(pk=cohort["completions"][0].pk).state == "self_declared"


def test_someone_without_a_verification_queue_is_refused():
    outsider = make_user(email="outsider@example.org", mfa=True)
    _, secret = create_token(outsider, scopes=["academy:write"])
    response = bearer(secret).post(URL, {"completions": [{"id": 1, "decision": "verify"}]}, format="json")
    assert (response.status_code, response.json()["detail"]) == (403, "Your account does not hold the role this needs")


def test_the_waiting_list_costs_the_same_queries_for_one_or_many(cohort):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = bearer(cohort["secret"])
    leaders.verify_completion(cohort["user"], cohort["completions"][1])
    leaders.verify_completion(cohort["user"], cohort["completions"][2])
    client.get(URL)  # the token's first use also records its last-used time
    with CaptureQueriesContext(connection) as one:
        assert client.get(URL).json()["count"] == 1
    leaders.record_completion(cohort["learners"][1], course=cohort["course"], completed_on=date(2026, 6, 3))
    leaders.record_completion(cohort["learners"][2], course=cohort["course"], completed_on=date(2026, 6, 3))
    with CaptureQueriesContext(connection) as many:
        assert client.get(URL).json()["count"] == 3
    assert len(many) == len(one)
