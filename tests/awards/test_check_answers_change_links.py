"""Check your answers: a GOV.UK "Change" link for each answer, naming it for
screen readers and going to the field it changes."""

import re

import pytest
from django.urls import reverse

from ..factories import make_category, make_cycle, make_nomination, make_provider

pytestmark = pytest.mark.django_db


def change_links(html: str) -> list[tuple[str, str]]:
    """(href, the link's full words with the hidden part) of each Change link."""
    links = re.findall(r'<a class="govuk-link" href="([^"]+)">(Change.*?)</a>', html, re.S)
    return [(href, re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", words)).strip()) for href, words in links]


def test_each_answer_has_a_change_link_to_its_field(client):
    user, organisation = make_provider("Sunrise Care")
    category = make_category(make_cycle(), questions=(("Why is it outstanding?", 50), ("What do people say?", 80)))
    nomination = make_nomination(category, organisation, user)
    first, second = category.questions.order_by("order")
    client.force_login(user)

    html = client.get(reverse("awards:check_answers", args=[nomination.pk])).content.decode()

    service = reverse("awards:edit_service", args=[nomination.pk])
    answers = reverse("awards:edit_answers", args=[nomination.pk])
    statement = reverse("awards:edit_statement", args=[nomination.pk])
    assert change_links(html) == [
        (f"{service}#id_service_name", "Change the name of the service"),
        (f"{service}#id_service_address", "Change the address of the service"),
        (f"{service}#id_service_regulator_number", "Change the regulator registration number"),
        (f"{answers}#id_question_{first.pk}", "Change your answer to question 1: Why is it outstanding?"),
        (f"{answers}#id_question_{second.pk}", "Change your answer to question 2: What do people say?"),
        (f"{statement}#id_statement", "Change the statement"),
        (f"{statement}#id_given_by", "Change who gave the statement"),
        (f"{statement}#id_consent", "Change whether they agreed to its use"),
        (f"{reverse('awards:edit_consent', args=[nomination.pk])}#id_consent_0", "Change consent to publish"),
        (reverse("awards:evidence", args=[nomination.pk]), "Change the evidence"),
    ]
    assert html.count('<span class="govuk-visually-hidden">') >= 10


def test_change_links_lead_to_pages_with_those_fields(client):
    user, organisation = make_provider("Sunrise Care")
    nomination = make_nomination(make_category(make_cycle()), organisation, user)
    client.force_login(user)
    html = client.get(reverse("awards:check_answers", args=[nomination.pk])).content.decode()
    for href, _ in change_links(html):
        path, _, field_id = href.partition("#")
        page = client.get(path)
        assert page.status_code == 200, href
        if field_id:
            assert f'id="{field_id}"' in page.content.decode(), href
