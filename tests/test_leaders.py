"""Leaders: completions, the DASS requirement, portfolios and Open Badges credentials."""

import copy
import json
from datetime import date, timedelta
from pathlib import Path

import jsonschema
import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.domain import DomainError
from accounts.enums import OrganisationKind
from accreditation import compliance, credentials, leaders
from accreditation.models import Accreditation, Application, DassAppointment, Period
from courses.models import Completion

from .conftest import count_queries
from .factories import MINIMAL_PDF, OrganisationFactory, make_course, make_course_provider, make_user

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


def test_a_verified_completion_cannot_be_edited_but_can_be_corrected(world):
    leader = make_user(email="corrector@example.org")
    original = leaders.record_completion(leader, course=world["social"], completed_on=date(2021, 1, 1))
    leaders.verify_completion(world["staff"], original)
    with pytest.raises(DomainError, match="already been decided"):
        leaders.reject_completion(world["staff"], original, reason="changed mind")
    correction = leaders.record_completion(
        leader, course=world["social"], completed_on=date(2021, 2, 1), supersedes=original
    )
    leaders.verify_completion(world["staff"], correction)
    original.refresh_from_db()
    assert (original.state, original.completed_on) == ("superseded", date(2021, 1, 1))
    with pytest.raises(DomainError, match="Only a verified completion without a correction"):
        leaders.record_completion(leader, course=world["social"], completed_on=date(2021, 3, 1), supersedes=original)


def test_completion_rules(world):
    leader = make_user(email="rules@example.org")
    with pytest.raises(DomainError, match="Choose a course from the register"):
        leaders.record_completion(leader, completed_on=date(2021, 1, 1), course_title="Something")
    with pytest.raises(DomainError, match="today or in the past"):
        leaders.record_completion(leader, course=world["social"], completed_on=date(2099, 1, 1))
    with pytest.raises(DomainError, match="must be a PDF"):
        leaders.record_completion(
            leader,
            course=world["social"],
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


def test_verification_page_reports_valid_revoked_and_withdrawn(client, credential, world):
    _, completion, issued = credential
    url = reverse("credentials:verify", args=[issued.uuid])
    assert client.get(url, HTTP_ACCEPT="application/json").json()["status"] == "valid"
    accreditation = Accreditation.objects.get(course=world["social"])
    accreditation.state = "withdrawn"
    accreditation.save()
    assert client.get(url, HTTP_ACCEPT="application/json").json()["status"] == "accreditation_withdrawn"
    credentials.revoke(world["staff"], issued, reason="Issued in error")
    assert client.get(url, HTTP_ACCEPT="application/json").json()["status"] == "revoked"
    issued.document["name"] = "Altered"
    issued.save()
    assert client.get(url, HTTP_ACCEPT="application/json").json()["status"] == "invalid"


def test_no_credential_for_unverified_or_unaccredited(world):
    leader = make_user(email="nobadge@example.org")
    waiting = leaders.record_completion(leader, course=world["social"], completed_on=date(2021, 5, 20))
    with pytest.raises(DomainError, match="Credentials are issued for verified completions"):
        credentials.issue(leader, waiting)
    other = leaders.record_completion(leader, course=world["unaccredited"], completed_on=date(2021, 5, 20))
    leaders.verify_completion(world["staff"], other)
    with pytest.raises(DomainError):
        credentials.issue(leader, other)


# Permissions --------------------------------------------------------------------------------------


def test_a_leader_sees_only_their_own_completions_and_certificates(client, world):
    owner = make_user(email="owner@example.org")
    completion = leaders.record_completion(
        owner,
        course=world["social"],
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


def test_course_provider_verifies_only_its_own_courses(client, world):
    leader = make_user(email="learner@example.org")
    own = leaders.record_completion(leader, course=world["social"], completed_on=date(2021, 1, 1))
    other_user, other_provider = make_course_provider("Other Provider")
    foreign_course = make_course(other_provider, "Another provider's course")
    foreign = leaders.record_completion(leader, course=foreign_course, completed_on=date(2021, 1, 1))
    hand = leaders.record_completion(
        leader, course_title="Old course", provider_name="Old college", completed_on=date(2015, 1, 1)
    )
    client.force_login(world["provider_user"])
    queue = client.get(reverse("leaders:verification"))
    assert [c.pk for c in queue.context["page"]] == [own.pk]
    assert client.post(reverse("leaders:decide", args=[foreign.pk]), {"decision": "verify"}).status_code == 404
    assert client.post(reverse("leaders:decide", args=[hand.pk]), {"decision": "verify"}).status_code == 404
    client.post(reverse("leaders:decide", args=[own.pk]), {"decision": "verify"})
    own.refresh_from_db()
    foreign.refresh_from_db()
    assert (own.state, foreign.state) == ("verified", "self_declared")
    assert own.decided_by == world["provider_user"]


def test_dashboard_is_for_academy_staff(client, world):
    client.force_login(world["provider_user"])
    assert client.get(reverse("leaders:dashboard")).status_code == 403


# Query counts --------------------------------------------------------------------------------------


def test_dass_dashboard_counts_follow_every_change(client, world):
    """The dashboard's counts are cached; each change of appointments or
    completions must show at once."""
    awaiting = make_user(email="awaiting@example.org")
    late = make_user(email="late@example.org")
    with time_machine.travel(date(2021, 6, 1)):
        completion = leaders.record_completion(awaiting, course=world["social"], completed_on=date(2021, 5, 1))
    for person, appointed in [(awaiting, date(2021, 1, 4)), (late, date(2021, 1, 4))]:
        leaders.record_appointment(
            world["staff"], person, local_authority=world["council"], appointed_on=appointed, kind="substantive"
        )
    client.force_login(world["staff"])
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
        leaders.verify_completion(world["staff"], completion)
        assert counts() == (2, {"complete_verified": 1, "overdue": 1})
        appointment = DassAppointment.objects.get(leader=late)
        leaders.end_appointment(world["staff"], appointment, ended_on=date(2024, 12, 31))
        assert counts() == (1, {"complete_verified": 1})
        regions = client.get(url).context["regions"]
        assert regions == [("East Midlands", [1, 0, 0, 0, 0])]


def test_dashboard_and_portfolio_query_counts_do_not_grow(client, world):
    leader = make_user(email="many@example.org")

    def add(n, start):
        for i in range(start, start + n):
            person = make_user(email=f"dass{i}@example.org")
            leaders.record_appointment(
                world["staff"],
                person,
                local_authority=world["council"],
                appointed_on=date(2021, 1, 1) + timedelta(days=i),
                kind="substantive",
            )
            completion = leaders.record_completion(
                leader, course=world["social"], completed_on=date(2021, 1, 1), certificate=None
            )
            # Verified, so that the page also works out whether each can have a credential.
            leaders.verify_completion(world["staff"], completion)

    add(1, 0)
    client.force_login(world["staff"])
    dash_one = count_queries(lambda: client.get(reverse("leaders:dashboard")))
    client.force_login(leader)
    port_one = count_queries(lambda: client.get(reverse("leaders:portfolio")))
    add(49, 1)
    client.force_login(world["staff"])
    dash_fifty = count_queries(lambda: client.get(reverse("leaders:dashboard")))
    assert client.get(reverse("leaders:dashboard")).context["total"] == 50
    client.force_login(leader)
    port_fifty = count_queries(lambda: client.get(reverse("leaders:portfolio")))
    assert len(client.get(reverse("leaders:portfolio")).context["completions"]) == 50
    assert (dash_one, port_one) == (dash_fifty, port_fifty)
    assert dash_fifty <= 15 and port_fifty <= 15
