"""Each reminder kind: right recipients at each milestone, none at the wrong
time or for finished objects, catch-up after a missed day, nothing stale."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from accounts.enums import OrganisationKind
from accreditation import reminders as accreditation_reminders
from accreditation.models import Condition
from awards import reminders as awards_reminders
from awards.models import Nomination
from judging import domain as judging_domain
from judging import reminders as judging_reminders
from judging.models import Assignment
from leaders import domain as leaders
from leaders import reminders as leaders_reminders
from notifications.models import Reminder
from notifications.reminders import due_milestone, month_milestones, months_before

from ..conftest import count_queries
from ..factories import (
    OrganisationFactory,
    make_category,
    make_course,
    make_course_provider,
    make_cycle,
    make_eligible,
    make_judge,
    make_nomination,
    make_panel,
    make_provider,
    make_user,
)
from ..leaders.helpers import accredit_course

pytestmark = pytest.mark.django_db
LONDON = ZoneInfo("Europe/London")


def at(day: date, hour=9):
    return datetime(day.year, day.month, day.day, hour, 0, tzinfo=LONDON)


def sent_to():
    return sorted(m.to[0] for m in mail.outbox)


def test_milestone_arithmetic():
    assert months_before(date(2027, 3, 31), 1) == date(2027, 2, 28)
    assert months_before(date(2027, 1, 15), 12) == date(2026, 1, 15)
    milestones = month_milestones(date(2027, 6, 30), [6, 3, 1])
    assert due_milestone(date(2027, 6, 30), milestones, date(2027, 3, 30), 14).label == "3m"
    assert due_milestone(date(2027, 6, 30), milestones, date(2027, 1, 5), 14).label == "6m"
    assert due_milestone(date(2027, 6, 30), milestones, date(2027, 4, 20), 14) is None


# Nomination close -------------------------------------------------------------------------------

CLOSE = datetime(2027, 3, 1, 17, 0, tzinfo=LONDON)


@pytest.fixture
def drafts(run_on_commit):
    cycle = make_cycle(opens=CLOSE - timedelta(days=60), closes=CLOSE)
    category = make_category(cycle)
    owner, organisation = make_provider("Riverside Care", email="owner@riverside.example")
    colleague = make_user(email="colleague@riverside.example", organisation=organisation)
    draft = make_nomination(category, organisation, colleague, complete=False)
    withdrawn = make_nomination(category, organisation, colleague, complete=False, state="withdrawn")
    submitted = make_nomination(category, organisation, colleague, complete=False, state="submitted")
    return draft, withdrawn, submitted


def sweep_close(day, run_on_commit, hour=9):
    with run_on_commit(), time_machine.travel(at(day, hour), tick=False):
        return awards_reminders.sweep_nomination_close()


def test_nomination_close_milestones_go_to_drafters_only(drafts, run_on_commit):
    draft, *_ = drafts
    assert sweep_close(date(2027, 2, 14), run_on_commit) == 0  # 15 days before: too early
    assert sweep_close(date(2027, 2, 15), run_on_commit) == 2  # 14 days before
    assert sent_to() == ["colleague@riverside.example", "owner@riverside.example"]
    assert sweep_close(date(2027, 2, 15), run_on_commit, hour=15) == 0  # the same milestone again: nothing
    assert sweep_close(date(2027, 2, 26), run_on_commit) == 2  # 3 days before
    assert sweep_close(date(2027, 2, 28), run_on_commit) == 2  # 1 day before
    assert sweep_close(date(2027, 3, 2), run_on_commit) == 0  # after the close
    assert set(Reminder.objects.values_list("object_id", flat=True)) == {draft.pk}
    assert sorted(Reminder.objects.values_list("milestone", flat=True)) == ["14d", "14d", "1d", "1d", "3d", "3d"]


def test_a_missed_day_catches_up_but_a_stale_milestone_is_skipped(drafts, run_on_commit):
    assert sweep_close(date(2027, 2, 17), run_on_commit) == 2  # 14-day milestone, two days late
    assert Reminder.objects.filter(milestone="14d").count() == 2
    mail.outbox.clear()
    assert sweep_close(date(2027, 2, 20), run_on_commit) == 0  # 5 days after 14d: outside the window


def test_an_extension_moves_the_milestones(drafts, run_on_commit, awards_admin):
    draft, *_ = drafts
    from awards import domain

    with time_machine.travel(at(date(2027, 2, 20)), tick=False):
        domain.grant_extension(awards_admin, draft, until=CLOSE + timedelta(days=10), reason="Illness")
    mail.outbox.clear()
    # 28 February was 1 day before the old close; for the new close (11 March)
    # it is within the 14-day milestone's catch-up window.
    assert sweep_close(date(2027, 2, 28), run_on_commit) == 2
    assert set(Reminder.objects.values_list("milestone", flat=True)) == {"14d"}
    assert sweep_close(date(2027, 3, 10), run_on_commit) == 2  # 1 day before the extended close
    assert set(Reminder.objects.values_list("milestone", flat=True)) == {"14d", "1d"}


def test_submitting_stops_the_reminders(drafts, run_on_commit):
    draft, *_ = drafts
    Nomination.objects.filter(pk=draft.pk).update(state="submitted")
    assert sweep_close(date(2027, 2, 15), run_on_commit) == 0


# Scoring and visits --------------------------------------------------------------------------------


@pytest.fixture
def judged(awards_admin):
    cycle = make_cycle(opens=CLOSE - timedelta(days=60), closes=CLOSE)
    category = make_category(cycle)
    judges = [
        make_judge("chair@panel.example", sector="public"),
        make_judge("j2@panel.example", sector="private", lived="uses_services"),
        make_judge("j3@panel.example", sector="voluntary"),
    ]
    make_panel(category, judges)
    nomination = make_eligible(category, 1)[0]
    judging_domain.auto_assign(awards_admin, category)
    return cycle, nomination, judges


def test_scoring_reminders_and_overdue_notice_to_chair(judged, run_on_commit):
    cycle, nomination, judges = judged
    deadline = timezone.localdate(cycle.scoring_deadline)
    done = Assignment.objects.get(nomination=nomination, judge=judges[2])
    Assignment.objects.filter(pk=done.pk).update(submitted_at=timezone.now())
    with run_on_commit(), time_machine.travel(at(deadline - timedelta(days=7)), tick=False):
        assert judging_reminders.sweep_scoring_deadline() == 2
    assert sent_to() == ["chair@panel.example", "j2@panel.example"]
    mail.outbox.clear()
    with run_on_commit(), time_machine.travel(at(deadline - timedelta(days=3)), tick=False):
        assert judging_reminders.sweep_scoring_deadline() == 0
    with run_on_commit(), time_machine.travel(cycle.scoring_deadline + timedelta(hours=2), tick=False):
        assert judging_reminders.sweep_scoring_deadline() == 2  # one notice per unsubmitted assignment
    assert sent_to() == ["chair@panel.example", "chair@panel.example"]
    assert all("Overdue scores" in m.subject for m in mail.outbox)


def test_site_visit_reminders_to_judges_and_provider_with_invitation(judged, run_on_commit, awards_admin):
    cycle, nomination, judges = judged
    Nomination.objects.filter(pk=nomination.pk).update(state="shortlisted")
    start = at(date(2027, 5, 20), 10)
    # Inside the cycle's site-visit window.
    cycle.site_visits_start, cycle.site_visits_end = start - timedelta(days=10), start + timedelta(days=10)
    cycle.final_panel, cycle.winners_announced = start + timedelta(days=20), start + timedelta(days=30)
    cycle.save()
    visit = judging_domain.schedule_visit(
        awards_admin,
        nomination,
        judges[:2],
        starts_at=start,
        ends_at=start + timedelta(hours=2),
        address="1 Road",
        access_notes="",
        provider_contact_name="Jo",
        provider_contact_email="jo@provider.example",
        provider_contact_phone="",
    )
    with run_on_commit(), time_machine.travel(at(date(2027, 5, 12)), tick=False):
        assert judging_reminders.sweep_site_visits() == 0
    with run_on_commit(), time_machine.travel(at(date(2027, 5, 13)), tick=False):
        assert judging_reminders.sweep_site_visits() == 3
    assert sent_to() == ["chair@panel.example", "j2@panel.example", "jo@provider.example"]
    assert mail.outbox[0].attachments[0][0] == "site-visit.ics"
    judging_domain.cancel_visit(awards_admin, visit, reason="Outbreak")
    mail.outbox.clear()
    with run_on_commit(), time_machine.travel(at(date(2027, 5, 19)), tick=False):
        assert judging_reminders.sweep_site_visits() == 0  # cancelled visits get none


# Accreditation, conditions, DASS, verification ------------------------------------------------------


@pytest.fixture
def provider_course(academy_staff):
    admin, provider = make_course_provider(email="admin@llp.example")
    course = make_course(provider)
    return admin, provider, course


def test_accreditation_expiry_reminders_and_renewal_silences_them(provider_course, academy_staff, run_on_commit):
    _, _, course = provider_course
    accredit_course(course, date(2024, 7, 1), date(2027, 6, 30), academy_staff)
    for day, expected in [
        (date(2026, 12, 29), 0),
        (date(2026, 12, 30), 1),
        (date(2027, 3, 30), 1),
        (date(2027, 5, 30), 1),
        (date(2027, 6, 15), 0),
        (date(2027, 7, 1), 1),
        (date(2027, 7, 20), 0),
    ]:
        with run_on_commit(), time_machine.travel(at(day), tick=False):
            assert accreditation_reminders.sweep_accreditation_expiry() == expected, day
    assert list(Reminder.objects.order_by("created_at").values_list("milestone", flat=True)) == [
        "6m",
        "3m",
        "1m",
        "expired",
    ]
    assert sent_to() == ["admin@llp.example"] * 4
    other = make_course(course.provider, "Renewed course")
    accredit_course(other, date(2024, 7, 1), date(2027, 6, 30), academy_staff)
    accredit_course(other, date(2027, 7, 1), date(2030, 6, 30), academy_staff)
    with run_on_commit(), time_machine.travel(at(date(2027, 3, 30)), tick=False):
        assert accreditation_reminders.sweep_accreditation_expiry() == 0


def test_condition_due_and_overdue(provider_course, academy_staff, run_on_commit):
    _, _, course = provider_course
    accreditation = accredit_course(course, date(2026, 1, 1), date(2028, 12, 31), academy_staff)
    Condition.objects.create(accreditation=accreditation, text="Publish the evaluation", due_on=date(2027, 3, 31))
    met = Condition.objects.create(
        accreditation=accreditation, text="Met already", due_on=date(2027, 3, 31), state="met"
    )
    for day, expected in [
        (date(2027, 3, 16), 0),
        (date(2027, 3, 17), 1),
        (date(2027, 3, 31), 0),
        (date(2027, 4, 1), 1),
        (date(2027, 4, 2), 0),
    ]:
        with run_on_commit(), time_machine.travel(at(day), tick=False):
            assert accreditation_reminders.sweep_conditions() == expected, day
    assert not Reminder.objects.filter(object_id=met.pk, kind="condition_due").exists()


@pytest.fixture
def council():
    organisation = OrganisationFactory(name="Northshire County Council", sector="public", region="east_midlands")
    organisation.kinds = [OrganisationKind.LOCAL_AUTHORITY]
    organisation.save()
    return organisation


def test_dass_deadline_reminders_and_overdue_escalation(council, academy_staff, run_on_commit):
    leader = make_user(email="director@northshire.example")
    done = make_user(email="done@northshire.example")
    leaders.record_appointment(
        academy_staff, leader, local_authority=council, appointed_on=date(2024, 9, 1), kind="substantive"
    )
    leaders.record_appointment(
        academy_staff, done, local_authority=council, appointed_on=date(2024, 9, 1), kind="substantive"
    )
    _, provider = make_course_provider()
    course = make_course(provider)
    accredit_course(course, date(2024, 1, 1), date(2027, 12, 31), academy_staff)
    leaders.record_completion(done, course=course, completed_on=date(2025, 1, 10), today=date(2025, 2, 1))
    for day, expected in [
        (date(2026, 8, 31), 0),
        (date(2026, 9, 1), 1),
        (date(2027, 3, 1), 1),
        (date(2027, 6, 1), 1),
        (date(2027, 8, 1), 1),
        (date(2027, 8, 2), 0),
    ]:
        with run_on_commit(), time_machine.travel(at(day), tick=False):
            assert leaders_reminders.sweep_dass_deadlines() == expected, day
    assert sent_to() == ["director@northshire.example"] * 4
    mail.outbox.clear()
    with run_on_commit(), time_machine.travel(at(date(2027, 9, 2)), tick=False):
        assert leaders_reminders.sweep_dass_deadlines() == 1
        assert leaders_reminders.sweep_dass_deadlines() == 0
    assert sent_to() == ["academy@example.org"]
    assert "director@northshire.example" in mail.outbox[0].body


def test_dass_sweep_queries_do_not_grow_with_the_reminders_it_sends(council, academy_staff, run_on_commit, monkeypatch):
    """Reminders are written in batches: a batch's queries do not depend on its size."""
    from notifications import reminders as ledger

    def appoint(count, start):
        for n in range(start, start + count):
            person = make_user(email=f"director{n}@example.org")
            leaders.record_appointment(
                academy_staff, person, local_authority=council, appointed_on=date(2024, 9, 1), kind="substantive"
            )

    def sweep():
        with run_on_commit(), time_machine.travel(at(date(2026, 9, 1)), tick=False):
            return count_queries(lambda: sent.append(leaders_reminders.sweep_dass_deadlines()))

    sent = []
    appoint(2, 0)
    few = sweep()
    from notifications.models import Reminder

    Reminder.objects.all().delete()
    appoint(28, 2)
    monkeypatch.setattr(ledger, "SEND_BATCH", 1000)
    many = sweep()
    assert sent == [2, 30]
    assert few == many
    assert sorted(set(sent_to())) == sorted(f"director{n}@example.org" for n in range(30))
    # Several batches send each reminder once.
    Reminder.objects.all().delete()
    mail.outbox.clear()
    monkeypatch.setattr(ledger, "SEND_BATCH", 7)
    sweep()
    assert sent[-1] == 30 and len(mail.outbox) == 30 and Reminder.objects.count() == 30


def test_verification_digest_once_a_day(provider_course, academy_staff, run_on_commit):
    admin, _, course = provider_course
    leader = make_user(email="waiting@example.org")
    with time_machine.travel(at(date(2027, 1, 1)), tick=False):
        leaders.record_completion(leader, course=course, completed_on=date(2026, 12, 1))
    with run_on_commit(), time_machine.travel(at(date(2027, 1, 14)), tick=False):
        assert leaders_reminders.sweep_verification_digest() == 0  # 13 days: not yet
    with run_on_commit(), time_machine.travel(at(date(2027, 1, 16)), tick=False):
        assert leaders_reminders.sweep_verification_digest() == 2
        assert leaders_reminders.sweep_verification_digest() == 0
    assert sent_to() == ["academy@example.org", "admin@llp.example"]
    with run_on_commit(), time_machine.travel(at(date(2027, 1, 17)), tick=False):
        assert leaders_reminders.sweep_verification_digest() == 2  # the next day's digest


def test_people_see_their_own_reminders(client, drafts, run_on_commit):
    sweep_close(date(2027, 2, 15), run_on_commit)
    from accounts.models import User

    owner = User.objects.get(email="owner@riverside.example")
    client.force_login(owner)
    from django.urls import reverse

    page = client.get(reverse("notifications:mine"))
    assert [r.recipient_email for r in page.context["page"]] == ["owner@riverside.example"]
    assert client.get(reverse("notifications:ledger")).status_code == 403


def test_staff_ledger_filters_and_resends_failed(client, drafts, run_on_commit, awards_admin):
    from django.urls import reverse

    from notifications.models import OutboundEmail

    sweep_close(date(2027, 2, 15), run_on_commit)
    email = OutboundEmail.objects.filter(to="owner@riverside.example").first()
    OutboundEmail.objects.filter(pk=email.pk).update(state="failed", attempts=5)
    client.force_login(awards_admin)
    page = client.get(reverse("notifications:ledger"), {"state": "failed"})
    assert [r.recipient_email for r in page.context["page"]] == ["owner@riverside.example"]
    mail.outbox.clear()
    with run_on_commit():
        client.post(reverse("notifications:resend", args=[email.pk]))
    email.refresh_from_db()
    assert (email.state, email.attempts) == ("sent", 1)
    assert sent_to() == ["owner@riverside.example"]
