"""Schemathesis drives every operation of the schema, anonymously and with
tokens of several roles: no answer is a server error, and every answer
matches what the schema says (status, content type, body). Bounded and
deterministic: few examples, derandomised."""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from accounts.enums import SiteRole

from ..factories import make_course, make_course_provider, make_user
from .conftest import ALL_SCOPES, create_token

pytestmark = pytest.mark.django_db
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


@pytest.fixture(autouse=True)
def _keep_the_test_connection():
    """Calling the WSGI application directly would close the test's database
    connection at the end of each request; Django's test client keeps it the same way."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def generous_limits(settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anonymous": "100000/min", "token": "100000/min"},
    }


def _run(headers=None, examples=12):
    app = get_wsgi_application()
    schema = schemathesis.openapi.from_wsgi("/api/schema/", app)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) == 21
    for operation in operations:

        @given(case=operation.as_strategy())
        @hypothesis_settings(
            max_examples=examples,
            derandomize=True,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def check(case):
            case.call_and_validate(headers=headers, checks=CHECKS)

        check()
    return operations


@pytest.fixture
def register():
    provider_user, provider = make_course_provider()
    for title in ("Leading person-centred care", "Commissioning for outcomes", "Coaching managers"):
        make_course(provider, title)


def test_schemathesis_anonymous(generous_limits, register):
    _run()


@pytest.mark.parametrize("role", [SiteRole.AWARDS_ADMIN, SiteRole.ACADEMY_STAFF, None])
def test_schemathesis_with_a_token(generous_limits, register, role):
    user = make_user(email=f"{role or 'provider'}@example.org", roles=[role] if role else [], mfa=True)
    _, secret = create_token(user, scopes=ALL_SCOPES if role else ["courses:write"])
    _run(headers={"Authorization": f"Bearer {secret}"}, examples=6)


@pytest.fixture
def provider_world(register):
    """A course provider's member with a course, a learner's completion
    waiting for them and an application: the provider endpoints have data."""
    from datetime import date

    from accreditation.models import Application
    from leaders import domain as leaders

    user, organisation = make_course_provider("Cohort Provider Ltd", email="cohort@provider.example", mfa=True)
    course = make_course(organisation, "Leading with compassion")
    learner = make_user(email="learner@example.org")
    leaders.record_completion(learner, course=course, completed_on=date(2026, 6, 1))
    Application.objects.create(course=course, state="draft")
    return user


@pytest.mark.parametrize("scopes", [ALL_SCOPES, ["courses:read", "academy:read"]])
def test_schemathesis_with_a_course_provider_s_token(generous_limits, provider_world, scopes):
    """The provider's endpoints, reading and writing (bulk completions, courses), and a read-only token."""
    _, secret = create_token(provider_world, scopes=scopes)
    _run(headers={"Authorization": f"Bearer {secret}"}, examples=6)
