"""Access needs (Accessible Information Standard): identify and record on the
profile, flag beside the judge's name, share only with consent (the awards
administrator; visit hosts), meet on the visit scheduling page and in the
host's visit email; consent withdrawn takes effect at once; audited."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from accounts.models import AuditEvent
from awards.models import Nomination
from core.errors import DomainError
from judging import domain
from judging.enums import AccessNeed
from judging.models import JudgeProfile
from notifications.models import OutboundEmail

from ..factories import make_eligible, visit_details

pytestmark = pytest.mark.django_db

FLAG = 'Access needs<span class="govuk-visually-hidden"> recorded for'


def record(judge, *, admin=True, hosts=True, kinds=("step_free", "bsl_interpreter"), details="Breaks every hour"):
    return domain.save_access_needs(
        judge, kinds=list(kinds), details=details, share_with_admin=admin, share_with_hosts=hosts
    )


def test_needs_are_recorded_structured_and_in_words_and_audited_without_their_content(judges):
    judge = judges[1]
    profile = record(judge, admin=True, hosts=False, kinds=["bsl_interpreter", "step_free", "step_free"])
    profile.refresh_from_db()
    assert profile.access_need_kinds == ["bsl_interpreter", "step_free"]
    assert profile.access_need_labels() == ["A British Sign Language (BSL) interpreter", "Step-free access"]
    assert profile.access_needs == "Breaks every hour"
    assert (profile.share_access_needs_with_admin, profile.share_access_needs_with_hosts) == (True, False)
    assert profile.access_consent_changed_at is not None
    events = list(AuditEvent.objects.filter(object_id=str(profile.pk)).order_by("pk").values("action", "after"))
    assert [e["action"] for e in events] == ["judge.access_needs_saved", "judge.access_consent_given"]
    assert events[0]["after"] == {"needs_recorded": 3, "shared_with_admin": True, "shared_with_hosts": False}
    assert events[1]["after"] == {"shared_with": "the awards administrator"}
    assert "BSL" not in str(events) and "Breaks" not in str(events)


def test_bad_input_is_refused_and_nothing_is_written(judges, admin):
    judge = judges[1]
    with pytest.raises(DomainError, match="Choose access needs from the list"):
        record(judge, kinds=["teleport"])
    with pytest.raises(DomainError, match="2000 characters or fewer"):
        record(judge, details="x" * 2001)
    assert JudgeProfile.objects.get(user=judge).access_need_kinds == []
    assert not AuditEvent.objects.filter(action__startswith="judge.access").exists()
    with pytest.raises(PermissionDenied):
        record(admin)


def test_only_the_judge_and_a_consented_administrator_see_the_needs(judges, admin, panel):
    chair, judge, other = judges[0], judges[1], judges[2]
    profile = record(judge, admin=False, hosts=True)
    assert judge.has_perm("judging.see_access_needs", profile)
    for viewer in (admin, chair, other):
        assert not viewer.has_perm("judging.see_access_needs", profile)
    profile = record(judge, admin=True, hosts=False)
    assert admin.has_perm("judging.see_access_needs", profile)
    assert not chair.has_perm("judging.see_access_needs", profile)
    assert not other.has_perm("judging.see_access_needs", profile)


def test_the_flag_shows_to_the_administrator_only_with_consent_and_goes_at_once_when_withdrawn(
    client, judges, admin, panel
):
    judge = judges[1]
    record(judge, admin=True, hosts=False)
    client.force_login(admin)
    panel_url = reverse("judging:panel", args=[panel.pk])
    page = client.get(panel_url).content.decode()
    assert page.count(FLAG) == 1
    assert f"{FLAG} {judge.get_full_name()}" in page
    judges_page = client.get(reverse("judging:judges")).content.decode()
    assert "A British Sign Language (BSL) interpreter, Step-free access. Breaks every hour" in judges_page

    client.force_login(panel.chair)
    assert FLAG not in client.get(panel_url).content.decode()  # the chair is not among those consented to

    client.force_login(judge)
    response = client.post(reverse("judging:withdraw_access_consent"))
    assert response["Location"] == reverse("judging:profile")
    profile = JudgeProfile.objects.get(user=judge)
    assert (profile.share_access_needs_with_admin, profile.share_access_needs_with_hosts) == (False, False)
    assert profile.access_need_kinds == ["bsl_interpreter", "step_free"]  # still recorded, for the judge
    assert AuditEvent.objects.filter(action="judge.access_consent_withdrawn", object_id=str(profile.pk)).count() == 1
    client.force_login(admin)
    assert FLAG not in client.get(panel_url).content.decode()
    assert "Breaks every hour" not in client.get(reverse("judging:judges")).content.decode()


def _shortlisted(category):
    nomination = make_eligible(category, 1)[0]
    Nomination.objects.filter(pk=nomination.pk).update(state="shortlisted")
    nomination.refresh_from_db()
    return nomination


def _host_email():
    return OutboundEmail.objects.filter(template="site_visit_invitation", to="jo@provider.example").latest("pk")


def test_the_host_is_told_the_needs_without_the_name_only_with_consent(admin, category, cycle, judges):
    lived, other = judges[1], judges[2]
    record(lived, admin=False, hosts=True)
    nomination = _shortlisted(category)
    start = cycle.site_visits_start + timedelta(days=1)
    visit = domain.schedule_visit(admin, nomination, [lived, other], **visit_details(start))
    email = _host_email()
    assert (
        "Access needs to meet: a visiting judge has asked us to tell you what they need, so you can prepare.\n\n"
        "- A British Sign Language (BSL) interpreter, Step-free access. Breaks every hour\n"
    ) in email.text_body
    assert "<li>A British Sign Language (BSL) interpreter, Step-free access. Breaks every hour</li>" in email.html_body
    assert lived.get_full_name() not in email.text_body and lived.email not in email.text_body
    for judge in (lived, other):
        to_judge = OutboundEmail.objects.filter(template="site_visit_invitation", to=judge.email).latest("pk")
        assert "Access needs to meet" not in to_judge.text_body

    record(lived, admin=False, hosts=False)  # withdrawn: the next email says nothing
    domain.reschedule_visit(admin, visit, [lived, other], **visit_details(start + timedelta(days=1)))
    assert "Access needs to meet" not in _host_email().text_body
    assert "Breaks every hour" not in _host_email().html_body


def test_the_scheduling_page_lists_the_needs_shared_with_the_administrator(client, admin, category, judges, panel):
    record(judges[1], admin=True, hosts=True)
    record(judges[3], admin=False, hosts=True, kinds=["large_print"], details="Papers in 16 point")
    nomination = _shortlisted(category)
    client.force_login(admin)
    page = client.get(reverse("judging:visit_new", args=[nomination.pk])).content.decode()
    assert "Access needs to meet" in page
    assert "Breaks every hour" in page
    assert "The service is told these needs (without the judge's name) in its invitation." in page
    assert "Papers in 16 point" not in page  # not consented to the administrator
    assert "Large print" not in page


def test_the_visits_page_flags_with_the_same_queries_for_one_visit_or_several(
    client, admin, category, cycle, judges, django_assert_num_queries
):
    for judge in judges:
        record(judge, admin=True, hosts=False)
    start = cycle.site_visits_start + timedelta(days=1)
    nominations = [_shortlisted(category) for _ in range(3)]
    domain.schedule_visit(admin, nominations[0], [judges[1], judges[2]], **visit_details(start))
    client.force_login(admin)
    url = reverse("judging:visits", args=[category.panel.pk])
    client.get(url)
    one = _count(client, url)
    for index, nomination in enumerate(nominations[1:], start=1):
        domain.schedule_visit(admin, nomination, [judges[1], judges[3]], **visit_details(start + timedelta(days=index)))
    with django_assert_num_queries(one):
        page = client.get(url).content.decode()
    assert page.count(FLAG) == 6


def _count(client, url) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_access_needs_page_records_with_an_error_summary(client, judges):
    judge = judges[1]
    client.force_login(judge)
    url = reverse("judging:access_needs")
    page = client.get(url).content.decode()
    assert [label for _, label in AccessNeed.choices][0] in page
    refused = client.post(url, {"kinds": ["teleport"], "details": ""})
    assert refused.status_code == 200
    assert "There is a problem" in refused.content.decode()
    assert refused.context["form"].errors["kinds"] == ["Choose access needs from the list"]
    saved = client.post(
        url, {"kinds": ["easy_read", "supporter"], "details": "My sister Ana comes with me", "share_with_hosts": "on"}
    )
    assert saved["Location"] == reverse("judging:profile")
    profile = JudgeProfile.objects.get(user=judge)
    assert profile.access_need_kinds == ["easy_read", "supporter"]
    assert profile.access_needs == "My sister Ana comes with me"
    assert (profile.share_access_needs_with_admin, profile.share_access_needs_with_hosts) == (False, True)
    summary = client.get(reverse("judging:profile")).content.decode()
    assert "Easy read<br>A supporter with me" in summary
    assert "Stop sharing my access needs" in summary


def test_a_judge_without_a_profile_is_sent_to_complete_it_first(client):
    from accounts.enums import SiteRole

    from ..factories import make_user

    newcomer = make_user(email="new.judge@example.org", roles=[SiteRole.JUDGE])
    client.force_login(newcomer)
    response = client.get(reverse("judging:access_needs"))
    assert response["Location"] == reverse("judging:profile")
    assert client.post(reverse("judging:withdraw_access_consent")).status_code == 404
    with pytest.raises(DomainError, match="Complete your judge profile before recording access needs"):
        record(newcomer)


def test_saving_the_profile_keeps_the_access_needs(client, judges):
    judge = judges[1]
    record(judge)
    client.force_login(judge)
    client.post(reverse("judging:profile"), {"sector_background": "private", "lived_experience": "uses_services"})
    profile = JudgeProfile.objects.get(user=judge)
    assert profile.access_needs == "Breaks every hour"
    assert profile.share_access_needs_with_admin is True
