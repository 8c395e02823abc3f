"""Leaders: completions, the DASS requirement, portfolios and Open Badges credentials."""

import copy
import json
from datetime import date, timedelta
from pathlib import Path

import jsonschema
import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.enums import OrganisationKind
from accreditation.models import Accreditation, Application, Period
from core.errors import DomainError
from leaders import compliance, credentials
from leaders import domain as leaders
from leaders.models import Completion, DassAppointment

from ..conftest import count_queries
from ..factories import MINIMAL_PDF, OrganisationFactory, make_course, make_course_provider, make_user

pytestmark = pytest.mark.django_db
SCHEMAS = Path(__file__).parent / "schemas" / "ob_v3p0"


def accredit_course(course, start, end, staff):
    """An accreditation in force from start to end (inclusive)."""
    application = Application.objects.create(course=course, state="accredited", round=1)
    accreditation = Accreditation.objects.create(
        course=course, application=application, number=f"NSA-T-{application.pk:05d}", valid_from=start, valid_to=end
    )
    Period.objects.create(course=course, accreditation=accreditation, status="active", starts_on=start, ends_on=end)
    return accreditation


@pytest.fixture
def world(academy_staff):
    provider_user, provider = make_course_provider()
    social = make_course(provider, "Directors' leadership programme")
    not_social = make_course(provider, "General management diploma", designed_for_social_care=False)
    unaccredited = make_course(provider, "Unaccredited programme")
    accredit_course(social, date(2020, 1, 1), date(2022, 12, 31), academy_staff)
    accredit_course(not_social, date(2020, 1, 1), date(2030, 12, 31), academy_staff)
    council = OrganisationFactory(name="Northshire County Council", sector="public", region="east_midlands")
    council.kinds = [OrganisationKind.LOCAL_AUTHORITY]
    council.save()
    return {
        "staff": academy_staff,
        "provider_user": provider_user,
        "social": social,
        "not_social": not_social,
        "unaccredited": unaccredited,
        "council": council,
    }


@pytest.fixture
def council(world):
    return world["council"]


@pytest.fixture
def not_social(world):
    return world["not_social"]


@pytest.fixture
def provider_user(world):
    return world["provider_user"]


@pytest.fixture
def social(world):
    return world["social"]


@pytest.fixture
def staff(world):
    return world["staff"]


@pytest.fixture
def unaccredited(world):
    return world["unaccredited"]


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


# Credentials ---------------------------------------------------------------------------------


@pytest.fixture
def credential(world):
    leader = make_user(email="badge@example.org")
    with time_machine.travel(date(2021, 6, 1), tick=False):
        completion = leaders.record_completion(leader, course=world["social"], completed_on=date(2021, 5, 20))
        leaders.verify_completion(world["staff"], completion)
        issued = credentials.issue(leader, completion)
    return leader, completion, issued


def ob_validator():
    schema = json.loads((SCHEMAS / "achievementcredential.json").read_text())
    return jsonschema.Draft201909Validator(schema, format_checker=jsonschema.FormatChecker())


def test_credential_validates_against_the_ob_3_schema(credential):
    _, _, issued = credential
    errors = sorted(ob_validator().iter_errors(issued.document), key=str)
    assert errors == []
    assert issued.document["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    assert issued.document["validFrom"].startswith("2021-06-01")
    subject = issued.document["credentialSubject"]
    assert subject["type"] == ["AchievementSubject"]
    assert subject["achievement"]["name"] == "Directors' leadership programme"
    assert "badge@example.org" not in json.dumps(issued.document)  # only a salted hash of the email


def test_signature_verifies_and_tampering_breaks_it(credential):
    _, _, issued = credential
    assert credentials.verify_signature(issued.document)
    tampered = copy.deepcopy(issued.document)
    tampered["credentialSubject"]["achievement"]["name"] = "Something grander"
    assert not credentials.verify_signature(tampered)
    wrong_date = copy.deepcopy(issued.document)
    wrong_date["validFrom"] = "2030-01-01T00:00:00Z"
    assert not credentials.verify_signature(wrong_date)
    bad_proof = copy.deepcopy(issued.document)
    bad_proof["proof"][0]["proofValue"] = "z" + "1" * 80
    assert not credentials.verify_signature(bad_proof)


def test_verification_page_reports_valid_revoked_and_withdrawn(client, credential, social, staff):
    _, completion, issued = credential
    url = reverse("credentials:verify", args=[issued.uuid])
    assert client.get(url, HTTP_ACCEPT="application/json").json()["status"] == "valid"
    accreditation = Accreditation.objects.get(course=social)
    accreditation.state = "withdrawn"
    accreditation.save()
    assert client.get(url, HTTP_ACCEPT="application/json").json()["status"] == "accreditation_withdrawn"
    credentials.revoke(staff, issued, reason="Issued in error")
    assert client.get(url, HTTP_ACCEPT="application/json").json()["status"] == "revoked"
    issued.document["name"] = "Altered"
    issued.save()
    assert client.get(url, HTTP_ACCEPT="application/json").json()["status"] == "invalid"


def test_no_credential_for_unverified_or_unaccredited(social, staff, unaccredited):
    leader = make_user(email="nobadge@example.org")
    waiting = leaders.record_completion(leader, course=social, completed_on=date(2021, 5, 20))
    with pytest.raises(DomainError, match="Credentials are issued for verified completions"):
        credentials.issue(leader, waiting)
    other = leaders.record_completion(leader, course=unaccredited, completed_on=date(2021, 5, 20))
    leaders.verify_completion(staff, other)
    with pytest.raises(DomainError):
        credentials.issue(leader, other)


# Permissions --------------------------------------------------------------------------------------


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


# Query counts --------------------------------------------------------------------------------------


def test_dass_dashboard_counts_follow_every_change(client, council, social, staff):
    """The dashboard's counts are cached; each change of appointments or
    completions must show at once."""
    awaiting = make_user(email="awaiting@example.org")
    late = make_user(email="late@example.org")
    with time_machine.travel(date(2021, 6, 1)):
        completion = leaders.record_completion(awaiting, course=social, completed_on=date(2021, 5, 1))
    for person, appointed in [(awaiting, date(2021, 1, 4)), (late, date(2021, 1, 4))]:
        leaders.record_appointment(staff, person, local_authority=council, appointed_on=appointed, kind="substantive")
    client.force_login(staff)
    url = reverse("leaders:dashboard")

    def counts(**filters):
        response = client.get(url, filters)
        return response.context["total"], {value: n for value, _, n, _ in response.context["counts"] if n}

    with time_machine.travel(date(2025, 1, 10)):
        assert counts() == (2, {"complete_awaiting": 1, "overdue": 1})
        assert counts(status="overdue") == (1, {"overdue": 1})
        # Unknown values are ignored, not errors (a superscript two is a digit to Python, not to int()).
        assert counts(status="nonsense", region="atlantis", authority="²") == (
            2,
            {"complete_awaiting": 1, "overdue": 1},
        )
        leaders.verify_completion(staff, completion)
        assert counts() == (2, {"complete_verified": 1, "overdue": 1})
        appointment = DassAppointment.objects.get(leader=late)
        leaders.end_appointment(staff, appointment, ended_on=date(2024, 12, 31))
        assert counts() == (1, {"complete_verified": 1})
        regions = client.get(url).context["regions"]
        assert regions == [("East Midlands", [1, 0, 0, 0, 0])]


def test_dashboard_and_portfolio_query_counts_do_not_grow(client, council, social, staff):
    leader = make_user(email="many@example.org")

    def add(n, start):
        for i in range(start, start + n):
            person = make_user(email=f"dass{i}@example.org")
            leaders.record_appointment(
                staff,
                person,
                local_authority=council,
                appointed_on=date(2021, 1, 1) + timedelta(days=i),
                kind="substantive",
            )
            completion = leaders.record_completion(
                leader, course=social, completed_on=date(2021, 1, 1) + timedelta(days=i), certificate=None
            )
            # Verified, so that the page also works out whether each can have a credential.
            leaders.verify_completion(staff, completion)

    add(1, 0)
    client.force_login(staff)
    dash_one = count_queries(lambda: client.get(reverse("leaders:dashboard")))
    client.force_login(leader)
    port_one = count_queries(lambda: client.get(reverse("leaders:portfolio")))
    add(49, 1)
    client.force_login(staff)
    dash_fifty = count_queries(lambda: client.get(reverse("leaders:dashboard")))
    assert client.get(reverse("leaders:dashboard")).context["total"] == 50
    client.force_login(leader)
    port_fifty = count_queries(lambda: client.get(reverse("leaders:portfolio")))
    assert len(client.get(reverse("leaders:portfolio")).context["completions"]) == 50
    assert (dash_one, port_one) == (dash_fifty, port_fifty)
    assert dash_fifty <= 15 and port_fifty <= 15


# Leaders' records stay true: no duplicates, withdrawals, verified-only PDF, appointments ---------


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
