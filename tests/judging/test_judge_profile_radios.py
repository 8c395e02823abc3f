"""The judge profile's radios offer only real answers: no "---------"."""

import re

import pytest
from django.urls import reverse

from accounts.enums import Sector, SiteRole
from judging.enums import LivedExperience
from judging.forms import ProfileForm

from ..factories import make_user

pytestmark = pytest.mark.django_db


def test_profile_form_radios_have_no_empty_choice():
    form = ProfileForm()
    assert list(form.fields["sector_background"].choices) == list(Sector.choices)
    assert list(form.fields["lived_experience"].choices) == list(LivedExperience.choices)


def test_profile_page_shows_no_dashes_and_asks_for_an_answer(client):
    judge = make_user(email="new.judge@example.org", roles=[SiteRole.JUDGE])
    client.force_login(judge)
    page = client.get(reverse("judging:profile")).content.decode()
    assert "---------" not in page
    labels = re.findall(r'class="govuk-label govuk-radios__label"[^>]*>([^<]*)</label>', page)
    assert labels == [label for _, label in Sector.choices] + [label for _, label in LivedExperience.choices]

    refused = client.post(reverse("judging:profile"), {"expertise": "", "access_needs": ""})
    assert refused.status_code == 200
    assert sorted(refused.context["form"].errors) == ["lived_experience", "sector_background"]
