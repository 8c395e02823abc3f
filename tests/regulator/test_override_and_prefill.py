"""An override needs a reason and is audited; providers' service details
are prefilled from the directory (tell us once)."""

import re

import pytest
from django.urls import reverse

from accounts.models import AuditEvent
from core.errors import DomainError
from regulator import domain
from regulator.models import Override

from .helpers import add_rule, import_locations, make_entry, row

pytestmark = pytest.mark.django_db


def test_an_override_without_a_reason_is_refused_and_nothing_is_written(awards_admin):
    nomination = make_entry()
    with pytest.raises(DomainError, match="Enter why the rating rule is set aside for this nomination"):
        domain.override_rule(awards_admin, nomination, reason="   ")
    assert Override.objects.count() == 0
    assert AuditEvent.objects.filter(action="regulator.rule_overridden").count() == 0


def test_an_override_with_a_reason_is_recorded_audited_and_shown(client, awards_admin):
    import_locations(row(rating="Requires improvement"))
    nomination = make_entry()
    add_rule(nomination.category, "good")
    client.force_login(awards_admin)
    url = reverse("regulator:override", args=[nomination.pk])
    response = client.post(url, {"reason": "The rating is under appeal; the panel will review it."})
    assert response["Location"] == reverse("awards:manage_nomination", args=[nomination.pk])
    override = Override.objects.get()
    assert (override.nomination, override.created_by, override.reason) == (
        nomination,
        awards_admin,
        "The rating is under appeal; the panel will review it.",
    )
    event = AuditEvent.objects.get(action="regulator.rule_overridden")
    assert (event.actor, event.object_id, event.reason) == (awards_admin, str(nomination.pk), override.reason)
    page = client.get(response["Location"]).content.decode()
    form = page[page.index(f'action="{url}"') :]
    assert re.match(r'[^<]*>\s*<input type="hidden" name="csrfmiddlewaretoken" value="\w+">', form)
    assert "Rule set aside by awards-admin@example.org" in page
    assert ": The rating is under appeal; the panel will review it.</p>" in page
    nomination.refresh_from_db()
    assert nomination.state == "eligible"


def test_the_override_form_without_a_reason_says_why(client, awards_admin):
    nomination = make_entry()
    client.force_login(awards_admin)
    response = client.post(reverse("regulator:override", args=[nomination.pk]), {"reason": ""}, follow=True)
    assert "Enter why the rating rule is set aside for this nomination" in response.content.decode()
    assert Override.objects.count() == 0


@pytest.mark.parametrize("who", ["provider", "judge", "outsider"])
def test_only_administrators_may_override(who, request):
    from django.core.exceptions import PermissionDenied

    nomination = make_entry()
    with pytest.raises(PermissionDenied):
        domain.override_rule(request.getfixturevalue(who), nomination, reason="Because")
    assert Override.objects.count() == 0


def _draft_of(provider):
    from tests.factories.awards import make_category, make_cycle, make_nomination

    organisation = provider.memberships.get().organisation
    return make_nomination(make_category(make_cycle()), organisation, provider, complete=False)


def test_a_provider_finds_the_service_and_the_form_is_filled_from_the_directory(client, provider):
    import_locations(row(location_id="1-100000007", name="Kestrel House"))
    draft = _draft_of(provider)
    client.force_login(provider)
    response = client.get(reverse("regulator:find_service", args=[draft.pk]), {"number": "1-100000007 "})
    page = response.content.decode()
    assert response.status_code == 200
    assert 'id="found-service">Found Kestrel House in the regulator\'s directory.' in page
    form = response.context["form"]
    assert form.initial == {
        "service_name": "Kestrel House",
        "service_address": "1 Example Road\nAshford\nKent\nTN23 1ZZ",
        "service_regulator_number": "1-100000007",
    }
    assert f'action="{reverse("awards:edit_service", args=[draft.pk])}"' in page
    draft.refresh_from_db()
    assert draft.service_name == ""  # filled in for the provider to check, saved only when they save


def test_an_unknown_number_says_so_and_keeps_what_was_typed(client, provider):
    import_locations(row())
    draft = _draft_of(provider)
    client.force_login(provider)
    response = client.get(reverse("regulator:find_service", args=[draft.pk]), {"number": "1-404"})
    page = response.content.decode()
    assert "The regulator&#x27;s directory has no service with that number: check it" in page
    assert 'value="1-404"' in page
    assert response.context["form"].initial["service_name"] == ""


def test_another_organisations_draft_cannot_be_looked_up(client, provider, other_provider):
    draft = _draft_of(other_provider)
    client.force_login(provider)
    assert client.get(reverse("regulator:find_service", args=[draft.pk]), {"number": "1-1"}).status_code == 404


def test_a_submitted_nomination_cannot_be_prefilled(client, provider):
    from awards.models import Nomination

    draft = _draft_of(provider)
    Nomination.objects.filter(pk=draft.pk).update(state="submitted")
    client.force_login(provider)
    response = client.get(reverse("regulator:find_service", args=[draft.pk]), {"number": "1-1"})
    assert response["Location"] == reverse("awards:nomination", args=[draft.pk])


def test_the_service_page_offers_the_lookup(client, provider):
    draft = _draft_of(provider)
    client.force_login(provider)
    page = client.get(reverse("awards:edit_service", args=[draft.pk])).content.decode()
    assert f'action="{reverse("regulator:find_service", args=[draft.pk])}"' in page
    assert "Find the service by its regulator registration number" in page
