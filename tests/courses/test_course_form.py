"""The course form's words: delivery radios without an empty choice, and costs
written as people write them."""

from decimal import Decimal

import pytest
from django.urls import reverse

from courses.forms import CourseForm
from courses.models import Course, FrameworkDomain, FrameworkLevel

from ..factories import make_course_provider

pytestmark = pytest.mark.django_db


def form_data(provider, **overrides):
    return {
        "provider": provider.pk,
        "title": "Leading with compassion",
        "summary": "For team leaders.",
        "levels": [FrameworkLevel.objects.get(slug="practice-leaders").pk],
        "domains": [FrameworkDomain.objects.get(slug="leadership").pk],
        "delivery_mode": "online",
        "duration_hours": "12",
        "cost": "0",
        "region": "national",
        "sectors": ["public"],
        **overrides,
    }


def test_delivery_mode_radios_have_no_empty_choice(client):
    user, _ = make_course_provider()
    client.force_login(user)
    html = client.get(reverse("courses:create")).content.decode()
    assert "---------" not in html
    assert html.count('name="delivery_mode"') == 3


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("1,250", Decimal("1250.00")),
        ("£1,250", Decimal("1250.00")),
        ("£ 1,250.50", Decimal("1250.50")),
        ("1250", Decimal("1250.00")),
        ("12,345,678.9", None),  # over the field's 8 digits: refused below
        ("0", Decimal("0.00")),
    ],
)
def test_cost_accepts_pounds_and_thousands_separators(typed, stored):
    _, provider = make_course_provider()
    form = CourseForm(form_data(provider, cost=typed), providers=provider.__class__.objects.all())
    if stored is None:
        assert not form.is_valid()
        assert "cost" in form.errors
    else:
        assert form.is_valid(), form.errors
        assert form.cleaned_data["cost"] == stored


@pytest.mark.parametrize("typed", ["lots", "£", "1,25", "12.345", "-5", "1.2.3", "£1,250abc"])
def test_cost_refuses_junk_with_a_clear_message(client, typed):
    user, provider = make_course_provider()
    client.force_login(user)
    response = client.post(reverse("courses:create"), form_data(provider, cost=typed))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Enter the cost as an amount in pounds, like 1250 or £1,250.50" in html
    assert "There is a problem" in html
    assert Course.objects.count() == 0


def test_a_course_saved_with_a_pounds_cost(client):
    user, provider = make_course_provider()
    client.force_login(user)
    client.post(reverse("courses:create"), form_data(provider, cost="£1,250"))
    assert Course.objects.get().cost == Decimal("1250.00")
