"""The staff list reads each accreditation's standing with the list (one
query) instead of asking Accreditation.standing_on twice for each: the same
standing either way, for every branch of the rule."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accreditation.enums import AccreditationState, ConditionState, Standing
from accreditation.models import Accreditation, Application

from ..conftest import count_queries
from ..factories import make_accreditation_people, make_course
from .test_accreditation import accredit

pytestmark = pytest.mark.django_db


def test_staff_list_standings_equal_the_models_rule_in_a_fixed_number_of_queries(client):
    setup = make_accreditation_people()
    today = timezone.localdate()

    def another(**options):
        return accredit({**setup, "course": make_course(setup["course"].provider)}, **options)

    client.force_login(setup["assessor"])
    url = reverse("accreditation:staff")
    in_force = accredit(setup)
    one = count_queries(lambda: client.get(url))
    with_conditions = another(conditions=[("Publish the evaluation", today + timedelta(days=30))])
    met = another(conditions=[("Send the handbook", today + timedelta(days=30))])
    met.conditions.update(state=ConditionState.MET)
    suspended, withdrawn, not_yet, expired, renewed, renewal = (another() for _ in range(6))
    Accreditation.objects.filter(pk=suspended.pk).update(state=AccreditationState.SUSPENDED)
    Accreditation.objects.filter(pk=withdrawn.pk).update(state=AccreditationState.WITHDRAWN)
    Accreditation.objects.filter(pk=not_yet.pk).update(valid_from=today + timedelta(days=5))
    past = {"valid_from": today - timedelta(days=800), "valid_to": today - timedelta(days=1)}
    Accreditation.objects.filter(pk__in=[expired.pk, renewed.pk]).update(**past)
    Application.objects.filter(pk=renewal.application_id).update(renews=renewed)
    several = count_queries(lambda: client.get(url))

    shown = {a.pk: a.standing for a in client.get(url).context["accreditations"]}
    assert shown == {a.pk: Standing(a.standing_on(today)) for a in Accreditation.objects.all()}
    assert {
        name: shown[a.pk]
        for name, a in [
            ("in force", in_force),
            ("with conditions", with_conditions),
            ("conditions met", met),
            ("suspended", suspended),
            ("withdrawn", withdrawn),
            ("not yet", not_yet),
            ("expired", expired),
            ("renewed", renewed),
        ]
    } == {
        "in force": Standing.IN_FORCE,
        "with conditions": Standing.CONDITIONS,
        "conditions met": Standing.IN_FORCE,
        "suspended": Standing.SUSPENDED,
        "withdrawn": Standing.WITHDRAWN,
        "not yet": Standing.NOT_YET,
        "expired": Standing.EXPIRED,
        "renewed": Standing.RENEWED,
    }
    assert one == several
