"""Judging: scores drafted then submitted and locked, no peeking, anonymity of the written stage,
reopening scores."""

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.models import AuditEvent
from awards.models import Nomination
from judging.models import Assignment

from ..factories import MINIMAL_PDF
from .helpers import score_all

pytestmark = pytest.mark.django_db


def test_scores_are_drafted_then_submitted_and_locked(client, category, scored):
    assignment = Assignment.objects.filter(nomination=scored[0]).first()
    criteria = list(category.criteria.filter(stage="written"))
    client.force_login(assignment.judge)
    url = reverse("judging:score", args=[assignment.pk])
    submit = reverse("judging:submit_scores", args=[assignment.pk])
    page = client.get(url).content.decode()
    assert f'action="{url}"' in page and f'formaction="{submit}"' in page  # one form, a URL per button
    draft = client.post(url, {f"score_{criteria[0].pk}": "7", f"comment_{criteria[0].pk}": "Strong"})
    assert draft["Location"] == url
    assignment.refresh_from_db()
    assert assignment.submitted_at is None
    refused = client.post(submit, {f"score_{criteria[0].pk}": "7", f"comment_{criteria[0].pk}": "Typed"})
    assert "Score every criterion before submitting: Outcomes" in refused.content.decode()
    assert refused.context["form"][f"comment_{criteria[0].pk}"].value() == "Typed"  # nothing typed is lost
    too_high = client.post(submit, {f"score_{criteria[0].pk}": "11"})
    assert "The score for Person-centred care must be 10 or less" in too_high.content.decode()
    assert client.get(submit).status_code == 405
    checked = client.post(submit, {f"score_{criteria[0].pk}": "7", f"score_{criteria[1].pk}": "9"})
    confirm = reverse("judging:confirm_scores", args=[assignment.pk])
    assert checked["Location"] == confirm  # saved as a draft, then the check page
    assignment.refresh_from_db()
    assert assignment.submitted_at is None
    client.post(confirm)
    assignment.refresh_from_db()
    assert assignment.submitted_at is not None
    client.post(submit, {f"score_{criteria[0].pk}": "1", f"score_{criteria[1].pk}": "1"})
    assert dict(assignment.scores.values_list("criterion_id", "score")) == {criteria[0].pk: 7, criteria[1].pk: 9}


def test_no_peeking_before_submitting(client, panel, scored):
    mine, theirs = Assignment.objects.filter(nomination=scored[0])[:2]
    score_all(theirs, 9)
    client.force_login(mine.judge)
    assert client.get(reverse("judging:others_scores", args=[mine.pk])).status_code == 404
    assert client.get(reverse("judging:score", args=[theirs.pk])).status_code == 404
    assert client.get(reverse("judging:others_scores", args=[theirs.pk])).status_code == 404
    page = client.get(reverse("judging:score", args=[mine.pk])).content.decode()
    assert "Good work" not in page
    if panel.chair_id != mine.judge_id:
        assert client.get(reverse("judging:results", args=[panel.pk])).status_code == 404
    score_all(mine, 5)
    others = client.get(reverse("judging:others_scores", args=[mine.pk]))
    assert others.status_code == 200
    assert "Good work" in others.content.decode()


def test_a_judge_who_is_not_chair_never_sees_the_ranking(client, judges, panel, scored):
    judge = judges[2]
    client.force_login(judge)
    assert client.get(reverse("judging:results", args=[panel.pk])).status_code == 404
    assert client.get(reverse("judging:final", args=[panel.pk])).status_code == 404
    assert client.get(reverse("judging:panel", args=[panel.pk])).status_code == 404
    client.force_login(panel.chair)
    assert client.get(reverse("judging:results", args=[panel.pk])).status_code == 200


def test_anonymised_written_stage_hides_every_identifying_string(client, cycle, scored):
    cycle.anonymise_written_stage = True
    cycle.save()
    nomination = scored[0]
    Nomination.objects.filter(pk=nomination.pk).update(
        service_name="Rose House",
        service_address="12 Mill Lane\nPreston PR1 1AA",
        service_regulator_number="1-999888777",
        user_statement="Rose House changed my life; the team at " + nomination.organisation.name + " listen.",
        user_statement_consent=True,  # judges read a statement only with its person's consent
    )
    nomination.refresh_from_db()
    from awards.models import EvidenceFile

    evidence = EvidenceFile.objects.create(
        nomination=nomination,
        original_name=f"{nomination.organisation.name} Rose House report.pdf",
        kind="pdf",
        mimetype="application/pdf",
        size=len(MINIMAL_PDF),
    )
    evidence.file.save("evidence/x/anon.pdf", SimpleUploadedFile("x.pdf", MINIMAL_PDF), save=True)
    assignment = Assignment.objects.filter(nomination=nomination).first()
    client.force_login(assignment.judge)
    html = client.get(reverse("judging:score", args=[assignment.pk])).content.decode()
    for secret in [nomination.organisation.name, "Rose House", "12 Mill Lane", "Preston PR1 1AA", "1-999888777"]:
        assert secret not in html
    assert "[the service] changed my life; the team at [the organisation] listen." in html
    download = client.get(reverse("judging:evidence", args=[assignment.pk, evidence.pk]))
    assert download["Content-Disposition"].startswith('attachment; filename="evidence-1.pdf"')
    assert "Rose" not in download["Content-Disposition"]


def test_chair_reopens_a_submitted_score_with_a_reason(client, panel, scored, run_on_commit):
    assignment = Assignment.objects.filter(nomination=scored[0]).exclude(judge=panel.chair).first()
    score_all(assignment)
    for own in Assignment.objects.filter(judge=panel.chair, submitted_at=None):
        score_all(own)  # the chair sees a row once their own scores for it are in
    client.force_login(panel.chair)
    results = client.get(reverse("judging:results", args=[panel.pk])).content.decode()
    url = reverse("judging:reopen_scores", args=[panel.pk, assignment.pk])
    assert f'href="{url}"' in results
    refused = client.post(url, {"reason": ""})
    assert "Enter the reason for reopening the scores" in refused.content.decode()
    with run_on_commit():
        response = client.post(url, {"reason": "Missed evidence"})
    assert response["Location"] == reverse("judging:results", args=[panel.pk]) + "?stage=written"
    assignment.refresh_from_db()
    assert assignment.submitted_at is None
    assert AuditEvent.objects.get(action="score.reopened").reason == "Missed evidence"
    assert mail.outbox[-1].to == [assignment.judge.email]


def test_only_the_chair_reopens_scores(client, admin, panel, scored):
    assignment = Assignment.objects.filter(nomination=scored[0]).exclude(judge=panel.chair).first()
    score_all(assignment)
    url = reverse("judging:reopen_scores", args=[panel.pk, assignment.pk])
    client.force_login(admin)
    assert client.post(url, {"reason": "Because"}).status_code == 404
    client.force_login(assignment.judge)
    assert client.post(url, {"reason": "Because"}).status_code == 404
    assignment.refresh_from_db()
    assert assignment.submitted_at is not None
