"""Organisations: create, ask to join, approve, refuse; who may see what."""

import pytest
from django.core import mail
from django.urls import reverse

from accounts.enums import JoinRequestState, MembershipRole, OrganisationKind, Region, Sector
from accounts.models import AuditEvent, JoinRequest, Membership, Organisation

from ..conftest import count_queries
from ..factories import make_provider, make_user

pytestmark = pytest.mark.django_db


def test_create_organisation_makes_the_creator_its_admin(client, outsider):
    client.force_login(outsider)
    response = client.post(
        reverse("accounts:organisation_create"),
        {
            "name": "  Sunrise   Home Care ",
            "sector": Sector.COMMUNITY,
            "kinds": [OrganisationKind.CARE_PROVIDER, OrganisationKind.COURSE_PROVIDER],
            "region": Region.WALES,
            "regulator_number": "W-123",
        },
    )
    organisation = Organisation.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:organisation_detail", args=[organisation.pk])
    assert organisation.name == "Sunrise Home Care"
    assert organisation.sector == Sector.COMMUNITY
    assert organisation.kinds == [OrganisationKind.CARE_PROVIDER, OrganisationKind.COURSE_PROVIDER]
    assert organisation.region == Region.WALES
    membership = Membership.objects.get(organisation=organisation)
    assert (membership.user, membership.role) == (outsider, MembershipRole.ADMIN)
    event = AuditEvent.objects.get(action="organisation.created")
    assert (event.actor, event.object_id) == (outsider, str(organisation.pk))


def test_create_organisation_errors_name_each_field(client, outsider):
    client.force_login(outsider)
    response = client.post(reverse("accounts:organisation_create"), {"name": "", "region": ""})
    html = response.content.decode()
    assert response.status_code == 200
    assert Organisation.objects.count() == 0
    assert "There is a problem" in html
    assert 'href="#id_name">Enter organisation name' in html
    assert 'href="#id_sector_0">Select the organisation&#x27;s sector' in html
    assert 'href="#id_kinds_0">Select at least one kind of organisation' in html
    assert 'href="#id_region">Select region' in html


def ask_to_join(client, user, organisation, run_on_commit, message="I run the day centre"):
    client.force_login(user)
    with run_on_commit():
        return client.post(reverse("accounts:join_request_create", args=[organisation.pk]), {"message": message})


def test_join_request_is_sent_to_admins_and_approved(client, outsider, run_on_commit):
    admin, organisation = make_provider("Riverside Care")
    response = ask_to_join(client, outsider, organisation, run_on_commit)
    assert response.status_code == 302
    join_request = JoinRequest.objects.get()
    assert join_request.state == JoinRequestState.PENDING
    assert [m.to for m in mail.outbox] == [[admin.email]]
    assert "asks to join Riverside Care" in mail.outbox[0].subject

    client.force_login(admin)
    detail = client.get(reverse("accounts:organisation_detail", args=[organisation.pk]))
    assert outsider.email in detail.content.decode()
    with run_on_commit():
        response = client.post(reverse("accounts:join_request_decide", args=[join_request.pk]), {"decision": "approve"})
    assert response.status_code == 302
    join_request.refresh_from_db()
    assert join_request.state == JoinRequestState.APPROVED
    assert join_request.decided_by == admin
    assert Membership.objects.get(user=outsider).role == MembershipRole.MEMBER
    assert mail.outbox[-1].to == [outsider.email]
    assert mail.outbox[-1].subject == "Your request to join Riverside Care was approved"
    event = AuditEvent.objects.get(action="join_request.decided")
    assert (event.before, event.after) == ({"state": "pending"}, {"state": "approved"})


def test_refusal_needs_a_reason_and_is_emailed(client, outsider, run_on_commit):
    admin, organisation = make_provider("Riverside Care")
    ask_to_join(client, outsider, organisation, run_on_commit)
    join_request = JoinRequest.objects.get()
    client.force_login(admin)
    url = reverse("accounts:join_request_decide", args=[join_request.pk])

    response = client.post(url, {"decision": "refuse", "reason": ""})
    assert response.status_code == 200
    assert "Enter a reason for refusing the request" in response.content.decode()
    join_request.refresh_from_db()
    assert join_request.state == JoinRequestState.PENDING

    with run_on_commit():
        client.post(url, {"decision": "refuse", "reason": "We do not know you"})
    join_request.refresh_from_db()
    assert join_request.state == JoinRequestState.REFUSED
    assert join_request.reason == "We do not know you"
    assert not Membership.objects.filter(user=outsider).exists()
    assert "We do not know you" in mail.outbox[-1].body


def test_asking_twice_is_refused_clearly(client, outsider, run_on_commit):
    _, organisation = make_provider("Riverside Care")
    ask_to_join(client, outsider, organisation, run_on_commit)
    response = ask_to_join(client, outsider, organisation, run_on_commit)
    assert response.status_code == 200
    assert "You have already asked to join Riverside Care" in response.content.decode()
    assert JoinRequest.objects.count() == 1


def test_a_decided_request_cannot_be_decided_again(client, outsider, run_on_commit):
    admin, organisation = make_provider("Riverside Care")
    ask_to_join(client, outsider, organisation, run_on_commit)
    join_request = JoinRequest.objects.get()
    client.force_login(admin)
    url = reverse("accounts:join_request_decide", args=[join_request.pk])
    client.post(url, {"decision": "approve"})
    response = client.post(url, {"decision": "refuse", "reason": "changed my mind"})
    assert "already been decided" in response.content.decode()
    join_request.refresh_from_db()
    assert join_request.state == JoinRequestState.APPROVED


def test_withdraw_own_request(client, outsider, run_on_commit):
    _, organisation = make_provider("Riverside Care")
    ask_to_join(client, outsider, organisation, run_on_commit)
    join_request = JoinRequest.objects.get()
    response = client.post(reverse("accounts:join_request_withdraw", args=[join_request.pk]))
    assert response.status_code == 302
    join_request.refresh_from_db()
    assert join_request.state == JoinRequestState.WITHDRAWN


@pytest.mark.parametrize("who", ["outsider", "plain_member", "other_org_admin"])
def test_only_the_organisations_admins_see_and_decide_requests(client, who, run_on_commit):
    admin, organisation = make_provider("Riverside Care")
    requester = make_user(email="requester@example.org")
    ask_to_join(client, requester, organisation, run_on_commit)
    join_request = JoinRequest.objects.get()
    people = {
        "outsider": lambda: make_user(email="nosy@example.org"),
        "plain_member": lambda: make_user(
            email="member@example.org", organisation=organisation, org_role=MembershipRole.MEMBER
        ),
        "other_org_admin": lambda: make_provider("Hilltop Care")[0],
    }
    client.force_login(people[who]())

    decide = client.post(reverse("accounts:join_request_decide", args=[join_request.pk]), {"decision": "approve"})
    assert decide.status_code == 404
    join_request.refresh_from_db()
    assert join_request.state == JoinRequestState.PENDING
    detail = client.get(reverse("accounts:organisation_detail", args=[organisation.pk]))
    if who == "plain_member":
        assert detail.status_code == 200
        assert "requester@example.org" not in detail.content.decode()
    else:
        assert detail.status_code == 404


def test_withdrawing_someone_elses_request_is_404(client, outsider, run_on_commit):
    _, organisation = make_provider("Riverside Care")
    ask_to_join(client, outsider, organisation, run_on_commit)
    join_request = JoinRequest.objects.get()
    client.force_login(make_user(email="other@example.org"))
    assert client.post(reverse("accounts:join_request_withdraw", args=[join_request.pk])).status_code == 404
    join_request.refresh_from_db()
    assert join_request.state == JoinRequestState.PENDING


def test_admin_changes_member_role_but_not_the_last_admin(client):
    admin, organisation = make_provider("Riverside Care")
    member = make_user(email="member@example.org", organisation=organisation)
    member_ship = Membership.objects.get(user=member)
    admin_ship = Membership.objects.get(user=admin)
    client.force_login(admin)

    client.post(reverse("accounts:member_role_change", args=[member_ship.pk]), {"role": "admin"})
    member_ship.refresh_from_db()
    assert member_ship.role == MembershipRole.ADMIN

    client.post(reverse("accounts:member_role_change", args=[member_ship.pk]), {"role": "member"})
    response = client.post(
        reverse("accounts:member_role_change", args=[admin_ship.pk]), {"role": "member"}, follow=True
    )
    admin_ship.refresh_from_db()
    assert admin_ship.role == MembershipRole.ADMIN
    assert "An organisation needs at least one admin" in response.content.decode()


def test_member_role_change_by_non_admin_is_404(client):
    admin, organisation = make_provider("Riverside Care")
    member = make_user(email="member@example.org", organisation=organisation)
    client.force_login(member)
    admin_ship = Membership.objects.get(user=admin)
    response = client.post(reverse("accounts:member_role_change", args=[admin_ship.pk]), {"role": "member"})
    assert response.status_code == 404
    admin_ship.refresh_from_db()
    assert admin_ship.role == MembershipRole.ADMIN


def test_search_lists_organisations_with_join_state(client, outsider, run_on_commit):
    make_provider("Riverside Care")
    _, hilltop = make_provider("Hilltop Riverside Care")
    ask_to_join(client, outsider, hilltop, run_on_commit)
    response = client.get(reverse("accounts:organisation_list"), {"q": "riverside"})
    names = [org.name for org in response.context["results"]]
    assert names == ["Hilltop Riverside Care", "Riverside Care"]
    html = response.content.decode()
    assert "Request sent" in html
    assert "2 organisations found" in html


def test_organisation_search_query_count_does_not_grow(client, outsider):
    client.force_login(outsider)

    def search():
        response = client.get(reverse("accounts:organisation_list"), {"q": "care home"})
        return response

    make_provider("Care Home 00")
    one = count_queries(search)
    for n in range(1, 20):
        make_provider(f"Care Home {n:02d}")
    twenty = count_queries(search)
    assert len(search().context["results"]) == 20
    assert one == twenty
    assert twenty <= 10


def test_organisation_detail_query_count_does_not_grow(client):
    admin, organisation = make_provider("Riverside Care")
    client.force_login(admin)
    url = reverse("accounts:organisation_detail", args=[organisation.pk])

    def add_people(start, stop):
        for n in range(start, stop):
            make_user(email=f"m{n}@example.org", organisation=organisation)
            JoinRequest.objects.create(user=make_user(email=f"r{n}@example.org"), organisation=organisation)

    add_people(0, 1)
    one = count_queries(lambda: client.get(url))
    add_people(1, 10)
    ten = count_queries(lambda: client.get(url))
    response = client.get(url)
    assert len(response.context["members"]) == 11
    assert len(response.context["pending_requests"]) == 10
    assert one == ten
    assert ten <= 12
