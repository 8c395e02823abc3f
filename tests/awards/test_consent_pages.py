"""The entrant's consent pages (awards.views.consent): the nomination form's
consent section with conditional radios, and withdrawal, which after the
announcement is a request and the page says so."""

import pytest
from django.urls import reverse

from awards.models import Consent, Nomination

from .consent_world import draft_with_image, make_winner

pytestmark = pytest.mark.django_db


def _url(name, nomination, subject="statement"):
    return reverse(f"awards:{name}", args=[nomination.pk, subject])


def test_the_form_reveals_the_names_each_way_needs(client, provider):
    nomination, _ = draft_with_image(provider)
    client.force_login(provider)
    page = client.get(_url("person_consent", nomination)).content.decode()
    assert page.count('class="govuk-radios__conditional govuk-radios__conditional--hidden"') == 3
    assert 'data-aria-controls="conditional-basis-3"' in page
    assert "By an attorney for health and welfare (Lasting Power of Attorney)" in page
    assert "Who was consulted?" in page and "Who made the decision?" in page
    assert page.count('name="uses"') == 3


def test_missing_names_show_in_the_error_summary_and_nothing_is_written(client, provider):
    nomination, _ = draft_with_image(provider)
    client.force_login(provider)
    response = client.post(_url("person_consent", nomination), {"basis": "best_interests", "uses": ["media"]})
    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page
    assert '<a href="#id_consulted">Enter who was consulted about the best-interests decision</a>' in page
    assert '<a href="#id_decided_by">Enter who made the best-interests decision</a>' in page
    assert "Select that the judges may read or see it" in page
    assert Consent.objects.count() == 0


def test_recording_with_support_then_reading_it_once_submitted(client, provider):
    nomination, _ = draft_with_image(provider)
    client.force_login(provider)
    response = client.post(
        _url("person_consent", nomination),
        {"basis": "supported", "supporter": "Her sister, Jo", "uses": ["judges", "publication"]},
    )
    assert (response.status_code, response["Location"]) == (302, reverse("awards:nomination", args=[nomination.pk]))
    consent = Consent.objects.get()
    assert (consent.basis, consent.supporter) == ("supported", "Her sister, Jo")
    assert consent.uses == {"judges", "publication"}
    task_list = client.get(reverse("awards:nomination", args=[nomination.pk])).content.decode()
    assert "Record consent: the statement of a person who uses the service" in task_list
    Nomination.objects.filter(pk=nomination.pk).update(state="submitted")
    page = client.get(_url("person_consent", nomination)).content.decode()
    assert 'name="basis"' not in page
    assert "By the person, with support" in page and "Her sister, Jo" in page
    assert "It may be published with the results" in page
    assert "Withdraw this consent" in page


def test_withdrawing_before_the_announcement_is_at_once(client, provider):
    nomination, _ = draft_with_image(provider)
    make_winner(nomination, announced=False)
    client.force_login(provider)
    page = client.get(_url("person_consent_withdraw", nomination)).content.decode()
    assert "Withdrawing takes effect at once" in page and "Withdraw consent</button>" in page
    response = client.post(_url("person_consent_withdraw", nomination), {"reason": "She changed her mind"})
    assert response["Location"] == _url("person_consent", nomination)
    page = client.get(response["Location"]).content.decode()
    assert "Consent has been withdrawn. It is no longer shown to anyone." in page
    assert "no longer shown to anyone." in page and "Withdraw this consent" not in page


def test_after_the_announcement_the_page_says_it_is_a_request(client, provider):
    nomination, _ = draft_with_image(provider)
    make_winner(nomination)
    client.force_login(provider)
    page = client.get(_url("person_consent_withdraw", nomination, "images")).content.decode()
    assert "What was already published, or given to the media, cannot be called back" in page
    assert "Send withdrawal request</button>" in page
    response = client.post(_url("person_consent_withdraw", nomination, "images"), {"reason": ""})
    page = client.get(response["Location"]).content.decode()
    assert "Your withdrawal request has been recorded." in page
    assert "after the announcement: a withdrawal request" in page
    assert Consent.objects.get().withdrawn_after_announcement is True


def test_others_and_unknown_subjects_get_404(client, provider, other_provider, awards_admin):
    nomination, _ = draft_with_image(provider)
    for user in (other_provider, awards_admin):
        client.force_login(user)
        assert client.get(_url("person_consent", nomination)).status_code == 404
        assert client.post(_url("person_consent_withdraw", nomination), {}).status_code == 404
    client.force_login(provider)
    assert client.get(_url("person_consent", nomination, "voice")).status_code == 404
    assert Consent.objects.count() == 0
