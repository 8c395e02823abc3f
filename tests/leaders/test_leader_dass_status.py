"""Leaders: the DASS requirement (deadlines and compliance status) and the rules for recording
and correcting completions."""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from core.errors import DomainError
from leaders import compliance
from leaders import domain as leaders
from leaders.models import Completion, DassAppointment

from ..factories import make_user

pytestmark = pytest.mark.django_db


def status_for(world, *, appointed, completions, today, second_appointment=None):
    leader = make_user(email=f"leader{DassAppointment.objects.count()}@example.org")
    for course_key, completed_on, verified in completions:
        completion = leaders.record_completion(
            leader, course=world[course_key], completed_on=completed_on, today=date(2099, 1, 1)
        )
        if verified:
            leaders.verify_completion(world["staff"], completion)
    leaders.record_appointment(
        world["staff"], leader, local_authority=world["council"], appointed_on=appointed, kind="substantive"
    )
    if second_appointment:
        leaders.record_appointment(
            world["staff"], leader, local_authority=world["council"], appointed_on=second_appointment, kind="interim"
        )
    rows = (
        DassAppointment.objects.filter(leader=leader)
        .annotate(status=compliance.status_expression(today))
        .order_by("appointed_on")
    )
    return [(row.deadline, row.status) for row in rows]


# The accredited social-care course is accredited 1 Jan 2020 – 31 Dec 2022.
CASES = [
    (
        "completion before appointment counts",
        date(2022, 6, 1),
        [("social", date(2021, 3, 1), True)],
        date(2023, 1, 1),
        [(date(2025, 6, 1), "complete_verified")],
    ),
    (
        "completion on the deadline day counts",
        date(2019, 12, 31),
        [("social", date(2022, 12, 31), True)],
        date(2023, 6, 1),
        [(date(2022, 12, 31), "complete_verified")],
    ),
    (
        "completion the day after the deadline does not",
        date(2019, 12, 30),
        [("social", date(2022, 12, 31), True)],
        date(2023, 6, 1),
        [(date(2022, 12, 30), "overdue")],
    ),
    (
        "leap-day appointment: deadline 28 February three years on",
        date(2020, 2, 29),
        [],
        date(2023, 2, 28),
        [(date(2023, 2, 28), "due_soon")],
    ),
    (
        "leap-day appointment: overdue from 1 March",
        date(2020, 2, 29),
        [],
        date(2023, 3, 1),
        [(date(2023, 2, 28), "overdue")],
    ),
    (
        "unverified completion is awaiting verification",
        date(2021, 1, 1),
        [("social", date(2021, 6, 1), False)],
        date(2022, 1, 1),
        [(date(2024, 1, 1), "complete_awaiting")],
    ),
    (
        "accreditation lapsing after the completion date still counts",
        date(2022, 1, 1),
        [("social", date(2022, 12, 1), True)],
        date(2026, 1, 1),
        [(date(2025, 1, 1), "complete_verified")],
    ),
    (
        "course not accredited on the completion date does not count",
        date(2023, 1, 1),
        [("social", date(2023, 3, 1), True), ("unaccredited", date(2023, 4, 1), True)],
        date(2023, 6, 1),
        [(date(2026, 1, 1), "on_track")],
    ),
    (
        "course not designed for social care does not count",
        date(2021, 1, 1),
        [("not_social", date(2021, 6, 1), True)],
        date(2025, 6, 1),
        [(date(2024, 1, 1), "overdue")],
    ),
]


@pytest.mark.parametrize(("label", "appointed", "completions", "today", "expected"), CASES, ids=[c[0] for c in CASES])
def test_dass_status(world, label, appointed, completions, today, expected):
    assert status_for(world, appointed=appointed, completions=completions, today=today) == expected


def test_one_completion_satisfies_two_consecutive_appointments(world):
    result = status_for(
        world,
        appointed=date(2020, 6, 1),
        completions=[("social", date(2021, 1, 10), True)],
        today=date(2024, 1, 1),
        second_appointment=date(2023, 9, 1),
    )
    assert result == [(date(2023, 6, 1), "complete_verified"), (date(2026, 9, 1), "complete_verified")]


def test_status_of_matches_the_sql_expression(world):
    today = date(2024, 1, 1)
    for deadline, has, verified in [
        (date(2023, 1, 1), False, False),
        (date(2024, 6, 1), False, False),
        (date(2026, 1, 1), False, False),
        (date(2022, 1, 1), True, True),
        (date(2030, 1, 1), True, False),
    ]:
        expected = compliance.status_of(deadline=deadline, has_completion=has, verified=verified, today=today)
        assert expected in dict(compliance.ComplianceStatus.choices)


def test_a_verified_completion_cannot_be_edited_but_can_be_corrected(social, staff):
    leader = make_user(email="corrector@example.org")
    original = leaders.record_completion(leader, course=social, completed_on=date(2021, 1, 1))
    leaders.verify_completion(staff, original)
    with pytest.raises(DomainError, match="already been decided"):
        leaders.reject_completion(staff, original, reason="changed mind")
    correction = leaders.record_completion(leader, course=social, completed_on=date(2021, 2, 1), supersedes=original)
    leaders.verify_completion(staff, correction)
    original.refresh_from_db()
    assert (original.state, original.completed_on) == ("superseded", date(2021, 1, 1))
    with pytest.raises(DomainError, match="Only a verified completion can be corrected"):
        leaders.record_completion(leader, course=social, completed_on=date(2021, 3, 1), supersedes=original)


def test_completion_rules(social):
    leader = make_user(email="rules@example.org")
    with pytest.raises(DomainError, match="Choose a course from the register"):
        leaders.record_completion(leader, completed_on=date(2021, 1, 1), course_title="Something")
    with pytest.raises(DomainError, match="today or in the past"):
        leaders.record_completion(leader, course=social, completed_on=date(2099, 1, 1))
    with pytest.raises(DomainError, match="must be a PDF"):
        leaders.record_completion(
            leader,
            course=social,
            completed_on=date(2021, 1, 1),
            certificate=SimpleUploadedFile("cert.pdf", b"MZ\x90\x00 not a pdf"),
        )
    assert not Completion.objects.filter(leader=leader).exists()
