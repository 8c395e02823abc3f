"""Leaders' records stay true: no duplicates, withdrawals, the verified-only portfolio PDF, appointments."""

from datetime import date, timedelta

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from core.errors import DomainError
from leaders import compliance
from leaders import domain as leaders
from leaders.models import Completion, DassAppointment

from ..factories import make_user

pytestmark = pytest.mark.django_db


def test_the_same_course_and_day_cannot_be_on_the_record_twice(social, staff, client):
    leader = make_user(email="twice@example.org")
    first = leaders.record_completion(leader, course=social, completed_on=date(2021, 1, 1))
    with pytest.raises(DomainError, match="already recorded Directors' leadership programme completed on 1 Jan"):
        leaders.record_completion(leader, course=social, completed_on=date(2021, 1, 1))
    # Another day, or another person, is another completion.
    leaders.record_completion(leader, course=social, completed_on=date(2021, 1, 2))
    leaders.record_completion(make_user(email="other@example.org"), course=social, completed_on=date(2021, 1, 1))
    # A course described by hand is the same course whatever its capitals and spaces.
    leaders.record_completion(
        leader, course_title="Coaching for Leaders", provider_name="Acme", completed_on=date(2021, 5, 1)
    )
    with pytest.raises(DomainError, match="already recorded Coaching for Leaders"):
        leaders.record_completion(
            leader, course_title=" coaching for leaders ", provider_name="ACME", completed_on=date(2021, 5, 1)
        )
    # A rejected record does not stand in the way of a new one.
    leaders.reject_completion(staff, first, reason="Certificate unreadable")
    again = leaders.record_completion(leader, course=social, completed_on=date(2021, 1, 1))
    assert again.state == "self_declared"
    # The form shows the refusal as an error, keeping what was typed.
    client.force_login(leader)
    response = client.post(reverse("leaders:completion_new"), {"course": social.pk, "completed_on": "2021-01-01"})
    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [
        "You have already recorded Directors' leadership programme completed on 1 January 2021 "
        "(waiting for verification). To change a verified record, use “Correct”."
    ]
    assert response.context["form"].data["completed_on"] == "2021-01-01"
    assert Completion.objects.filter(leader=leader, course=social, completed_on=date(2021, 1, 1)).count() == 2


def test_a_duplicate_already_in_the_records_cannot_be_verified_too(social, staff):
    leader = make_user(email="legacy@example.org")
    # Recorded twice before duplicates were refused.
    one, two = (
        Completion.objects.create(leader=leader, course=social, completed_on=date(2021, 1, 1)) for _ in range(2)
    )
    leaders.verify_completion(staff, one)
    with pytest.raises(DomainError, match="already verified for this leader: reject this record as a duplicate"):
        leaders.verify_completion(staff, two)
    leaders.reject_completion(staff, two, reason="Duplicate")
    assert list(Completion.objects.filter(leader=leader).values_list("state", flat=True).order_by("pk")) == [
        "verified",
        "rejected",
    ]


def test_a_correction_may_repeat_the_course_and_day_and_a_rejected_one_can_be_sent_again(social, staff):
    leader = make_user(email="fixer@example.org")
    original = leaders.record_completion(leader, course=social, completed_on=date(2021, 1, 1))
    leaders.verify_completion(staff, original)
    correction = leaders.record_completion(leader, course=social, completed_on=date(2021, 1, 1), supersedes=original)
    with pytest.raises(DomainError, match="already waiting for verification: withdraw it to send another"):
        leaders.record_completion(leader, course=social, completed_on=date(2021, 1, 3), supersedes=original)
    leaders.reject_completion(staff, correction, reason="Same as before")
    second = leaders.record_completion(leader, course=social, completed_on=date(2021, 1, 3), supersedes=original)
    leaders.verify_completion(staff, second)
    original.refresh_from_db()
    assert (original.state, list(original.corrections.values_list("state", flat=True).order_by("pk"))) == (
        "superseded",
        ["rejected", "verified"],
    )


def test_a_pending_completion_is_withdrawn_by_its_leader_and_leaves_the_queues(council, social, staff, client):
    from accounts.models import AuditEvent

    leader = make_user(email="withdrawer@example.org")
    leaders.record_appointment(
        staff, leader, local_authority=council, appointed_on=date(2020, 6, 1), kind="substantive"
    )
    completion = leaders.record_completion(leader, course=social, completed_on=date(2021, 1, 1))
    appointment = DassAppointment.objects.get(leader=leader)
    assert appointment.qualifying_completion_id == completion.pk
    with pytest.raises(PermissionDenied):
        leaders.withdraw_completion(staff, completion)

    client.force_login(leader)
    portfolio = client.get(reverse("leaders:portfolio")).content.decode()
    assert reverse("leaders:completion_withdraw", args=[completion.pk]) in portfolio
    confirm = client.get(reverse("leaders:completion_withdraw", args=[completion.pk]))
    assert confirm.status_code == 200
    assert "Withdraw this completion?" in confirm.content.decode()
    response = client.post(reverse("leaders:completion_withdraw", args=[completion.pk]))
    assert response.headers["Location"] == reverse("leaders:portfolio")

    completion.refresh_from_db()
    appointment.refresh_from_db()
    assert (completion.state, completion.decided_by, appointment.qualifying_completion_id) == (
        "withdrawn",
        leader,
        None,
    )
    assert list(leaders.completions_to_verify(staff)) == []
    event = AuditEvent.objects.get(action="completion.withdrawn")
    assert (event.actor, event.before, event.after) == (leader, {"state": "self_declared"}, {"state": "withdrawn"})
    with pytest.raises(DomainError, match="The leader has withdrawn this completion"):
        leaders.verify_completion(staff, completion)
    with pytest.raises(DomainError, match="This completion is withdrawn by you: it can no longer be withdrawn"):
        leaders.withdraw_completion(leader, completion)
    # A verified completion is corrected, not withdrawn.
    verified = leaders.record_completion(leader, course=social, completed_on=date(2021, 2, 1))
    leaders.verify_completion(staff, verified)
    with pytest.raises(DomainError, match="This completion is verified: it can no longer be withdrawn"):
        leaders.withdraw_completion(leader, verified)
    # Withdrawn, the course and day can be recorded again.
    leaders.record_completion(leader, course=social, completed_on=date(2021, 1, 1))


def test_the_portfolio_pdf_lists_verified_completions_with_a_link_that_checks_them_today(
    not_social, social, staff, client
):
    leader = make_user(email="pdf@example.org", full_name="Sam Patel")
    verified = leaders.record_completion(leader, course=social, completed_on=date(2021, 1, 1))
    leaders.verify_completion(staff, verified)
    rejected = leaders.record_completion(leader, course=social, completed_on=date(2021, 2, 1))
    leaders.reject_completion(staff, rejected, reason="No certificate")
    leaders.record_completion(leader, course=not_social, completed_on=date(2021, 3, 1))
    client.force_login(leader)
    # The signed token carries its signing second, so both are made at one frozen instant.
    with time_machine.travel(date(2026, 12, 3), tick=False):
        pdf = client.get(reverse("leaders:portfolio_pdf"))
        check_path = reverse("leaders:check", args=[leaders.check_token(verified)])
    assert pdf.content.startswith(b"%PDF")
    listed = pdf.context["completions"]
    assert [(c.pk, c.check_url) for c in listed] == [(verified.pk, "http://testserver" + check_path)]

    client.logout()
    check = client.get(check_path)
    assert (check.context["label"], check.headers["X-Robots-Tag"]) == ("Verified", "noindex")
    assert "Sam Patel" in check.content.decode()
    # Corrected later: the same printed link now says the record was replaced.
    correction = leaders.record_completion(leader, course=social, completed_on=date(2021, 1, 4), supersedes=verified)
    leaders.verify_completion(staff, correction)
    check = client.get(check_path)
    assert check.context["label"] == "Replaced"
    assert check.context["explanation"].startswith("Replaced by a corrected record on ")
    # A made-up or altered token names nothing.
    assert client.get(reverse("leaders:check", args=[str(verified.pk)])).status_code == 404
    assert client.get(check_path.replace(":", "x", 1)).status_code == 404


def test_staff_change_and_end_appointments_with_the_reason_in_the_audit_log(council, staff, client):
    from accounts.models import AuditEvent

    leader = make_user(email="director@example.org")
    appointment = leaders.record_appointment(
        leader, leader, local_authority=council, appointed_on=date(2021, 4, 1), kind="substantive"
    )
    assert appointment.deadline == date(2024, 4, 1)
    with pytest.raises(PermissionDenied):
        leaders.change_appointment(
            leader,
            appointment,
            local_authority=council,
            appointed_on=date(2021, 5, 1),
            kind="substantive",
            reason="Wrong date",
        )
    client.force_login(staff)
    url = reverse("leaders:appointment_change", args=[appointment.pk])
    form = client.get(url).context["form"]
    assert form.initial == {
        "local_authority": council,
        "appointed_on": date(2021, 4, 1),
        "ended_on": None,
        "kind": "substantive",
    }
    fields = {"local_authority": council.pk, "appointed_on": "2021-05-01", "kind": "substantive"}
    missing_reason = client.post(url, fields)
    assert missing_reason.context["form"].errors == {"reason": ["Give the reason for the change"]}
    response = client.post(url, {**fields, "reason": "Start date was 1 May (council letter)"})
    assert response.headers["Location"] == reverse("leaders:dashboard")
    appointment.refresh_from_db()
    assert (appointment.appointed_on, appointment.deadline) == (date(2021, 5, 1), date(2024, 5, 1))
    changed = AuditEvent.objects.get(action="dass.appointment_changed")
    assert (changed.actor, changed.before["appointed_on"], changed.after["appointed_on"], changed.reason) == (
        staff,
        "2021-04-01",
        "2021-05-01",
        "Start date was 1 May (council letter)",
    )
    unchanged = client.post(url, {**fields, "reason": "Again"})
    assert unchanged.context["form"].non_field_errors() == ["Nothing has changed"]
    ended = client.post(url, {**fields, "ended_on": "2023-03-31", "reason": "Left the post"})
    assert ended.status_code == 302
    appointment.refresh_from_db()
    assert appointment.ended_on == date(2023, 3, 31)
    assert AuditEvent.objects.get(action="dass.appointment_ended").after["ended_on"] == "2023-03-31"
    backwards = client.post(url, {**fields, "ended_on": "2020-01-01", "reason": "Typo"})
    assert backwards.context["form"].non_field_errors() == ["The appointment must end after it starts"]


def test_an_authority_with_two_current_substantive_directors_is_flagged(council, staff, client):
    today = date(2026, 12, 3)
    first, second, cover = (make_user(email=f"dass-{n}@example.org", full_name=n) for n in ("Ann", "Bea", "Cy"))
    leaders.record_appointment(staff, first, local_authority=council, appointed_on=date(2020, 1, 1), kind="substantive")
    leaders.record_appointment(staff, cover, local_authority=council, appointed_on=date(2026, 1, 1), kind="interim")
    # An interim director covering alongside is not two directors.
    assert compliance.authorities_with_two_directors(today) == []
    # Someone starting next month is not yet in post.
    leaders.record_appointment(
        staff, second, local_authority=council, appointed_on=date(2027, 1, 1), kind="substantive"
    )
    assert compliance.authorities_with_two_directors(today) == []
    appointment = DassAppointment.objects.get(leader=second)
    leaders.change_appointment(
        staff,
        appointment,
        local_authority=council,
        appointed_on=date(2026, 11, 1),
        kind="substantive",
        reason="Started early",
    )
    flagged = compliance.authorities_with_two_directors(today)
    assert [(f["authority"], [a.leader.full_name for a in f["appointments"]]) for f in flagged] == [
        (council, ["Ann", "Bea"])
    ]
    with time_machine.travel(date(2026, 12, 3), tick=False):
        client.force_login(staff)
        page = client.get(reverse("leaders:dashboard"))
        assert len(page.context["two_directors"]) == 1
        assert "1 local authority has more than one current substantive director" in page.content.decode()
        # Ending the first appointment today: today is still the last day in post.
        first_appointment = DassAppointment.objects.get(leader=first)
        leaders.end_appointment(staff, first_appointment, ended_on=today)
        assert len(compliance.authorities_with_two_directors(today)) == 1
        assert compliance.authorities_with_two_directors(today + timedelta(days=1)) == []
        leaders.end_appointment(staff, first_appointment, ended_on=date(2026, 11, 30), reason="Left")
        assert client.get(reverse("leaders:dashboard")).context["two_directors"] == []


def test_a_date_being_changed_is_shown_in_the_form_as_the_browser_reads_it(council, staff, client):
    leader = make_user(email="dates@example.org")
    appointment = leaders.record_appointment(
        leader, leader, local_authority=council, appointed_on=date(2021, 4, 1), kind="substantive"
    )
    client.force_login(staff)
    page = client.get(reverse("leaders:appointment_change", args=[appointment.pk])).content.decode()
    assert 'type="date" name="appointed_on" value="2021-04-01"' in page


def test_recording_a_second_current_director_warns_at_once(council, staff, client):
    first = make_user(email="ann@example.org", full_name="Ann Lee")
    leaders.record_appointment(staff, first, local_authority=council, appointed_on=date(2020, 1, 1), kind="substantive")
    make_user(email="bea@example.org", full_name="Bea Khan")
    client.force_login(staff)
    response = client.post(
        reverse("leaders:appointment_new"),
        {
            "local_authority": council.pk,
            "appointed_on": "2024-01-01",
            "kind": "substantive",
            "email": "bea@example.org",
        },
        follow=True,
    )
    assert [str(m) for m in response.context["messages"]] == [
        "The appointment has been recorded.",
        "Northshire County Council now has 2 current substantive directors (Ann Lee and Bea Khan). "
        "If one has left, the academy ends that appointment.",
    ]
