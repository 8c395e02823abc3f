"""Who can reach each nomination page: the owner organisation's members,
another provider, a judge, an outsider, an awards administrator."""

import pytest
from django.urls import reverse

from accounts.enums import SiteRole
from awards.models import EvidenceFile

from ..conftest import count_queries
from ..factories import make_category, make_cycle, make_nomination, make_provider, make_user

pytestmark = pytest.mark.django_db

# View name -> expected status for each kind of person, on a draft nomination.
# 200 = can see, 404 = cannot tell it exists, 302 = sent to sign in.
DRAFT_PAGES = {
    "awards:nomination": {
        "owner": 200,
        "co_member": 200,
        "other_provider": 404,
        "judge": 404,
        "outsider": 404,
        "admin": 200,
        "anonymous": 302,
    },
    "awards:edit_service": {
        "owner": 200,
        "co_member": 200,
        "other_provider": 404,
        "judge": 404,
        "outsider": 404,
        "admin": 404,
        "anonymous": 302,
    },
    "awards:edit_answers": {
        "owner": 200,
        "co_member": 200,
        "other_provider": 404,
        "judge": 404,
        "outsider": 404,
        "admin": 404,
        "anonymous": 302,
    },
    "awards:edit_statement": {
        "owner": 200,
        "co_member": 200,
        "other_provider": 404,
        "judge": 404,
        "outsider": 404,
        "admin": 404,
        "anonymous": 302,
    },
    "awards:edit_consent": {
        "owner": 200,
        "co_member": 200,
        "other_provider": 404,
        "judge": 404,
        "outsider": 404,
        "admin": 404,
        "anonymous": 302,
    },
    "awards:evidence": {
        "owner": 200,
        "co_member": 200,
        "other_provider": 404,
        "judge": 404,
        "outsider": 404,
        "admin": 404,
        "anonymous": 302,
    },
    "awards:check_answers": {
        "owner": 200,
        "co_member": 200,
        "other_provider": 404,
        "judge": 404,
        "outsider": 404,
        "admin": 404,
        "anonymous": 302,
    },
    "awards:withdraw": {
        "owner": 200,
        "co_member": 200,
        "other_provider": 404,
        "judge": 404,
        "outsider": 404,
        "admin": 200,
        "anonymous": 302,
    },
    "awards:manage_nomination": {
        "owner": 403,
        "co_member": 403,
        "other_provider": 403,
        "judge": 403,
        "outsider": 403,
        "admin": 200,
        "anonymous": 302,
    },
    "evidence_download": {
        "owner": 200,
        "co_member": 200,
        "other_provider": 404,
        "judge": 404,
        "outsider": 404,
        "admin": 200,
        "anonymous": 302,
    },
}
PEOPLE = ["owner", "co_member", "other_provider", "judge", "outsider", "admin", "anonymous"]


@pytest.fixture
def world():
    category = make_category(make_cycle())
    owner, organisation = make_provider("Riverside Care")
    co_member = make_user(email="colleague@example.org", organisation=organisation)
    nomination = make_nomination(category, organisation, owner)
    people = {
        "owner": owner,
        "co_member": co_member,
        "other_provider": make_provider("Hilltop Care")[0],
        "judge": make_user(email="judge@example.org", roles=[SiteRole.JUDGE]),
        "outsider": make_user(email="outsider@example.org"),
        "admin": make_user(email="admin@example.org", roles=[SiteRole.AWARDS_ADMIN]),
        "anonymous": None,
    }
    return nomination, people


@pytest.mark.parametrize("page", list(DRAFT_PAGES))
@pytest.mark.parametrize("who", PEOPLE)
def test_nomination_page_access(client, world, page, who):
    nomination, people = world
    if people[who] is not None:
        client.force_login(people[who])
    if page == "evidence_download":
        url = reverse("awards:evidence_download", args=[EvidenceFile.objects.get().pk])
    else:
        url = reverse(page, args=[nomination.pk])
    response = client.get(url)
    assert response.status_code == DRAFT_PAGES[page][who]


@pytest.mark.parametrize("who", ["other_provider", "judge", "outsider", "admin"])
def test_writes_by_anyone_but_members_change_nothing(client, world, who):
    nomination, people = world
    client.force_login(people[who])
    evidence = EvidenceFile.objects.get()
    client.post(
        reverse("awards:edit_service", args=[nomination.pk]), {"service_name": "Hacked", "service_address": "x"}
    )
    client.post(reverse("awards:evidence_remove", args=[nomination.pk, evidence.pk]))
    client.post(reverse("awards:check_answers", args=[nomination.pk]))
    nomination.refresh_from_db()
    assert nomination.service_name == "Riverside Care – Rose House"
    assert nomination.state == "draft"
    assert EvidenceFile.objects.filter(pk=evidence.pk).exists()


@pytest.mark.parametrize("who", ["owner", "other_provider", "judge", "outsider"])
def test_only_administrators_decide_eligibility_or_extensions(client, world, who):
    from awards import domain

    nomination, people = world
    domain.submit_nomination(people["owner"], nomination)
    client.force_login(people[who])
    response = client.post(reverse("awards:manage_eligibility", args=[nomination.pk]), {"decision": "eligible"})
    assert response.status_code == 403
    response = client.post(
        reverse("awards:manage_extension", args=[nomination.pk]), {"until": "2099-01-01T10:00", "reason": "x"}
    )
    assert response.status_code == 403
    nomination.refresh_from_db()
    assert (nomination.state, nomination.extended_close) == ("submitted", None)


@pytest.mark.parametrize("page", ["awards:manage_cycles", "awards:manage_nominations", "awards:manage_cycle_create"])
@pytest.mark.parametrize(("who", "status"), [("owner", 403), ("judge", 403), ("outsider", 403), ("admin", 200)])
def test_manage_pages_are_for_administrators(client, world, page, who, status):
    _, people = world
    client.force_login(people[who])
    assert client.get(reverse(page)).status_code == status


def test_provider_dashboard_shows_only_own_organisation(client, world):
    nomination, people = world
    other, other_org = people["other_provider"], people["other_provider"].memberships.get().organisation
    theirs = make_nomination(nomination.category, other_org, other)
    client.force_login(people["owner"])
    shown = [
        n.pk
        for nominations in client.get(reverse("awards:dashboard")).context["by_cycle"].values()
        for n in nominations
    ]
    assert shown == [nomination.pk]
    assert theirs.pk not in shown


def test_provider_dashboard_query_count_does_not_grow(client):
    category = make_category(make_cycle())
    owner, organisation = make_provider("Riverside Care")
    client.force_login(owner)
    make_nomination(category, organisation, owner, complete=False)
    one = count_queries(lambda: client.get(reverse("awards:dashboard")))
    for _ in range(19):
        make_nomination(category, organisation, owner, complete=False)
    twenty = count_queries(lambda: client.get(reverse("awards:dashboard")))
    shown = client.get(reverse("awards:dashboard")).context["by_cycle"]
    assert sum(len(v) for v in shown.values()) == 20
    assert one == twenty


def test_staff_list_query_count_does_not_grow(client, awards_admin):
    category = make_category(make_cycle())
    client.force_login(awards_admin)
    owner, organisation = make_provider("Provider 0")
    make_nomination(category, organisation, owner, complete=False)
    one = count_queries(lambda: client.get(reverse("awards:manage_nominations")))
    for n in range(1, 20):
        owner, organisation = make_provider(f"Provider {n}")
        make_nomination(category, organisation, owner, complete=False)
    twenty = count_queries(lambda: client.get(reverse("awards:manage_nominations")))
    assert client.get(reverse("awards:manage_nominations")).context["page"].paginator.count == 20
    assert one == twenty
    print(f"staff nomination list: {twenty} queries at 20 nominations")


def test_task_list_query_count_does_not_grow_with_evidence(client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from awards import domain

    from ..factories import MINIMAL_PDF

    category = make_category(make_cycle(), questions=[("Q1", 100), ("Q2", 100)])
    owner, organisation = make_provider("Riverside Care")
    nomination = make_nomination(category, organisation, owner)
    client.force_login(owner)
    url = reverse("awards:nomination", args=[nomination.pk])
    one = count_queries(lambda: client.get(url))
    for n in range(9):
        domain.add_evidence(owner, nomination, SimpleUploadedFile(f"f{n}.pdf", MINIMAL_PDF))
    ten = count_queries(lambda: client.get(url))
    assert one == ten
