"""Academy staff get a daily email of the applications submitted since the
last one: none on a day with nothing new, each submission in one digest only,
however often the sweep runs."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings
from django.core import mail

from accounts.enums import SiteRole
from accreditation import domain
from accreditation.reminders import NEW_APPLICATIONS, sweep_new_applications
from notifications import registry
from notifications.models import OutboundEmail, Reminder

from ..factories import make_accreditation_people, make_course, make_user
from .test_accreditation import answer_all

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")
MONDAY = datetime(2026, 11, 16, 7, 40, tzinfo=LONDON)


@pytest.fixture
def s():
    return make_accreditation_people()


def submit_on(s, title, when):
    with time_machine.travel(when, tick=False):
        application = domain.start_application(s["user"], make_course(s["course"].provider, title))
        answer_all(s["user"], application)
        domain.submit_application(s["user"], application)
    return application


def digests(after=0):
    """Each recipient's digest queued since the email with id `after`."""
    return {
        email.to: (email.subject, email.text_body)
        for email in OutboundEmail.objects.filter(template=NEW_APPLICATIONS.template, pk__gt=after).order_by("pk")
    }


def last_email_id():
    return OutboundEmail.objects.order_by("pk").values_list("pk", flat=True).last() or 0


def test_the_digest_is_declared_as_a_daily_sweep():
    assert registry.SWEEPS["reminders-new-applications"].run is sweep_new_applications
    assert str(registry.SWEEPS["reminders-new-applications"].schedule) == str(
        registry.SWEEPS["reminders-verification-digest"].schedule
    ).replace("35", "40")
    assert registry.KINDS["new_applications"] == NEW_APPLICATIONS


def test_nothing_is_sent_when_nothing_was_submitted(s):
    domain.start_application(s["user"], s["course"])  # a draft is not news
    assert sweep_new_applications(now=MONDAY) == 0
    assert OutboundEmail.objects.count() == Reminder.objects.count() == 0


def test_each_submission_is_in_one_digest_for_each_member_of_staff(s, run_on_commit):
    first = submit_on(s, "Leading dementia care", MONDAY - timedelta(hours=20))
    second = submit_on(s, "Coaching for managers", MONDAY - timedelta(hours=3))
    submit_on(s, "Submitted after the sweep", MONDAY + timedelta(minutes=5))
    revoked = make_user(email="left@academy.example", roles=[SiteRole.ACADEMY_STAFF])
    revoked.role_grants.update(revoked_at=MONDAY - timedelta(days=30))
    with run_on_commit():
        assert sweep_new_applications(now=MONDAY) == 2
    sent = digests()
    assert sorted(sent) == [s["assessor"].email, s["other_staff"].email]
    subject, body = sent[s["assessor"].email]
    assert subject == f"{settings.SERVICE_NAME}: 2 new accreditation applications to assess"
    assert f"2 accreditation applications have been submitted to the {settings.SERVICE_NAME}" in body
    assert "- Leading dementia care (Leadership Learning Partnership), submitted 15 November 2026: " in body
    assert f"/accreditation/staff/applications/{first.pk}/" in body
    assert f"/accreditation/staff/applications/{second.pk}/" in body
    assert "Submitted after the sweep" not in body
    assert len(mail.outbox) == 2
    assert set(Reminder.objects.values_list("object_id", "milestone")) == {
        (first.pk, "round-1"),
        (second.pk, "round-1"),
    }

    # A second run, or a second worker, at the same moment sends nothing; a
    # later run sends only what was submitted since.
    assert sweep_new_applications(now=MONDAY) == 0
    assert OutboundEmail.objects.count() == 2
    before = last_email_id()
    assert sweep_new_applications(now=MONDAY + timedelta(days=1)) == 2
    subject, body = digests(after=before)[s["assessor"].email]
    assert subject == f"{settings.SERVICE_NAME}: 1 new accreditation application to assess"
    assert "Submitted after the sweep" in body and "Leading dementia care" not in body


def test_the_next_digest_lists_only_what_is_new_including_a_resubmission(s):
    first = submit_on(s, "Leading dementia care", MONDAY - timedelta(hours=20))
    sweep_new_applications(now=MONDAY)
    domain.assign_assessor(s["other_staff"], first, s["assessor"])
    with time_machine.travel(MONDAY + timedelta(hours=3), tick=False):
        domain.return_application(s["assessor"], first, comments="Add the evaluation")
    with time_machine.travel(MONDAY + timedelta(hours=6), tick=False):
        domain.submit_application(s["user"], first)
    later = submit_on(s, "Commissioning well", MONDAY + timedelta(hours=8))

    before = last_email_id()
    assert sweep_new_applications(now=MONDAY + timedelta(days=1)) == 2
    subject, body = digests(after=before)[s["assessor"].email]
    assert subject == f"{settings.SERVICE_NAME}: 2 new accreditation applications to assess"
    assert "Leading dementia care (Leadership Learning Partnership), submitted 16 November 2026, round 2" in body
    assert "Commissioning well (Leadership Learning Partnership), submitted 16 November 2026: " in body
    assert later.pk != first.pk

    before = last_email_id()
    assert sweep_new_applications(now=MONDAY + timedelta(days=2)) == 0
    assert digests(after=before) == {}


def test_a_missed_day_catches_up_but_not_on_old_news(s):
    old = submit_on(s, "Submitted long ago", MONDAY - timedelta(days=10))
    recent = submit_on(s, "Submitted at the weekend", MONDAY - timedelta(days=2))
    assert sweep_new_applications(now=MONDAY) == 2
    body = digests()[s["assessor"].email][1]
    assert "Submitted at the weekend" in body and "Submitted long ago" not in body
    assert not Reminder.objects.filter(object_id=old.pk).exists()
    assert Reminder.objects.filter(object_id=recent.pk).count() == 2
