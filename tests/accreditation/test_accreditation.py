"""Accreditation: applications with rounds, decisions, conditions, renewal
without a gap, suspension, withdrawal, expiry, and 'accredited on date D'."""

from datetime import date, timedelta

import pytest
import time_machine
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from accreditation import domain
from accreditation.models import Accreditation, Application, Criterion, Period
from core.errors import DomainError
from courses.models import Course

from ..factories import MINIMAL_PDF, make_accreditation_people, make_course, make_course_provider, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup():
    return make_accreditation_people()


def answer_all(user, application):
    domain.save_answers(user, application, {c.pk: f"How we meet {c.title}" for c in Criterion.objects.all()})


def assess_all(assessor, application, outcome="met"):
    domain.record_assessment(assessor, application, {c.pk: (outcome, "Seen") for c in Criterion.objects.all()})


def accredit(s, *, renews=False, on=None, conditions=()):
    application = domain.start_application(s["user"], s["course"])
    answer_all(s["user"], application)
    domain.submit_application(s["user"], application)
    domain.assign_assessor(s["other_staff"], application, s["assessor"])
    assess_all(s["assessor"], application)
    decision = "conditions" if conditions else "accredited"
    domain.decide(s["assessor"], application, decision=decision, valid_from=on, conditions=conditions)
    return Accreditation.objects.get(application=application)


def test_returned_twice_keeps_every_round_then_accredited(setup, run_on_commit):
    s = setup
    application = domain.start_application(s["user"], s["course"])
    with pytest.raises(DomainError, match="Answer every criterion"):
        domain.submit_application(s["user"], application)
    answer_all(s["user"], application)
    domain.add_evidence(
        s["user"], application, SimpleUploadedFile("handbook.pdf", MINIMAL_PDF), criterion=Criterion.objects.first()
    )
    domain.submit_application(s["user"], application)
    domain.assign_assessor(s["other_staff"], application, s["assessor"])
    with run_on_commit():
        domain.return_application(s["assessor"], application, comments="Add the evaluation report")
    application.refresh_from_db()
    assert application.state == "returned"
    assert "Add the evaluation report" in mail.outbox[-1].body
    domain.save_answers(s["user"], application, {Criterion.objects.first().pk: "Updated with the 2025 report"})
    domain.submit_application(s["user"], application)
    domain.return_application(s["assessor"], application, comments="And the learner feedback")
    domain.submit_application(s["user"], application)
    application.refresh_from_db()
    assert application.round == 3
    rounds = list(application.rounds.order_by("number"))
    assert [r.return_comments for r in rounds] == ["Add the evaluation report", "And the learner feedback", ""]
    first_criterion = str(Criterion.objects.first().pk)
    assert rounds[0].answers[first_criterion]["answer"].startswith("How we meet")
    assert rounds[0].answers[first_criterion]["files"] == ["handbook.pdf"]
    assert rounds[2].answers[first_criterion]["answer"] == "Updated with the 2025 report"

    with pytest.raises(DomainError, match="Record an outcome for every criterion"):
        domain.decide(s["assessor"], application, decision="accredited")
    assess_all(s["assessor"], application)
    with run_on_commit():
        domain.decide(s["assessor"], application, decision="accredited")
    accreditation = Accreditation.objects.get()
    today = timezone.localdate()
    assert (accreditation.valid_from, accreditation.valid_to) == (today, domain.add_years(today, 3))
    assert accreditation.number == f"NSA-{today.year}-{application.pk:05d}"
    letter = mail.outbox[-1]
    assert letter.attachments[0][0] == f"decision-{application.pk}.pdf"
    assert letter.attachments[0][1].startswith(b"%PDF")
    course = Course.objects.get(pk=s["course"].pk)
    assert (course.accreditation_status, course.accreditation_number) == ("accredited", accreditation.number)
    assert course.is_accredited()


def test_only_the_assigned_assessor_decides(setup):
    s = setup
    application = domain.start_application(s["user"], s["course"])
    answer_all(s["user"], application)
    domain.submit_application(s["user"], application)
    domain.assign_assessor(s["other_staff"], application, s["assessor"])
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        domain.record_assessment(s["other_staff"], application, {})
    with pytest.raises(PermissionDenied):
        domain.decide(s["user"], application, decision="accredited")


def test_refusal_needs_reasons(setup):
    s = setup
    application = domain.start_application(s["user"], s["course"])
    answer_all(s["user"], application)
    domain.submit_application(s["user"], application)
    domain.assign_assessor(s["other_staff"], application, s["assessor"])
    assess_all(s["assessor"], application, "not_met")
    with pytest.raises(DomainError, match="Give the reasons"):
        domain.decide(s["assessor"], application, decision="refused")
    domain.decide(s["assessor"], application, decision="refused", reasons="Not designed for social care")
    assert not Accreditation.objects.exists()
    assert Course.objects.get(pk=s["course"].pk).accreditation_status == "none"


def test_conditions_keep_the_course_marked_until_met(setup, client):
    s = setup
    due = timezone.localdate() + timedelta(days=30)
    accreditation = accredit(s, conditions=[("Publish the evaluation", due)])
    course = Course.objects.get(pk=s["course"].pk)
    assert course.accreditation_status == "conditions"
    condition = accreditation.conditions.get()
    client.force_login(s["user"])
    client.post(
        reverse("accreditation:condition_response", args=[condition.pk]),
        {"response": "Published on our website", "file": SimpleUploadedFile("eval.pdf", MINIMAL_PDF)},
    )
    condition.refresh_from_db()
    assert (condition.state, condition.evidence.count()) == ("evidence_submitted", 1)
    domain.mark_condition_met(s["assessor"], condition)
    assert Course.objects.get(pk=s["course"].pk).accreditation_status == "accredited"


def test_renewal_before_expiry_has_no_gap(setup):
    s = setup
    first = accredit(s, on=date(2024, 1, 1))
    assert (first.valid_from, first.valid_to) == (date(2024, 1, 1), date(2026, 12, 31))
    with time_machine.travel(date(2026, 11, 1), tick=False):
        renewal = accredit(s)
    assert (renewal.valid_from, renewal.valid_to) == (date(2027, 1, 1), date(2029, 12, 31))
    assert renewal.application.renews == first
    for day in (date(2026, 12, 31), date(2027, 1, 1), date(2029, 12, 31)):
        assert domain.accredited_on(s["course"], day), day
    assert not domain.accredited_on(s["course"], date(2030, 1, 1))
    with time_machine.travel(date(2026, 11, 1), tick=False):
        domain.sync_course(s["course"])
    course = Course.objects.get(pk=s["course"].pk)
    assert (course.accredited_from, course.accredited_to) == (date(2024, 1, 1), date(2029, 12, 31))


def test_expiry_needs_no_action(setup):
    s = setup
    accredit(s, on=date(2020, 3, 1))
    assert domain.accredited_on(s["course"], date(2023, 2, 28))
    assert not domain.accredited_on(s["course"], date(2023, 3, 1))
    assert not Course.objects.get(pk=s["course"].pk).is_accredited(on=date(2023, 3, 1))


def test_hand_worked_history_survives_suspension_reinstatement_and_withdrawal(setup):
    """Accredited 1 Jan 2025 – 31 Dec 2027; suspended from 1 Jun 2025;
    reinstated 1 Sep 2025; withdrawn from 1 Mar 2026."""
    s = setup
    accreditation = accredit(s, on=date(2025, 1, 1))
    domain.suspend(s["assessor"], accreditation, reason="Complaint under investigation", on=date(2025, 6, 1))
    domain.reinstate(s["assessor"], accreditation, reason="Complaint not upheld", on=date(2025, 9, 1))
    domain.withdraw(s["assessor"], accreditation, reason="Course no longer meets criteria", on=date(2026, 3, 1))
    expected = {
        date(2024, 12, 31): False,
        date(2025, 1, 1): True,
        date(2025, 5, 31): True,
        date(2025, 6, 1): False,
        date(2025, 8, 31): False,
        date(2025, 9, 1): True,
        date(2026, 2, 28): True,
        date(2026, 3, 1): False,
        date(2027, 12, 31): False,
    }
    assert {day: domain.accredited_on(s["course"], day) for day in expected} == expected
    periods = list(Period.objects.filter(course=s["course"]).values_list("status", "starts_on", "ends_on"))
    assert periods == [
        ("active", date(2025, 1, 1), date(2025, 5, 31)),
        ("suspended", date(2025, 6, 1), date(2025, 8, 31)),
        ("active", date(2025, 9, 1), date(2026, 2, 28)),
    ]


def test_suspension_shows_on_the_register(setup, client):
    s = setup
    accreditation = accredit(s)
    domain.suspend(s["assessor"], accreditation, reason="Investigation")
    course = Course.objects.get(pk=s["course"].pk)
    assert (course.accreditation_status, course.is_accredited()) == ("suspended", False)
    page = client.get(reverse("accreditation:verify_number", args=[accreditation.number])).content.decode()
    assert "Suspended" in page and s["course"].title in page


def test_verification_page(setup, client):
    accreditation = accredit(setup)
    page = client.get(reverse("accreditation:verify"), {"number": accreditation.number.lower()}).content.decode()
    assert "Status today" in page and ">Accredited</strong>" in page and "Leadership Learning Partnership" in page
    missing = client.get(reverse("accreditation:verify"), {"number": "NSA-1999-99999"}).content.decode()
    assert "No accreditation has the number NSA-1999-99999" in missing


# Permissions -----------------------------------------------------------------------------------

PAGES = ["accreditation:application", "accreditation:assess", "accreditation:letter"]
EXPECTED = {
    # page: {person: status}
    "accreditation:application": {
        "provider": 200,
        "other_provider": 404,
        "assessor": 200,
        "other_staff": 200,
        "outsider": 404,
    },
    "accreditation:assess": {
        "provider": 403,
        "other_provider": 403,
        "assessor": 200,
        "other_staff": 200,
        "outsider": 403,
    },
    "accreditation:letter": {
        "provider": 200,
        "other_provider": 404,
        "assessor": 200,
        "other_staff": 200,
        "outsider": 404,
    },
}


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("who", ["provider", "other_provider", "assessor", "other_staff", "outsider"])
def test_application_page_access(client, setup, page, who):
    s = setup
    accredit(s)
    application = Application.objects.get()
    people = {
        "provider": s["user"],
        "other_provider": make_course_provider("Other Provider")[0],
        "assessor": s["assessor"],
        "other_staff": s["other_staff"],
        "outsider": make_user(email="o@example.org"),
    }
    client.force_login(people[who])
    assert client.get(reverse(page, args=[application.pk])).status_code == EXPECTED[page][who]


def test_other_provider_cannot_apply_for_a_course_or_download_evidence(client, setup):
    s = setup
    application = domain.start_application(s["user"], s["course"])
    evidence = domain.add_evidence(s["user"], application, SimpleUploadedFile("h.pdf", MINIMAL_PDF))
    other = make_course_provider("Other Provider")[0]
    client.force_login(other)
    assert client.post(reverse("accreditation:start", args=[s["course"].pk])).status_code == 404
    assert client.get(reverse("accreditation:evidence", args=[evidence.pk])).status_code == 404
    client.force_login(s["user"])
    assert client.get(reverse("accreditation:evidence", args=[evidence.pk]))["Content-Disposition"].startswith(
        "attachment"
    )


def test_staff_only_pages(client, setup):
    accreditation = accredit(setup)
    client.force_login(setup["user"])
    assert client.get(reverse("accreditation:staff")).status_code == 403
    assert client.get(reverse("accreditation:status", args=[accreditation.pk])).status_code == 403
    client.force_login(setup["other_staff"])
    assert client.get(reverse("accreditation:staff")).status_code == 200


def test_staff_list_shows_oldest_submissions_first_and_its_queries_do_not_grow(client, setup):
    from ..conftest import count_queries

    def submit(count):
        for _ in range(count):
            application = domain.start_application(setup["user"], make_course(setup["course"].provider))
            answer_all(setup["user"], application)
            domain.submit_application(setup["user"], application)
        accredit(setup)

    client.force_login(setup["assessor"])
    url = reverse("accreditation:staff") + "?state=all"
    with time_machine.travel(timezone.now() - timedelta(days=2)):
        submit(1)
    one = count_queries(lambda: client.get(url))
    submit(6)
    several = count_queries(lambda: client.get(url))
    response = client.get(url)
    submitted = [a.submitted_at for a in response.context["page"]]
    assert len(submitted) == Application.objects.count() == 9
    assert submitted == sorted(submitted)
    assert [a.number for a in response.context["accreditations"]] == list(
        Accreditation.objects.order_by("-valid_from", "-pk").values_list("number", flat=True)
    )
    assert one == several
