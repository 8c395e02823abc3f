"""A person downloads their data and deletes their account; records others rely on stay intact."""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.enums import SiteRole
from accounts.models import AuditEvent, User
from awards.models import Nomination
from judging.models import CriterionScore, JudgeProfile
from leaders import domain as leaders

from ..factories import (
    MINIMAL_PDF,
    make_category,
    make_course,
    make_course_provider,
    make_cycle,
    make_judge,
    make_nomination,
    make_provider,
)

pytestmark = pytest.mark.django_db


def test_download_your_data(client):
    user, organisation = make_provider("Riverside Care", email="jo@riverside.example")
    make_nomination(make_category(make_cycle()), organisation, user)
    client.force_login(user)
    response = client.get(reverse("your_data"), {"format": "json"})
    data = response.json()
    assert response["Content-Disposition"] == 'attachment; filename="your-data.json"'
    assert data["account"]["email"] == "jo@riverside.example"
    assert data["organisations"] == [{"organisation": "Riverside Care", "role": "Organisation admin"}]
    assert len(data["nominations_started"]) == 1


def test_deleting_an_account_anonymises_but_keeps_records(client):
    judge = make_judge("judge@example.org", lived="uses_services")
    provider_user, provider = make_course_provider()
    course = make_course(provider)
    completion = leaders.record_completion(
        judge, course=course, completed_on=date(2024, 1, 1), certificate=SimpleUploadedFile("c.pdf", MINIMAL_PDF)
    )
    stored = completion.certificate.name
    from judging.models import Assignment

    category = make_category(make_cycle())
    owner, organisation = make_provider("Hilltop")
    nomination = make_nomination(category, organisation, owner)
    assignment = Assignment.objects.create(nomination=nomination, judge=judge)
    CriterionScore.objects.create(assignment=assignment, criterion=category.criteria.first(), score=7, comment="Good")
    client.force_login(judge)
    refused = client.post(reverse("your_data"), {"confirm": "yes"})
    assert "Type “delete my account” to confirm" in refused.content.decode()
    response = client.post(reverse("your_data"), {"confirm": "delete my account"})
    assert "Your account has been deleted" in response.content.decode()
    judge = User.objects.get(pk=judge.pk)
    assert (judge.email, judge.full_name, judge.is_active) == (
        f"deleted-{judge.pk}@deleted.invalid",
        "Deleted user",
        False,
    )
    assert not judge.has_usable_password()
    assert not JudgeProfile.objects.filter(user=judge).exists()
    assert not judge.has_site_role(SiteRole.JUDGE)
    assert CriterionScore.objects.get(assignment=assignment).score == 7
    assert Nomination.objects.filter(pk=nomination.pk).exists()
    completion.refresh_from_db()
    assert (completion.certificate.name, completion.state) == ("", "self_declared")
    assert not completion.certificate.storage.exists(stored)
    assert AuditEvent.objects.filter(action="account.deleted", object_id=str(judge.pk)).exists()
    assert client.get(reverse("accounts:dashboard")).status_code == 302
