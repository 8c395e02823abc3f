"""Leaders: who sees and verifies which completions and certificates."""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from leaders import domain as leaders

from ..factories import MINIMAL_PDF, make_course, make_course_provider, make_user

pytestmark = pytest.mark.django_db


def test_a_leader_sees_only_their_own_completions_and_certificates(client, social):
    owner = make_user(email="owner@example.org")
    completion = leaders.record_completion(
        owner,
        course=social,
        completed_on=date(2021, 1, 1),
        certificate=SimpleUploadedFile("cert.pdf", MINIMAL_PDF),
    )
    other = make_user(email="other.leader@example.org")
    client.force_login(other)
    assert client.get(reverse("leaders:certificate", args=[completion.pk])).status_code == 404
    assert client.get(reverse("leaders:credential", args=[completion.pk])).status_code == 404
    assert "Directors' leadership programme" not in client.get(reverse("leaders:portfolio")).content.decode()
    client.force_login(owner)
    response = client.get(reverse("leaders:certificate", args=[completion.pk]))
    assert response["Content-Disposition"].startswith('attachment; filename="cert.pdf"')


def test_course_provider_verifies_only_its_own_courses(client, provider_user, social):
    leader = make_user(email="learner@example.org")
    own = leaders.record_completion(leader, course=social, completed_on=date(2021, 1, 1))
    other_user, other_provider = make_course_provider("Other Provider")
    foreign_course = make_course(other_provider, "Another provider's course")
    foreign = leaders.record_completion(leader, course=foreign_course, completed_on=date(2021, 1, 1))
    hand = leaders.record_completion(
        leader, course_title="Old course", provider_name="Old college", completed_on=date(2015, 1, 1)
    )
    client.force_login(provider_user)
    queue = client.get(reverse("leaders:verification"))
    assert [c.pk for c in queue.context["page"]] == [own.pk]
    assert client.post(reverse("leaders:verify", args=[foreign.pk])).status_code == 404
    assert client.post(reverse("leaders:verify", args=[hand.pk])).status_code == 404
    assert client.post(reverse("leaders:reject", args=[foreign.pk]), {"reason": "Not ours"}).status_code == 404
    client.post(reverse("leaders:verify", args=[own.pk]))
    own.refresh_from_db()
    foreign.refresh_from_db()
    assert (own.state, foreign.state) == ("verified", "self_declared")
    assert own.decided_by == provider_user


def test_verify_and_reject_each_post_to_their_own_url(client, social, staff):
    leader = make_user(email="learner@example.org")
    one = leaders.record_completion(leader, course=social, completed_on=date(2021, 1, 1))
    two = leaders.record_completion(leader, course=social, completed_on=date(2021, 2, 1))
    client.force_login(staff)
    queue = client.get(reverse("leaders:verification")).content.decode()
    assert 'name="decision"' not in queue
    for completion in (one, two):
        assert f'action="{reverse("leaders:verify", args=[completion.pk])}"' in queue
        assert f'action="{reverse("leaders:reject", args=[completion.pk])}"' in queue
    assert client.get(reverse("leaders:reject", args=[one.pk])).status_code == 405
    refused = client.post(reverse("leaders:reject", args=[one.pk]), {"reason": "  "}, follow=True)
    assert "Give the reason for rejecting the completion" in refused.content.decode()
    client.post(reverse("leaders:reject", args=[one.pk]), {"reason": "Certificate unreadable"})
    client.post(reverse("leaders:verify", args=[two.pk]))
    one.refresh_from_db()
    two.refresh_from_db()
    assert (one.state, one.rejection_reason, two.state) == ("rejected", "Certificate unreadable", "verified")


def test_dashboard_is_for_academy_staff(client, provider_user):
    client.force_login(provider_user)
    assert client.get(reverse("leaders:dashboard")).status_code == 403
