"""Anyone checks a leader's credential by its ID or the link they were given."""

from datetime import date

import pytest
import time_machine
from django.urls import reverse

from leaders import credentials
from leaders import domain as leaders

from ..factories import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def issued(world):
    leader = make_user(email="badge@example.org")
    with time_machine.travel(date(2021, 6, 1), tick=False):
        completion = leaders.record_completion(leader, course=world["social"], completed_on=date(2021, 5, 20))
        leaders.verify_completion(world["staff"], completion)
        return credentials.issue(leader, completion)


def test_an_id_or_a_whole_link_opens_the_credential_page(client, issued):
    check = reverse("credentials:check")
    page = reverse("credentials:verify", args=[issued.uuid])
    assert client.get(check, {"credential": str(issued.uuid)})["Location"] == page
    link = f"https://awards.example.org{page}?utm=linkedin"
    assert client.get(check, {"credential": f"  {link.upper()} "})["Location"] == page


def test_the_form_says_what_is_wrong(client, issued):
    check = reverse("credentials:check")
    empty = client.get(check)
    assert empty.status_code == 200 and "govuk-error-summary" not in empty.content.decode()
    answers = {
        "": "Enter the credential ID or link",
        "not a credential": "Enter the credential ID or link as it is written",
        "0b6a3c52-1f4e-4d7a-9c1e-5f2d8a7b9e10": "No credential has this ID",
    }
    for typed, message in answers.items():
        html = client.get(check, {"credential": typed}).content.decode()
        assert message in html and "govuk-error-summary" in html, typed


def test_the_footer_the_register_and_course_pages_link_to_both_checks(client, world):
    for url in (reverse("home"), reverse("courses:register"), reverse("courses:detail", args=[world["social"].pk])):
        html = client.get(url).content.decode()
        assert reverse("credentials:check") in html and reverse("accreditation:verify") in html, url
