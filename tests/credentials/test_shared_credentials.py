"""What every kind of credential shares (core.credentials): one public revocation
list with positions unique across kinds, leaders' "Add to LinkedIn" link, and
the provider's list of accreditations linking each credential without a query each."""

from datetime import date
from urllib.parse import parse_qs, urlsplit

import pytest
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accreditation import domain
from core import credentials as signing
from courses.models import Course
from leaders import credentials as leader_credentials
from leaders import domain as leaders

from ..accreditation.test_accreditation import accredit
from ..factories import make_accreditation_people, make_course, make_user
from ..test_final_stays_final import independent_status_bit

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup():
    return make_accreditation_people()


def leader_credential(setup, email="leader@example.org"):
    leader = make_user(email=email)
    completion = leaders.record_completion(leader, course=setup["course"], completed_on=date(2024, 3, 1))
    leaders.verify_completion(setup["assessor"], completion)
    return leader, leader_credentials.issue(leader, completion)


def test_one_revocation_list_holds_every_kind(setup, client):
    accreditation = accredit(setup, on=date(2024, 1, 1))
    _, leader_credential_ = leader_credential(setup)
    provider_credential = accreditation.credentials.get()
    key = client.get(reverse("credentials:issuer")).json()["verificationMethod"][0]["publicKeyMultibase"]

    def bits():
        listed = client.get(reverse("credentials:status_list", args=[1])).json()
        return [independent_status_bit(listed, key, c.status_index) for c in (leader_credential_, provider_credential)]

    assert bits() == [0, 0]
    leader_credentials.revoke(setup["assessor"], leader_credential_, reason="Certificate was forged")
    assert bits() == [1, 0]
    domain.withdraw(setup["assessor"], accreditation, reason="Course closed")
    assert bits() == [1, 1]
    assert client.get(reverse("credentials:status_list", args=[2])).status_code == 404


def test_a_position_is_never_given_twice_across_kinds(setup, monkeypatch):
    accreditation = accredit(setup, on=date(2024, 1, 1))
    taken = accreditation.credentials.get().status_index
    offered = iter([taken, taken, 4242])
    monkeypatch.setattr(signing.secrets, "randbelow", lambda size: next(offered))
    with transaction.atomic():
        assert signing.allocate_status_index() == 4242


def test_the_leader_and_only_the_leader_gets_an_add_to_linkedin_link(setup):
    accredit(setup, on=date(2024, 1, 1))
    leader, credential = leader_credential(setup)
    url = reverse("credentials:verify", args=[credential.uuid])
    own = Client()
    own.force_login(leader)
    page = own.get(url)
    link = page.context["linkedin_url"]
    issued = timezone.localtime(credential.issued_at)
    parts = urlsplit(link)
    assert f"{parts.scheme}://{parts.netloc}{parts.path}" == "https://www.linkedin.com/profile/add"
    assert parse_qs(parts.query) == {
        "startTask": ["CERTIFICATION_NAME"],
        "name": [f"{setup['course'].title} (accredited leadership course)"],
        "organizationName": ["National Skills Academy for Social Care"],
        "issueYear": [str(issued.year)],
        "issueMonth": [str(issued.month)],
        "certUrl": [f"http://testserver/credentials/{credential.uuid}/"],
        "certId": [str(credential.uuid)],
    }
    assert link.replace("&", "&amp;") in page.content.decode()
    other = Client()
    other.force_login(make_user(email="someone@example.org"))
    assert "linkedin.com" not in other.get(url).content.decode()
    assert "linkedin.com" not in Client().get(url).content.decode()
    leader_credentials.revoke(setup["assessor"], credential, reason="Certificate was forged")
    assert own.get(url).context["linkedin_url"] == ""


def test_the_providers_accreditations_link_their_credentials_in_a_fixed_number_of_queries(setup):
    provider = Client()
    provider.force_login(setup["user"])
    accredit(setup)

    def count():
        with CaptureQueriesContext(connection) as queries:
            page = provider.get(reverse("accreditation:home"))
        links = page.content.decode().count("/accreditation/credentials/")
        return len(queries), links

    one, links = count()
    assert links == 1
    for title in ("Second course", "Third course"):
        accredit({**setup, "course": make_course(setup["course"].provider, title)})
    three, links = count()
    assert (three, links) == (one, 3)
    assert Course.objects.filter(provider=setup["course"].provider).count() == 3
