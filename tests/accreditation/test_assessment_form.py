"""The assessor's page is one form: "Record decision" and "Return to
provider" save the outcome chosen for each criterion first (and keep them
when the decision is refused), then ask to confirm before anything is sent.
Suspending, reinstating and withdrawing are confirmed the same way."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from accreditation import domain
from accreditation.models import Accreditation, Application, Criterion

from ..factories import make_accreditation_people
from .test_accreditation import answer_all

pytestmark = pytest.mark.django_db


@pytest.fixture
def s(client):
    people = make_accreditation_people()
    application = domain.start_application(people["user"], people["course"])
    answer_all(people["user"], application)
    domain.submit_application(people["user"], application)
    domain.assign_assessor(people["other_staff"], application, people["assessor"])
    people["application"] = application
    people["criteria"] = list(Criterion.objects.filter(active=True))
    client.force_login(people["assessor"])
    return people


def chosen(criteria, outcome="met"):
    return {
        **{f"outcome_{c.pk}": outcome for c in criteria},
        **{f"comment_{c.pk}": f"Seen for {c.title}" for c in criteria},
    }


def saved_outcomes(application):
    application.refresh_from_db()
    current = application.rounds.get(number=application.round)
    return {a.criterion_id: (a.outcome, a.comment) for a in current.assessments.all()}


def url(name, application):
    return reverse(f"accreditation:{name}", args=[application.pk])


def test_the_page_is_one_form_whose_buttons_post_to_their_own_addresses(client, s):
    page = client.get(url("assess", s["application"])).content.decode()
    assert 'name="action"' not in page
    form = next(f for f in re.findall(r"<form [^>]*>.*?</form>", page, flags=re.S) if "outcome_" in f)
    assert f'action="{url("save_assessment", s["application"])}"' in form
    assert re.findall(r'formaction="([^"]+)"', form) == [
        url("return", s["application"]),
        url("decide", s["application"]),
    ]
    assert 'name="decision"' in form and 'name="comments"' in form


def test_record_decision_first_saves_the_outcomes_then_asks_to_confirm(client, s, run_on_commit):
    response = client.post(url("decide", s["application"]), {**chosen(s["criteria"]), "decision": "accredited"})
    assert (response.status_code, response["Location"]) == (302, url("confirm_decision", s["application"]))
    assert saved_outcomes(s["application"]) == {c.pk: ("met", f"Seen for {c.title}") for c in s["criteria"]}
    s["application"].refresh_from_db()
    assert s["application"].state == "submitted"

    page = client.get(url("confirm_decision", s["application"])).content.decode()
    today = timezone.localdate()
    end = domain.add_years(today, 3)
    assert f"Are you sure you want to record ‘Accredited’ for {s['course'].title}?" in page
    assert f"{today:%-d %B %Y} to {end:%-d %B %Y}" in page
    assert s["user"].email in page and "decision letter (PDF)" in page
    fingerprint = re.search(r'name="pending" value="([0-9a-f]+)"', page).group(1)

    with run_on_commit():
        response = client.post(url("confirm_decision", s["application"]), {"pending": fingerprint})
    assert (response.status_code, response["Location"]) == (302, url("assess", s["application"]))
    s["application"].refresh_from_db()
    assert s["application"].state == "accredited"
    assert Accreditation.objects.get().valid_to == end
    assert [m.to for m in mail.outbox] == [[s["user"].email]]
    assert saved_outcomes(s["application"]) == {c.pk: ("met", f"Seen for {c.title}") for c in s["criteria"]}
    assert client.session.get(f"accreditation:decision:{s['application'].pk}") is None


def test_a_refused_decision_keeps_the_outcomes_chosen(client, s):
    response = client.post(url("decide", s["application"]), {**chosen(s["criteria"], "not_met"), "decision": "refused"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Give the reasons for refusing accreditation" in page
    assert page.index("govuk-error-summary") < page.index("<h1")
    assert "Your outcomes for each criterion have been saved." in page
    assert saved_outcomes(s["application"]) == {c.pk: ("not_met", f"Seen for {c.title}") for c in s["criteria"]}
    for criterion in s["criteria"]:
        assert re.search(rf'name="outcome_{criterion.pk}" type="radio" value="not_met" checked', page)
    assert client.session.get(f"accreditation:decision:{s['application'].pk}") is None
    s["application"].refresh_from_db()
    assert s["application"].state == "submitted"


def test_an_unassessed_criterion_is_named_before_the_confirmation(client, s):
    missing = s["criteria"][-1]
    data = {**chosen(s["criteria"]), f"outcome_{missing.pk}": "", "decision": "accredited"}
    response = client.post(url("decide", s["application"]), data)
    assert response.status_code == 200
    assert f"Record an outcome for every criterion first: {missing.title}" in response.content.decode()
    assert saved_outcomes(s["application"])[s["criteria"][0].pk] == ("met", f"Seen for {s['criteria'][0].title}")


def test_cancelling_the_confirmation_keeps_the_decision_typed(client, s):
    due = timezone.localdate() + timedelta(days=90)
    client.post(
        url("decide", s["application"]),
        {
            **chosen(s["criteria"]),
            "decision": "conditions",
            "conditions": f"Publish an evaluation | {due.isoformat()}",
        },
    )
    page = client.get(url("confirm_decision", s["application"])).content.decode()
    assert "Publish an evaluation" in page and f"Condition due {due:%-d %B %Y}" in page
    page = client.get(url("assess", s["application"])).content.decode()
    assert 'value="conditions" checked' in page
    assert f"Publish an evaluation | {due.isoformat()}</textarea>" in page


def test_a_decision_changed_in_another_window_is_not_confirmed_blind(client, s):
    client.post(url("decide", s["application"]), {**chosen(s["criteria"]), "decision": "accredited"})
    page = client.get(url("confirm_decision", s["application"])).content.decode()
    fingerprint = re.search(r'name="pending" value="([0-9a-f]+)"', page).group(1)
    client.post(url("decide", s["application"]), {**chosen(s["criteria"]), "decision": "refused", "reasons": "No"})
    response = client.post(url("confirm_decision", s["application"]), {"pending": fingerprint})
    assert response["Location"] == url("confirm_decision", s["application"])
    s["application"].refresh_from_db()
    assert s["application"].state == "submitted"


def test_return_to_provider_saves_the_outcomes_and_is_confirmed(client, s, run_on_commit):
    response = client.post(url("return", s["application"]), {**chosen(s["criteria"], "partly_met")})
    assert response.status_code == 200
    assert "Say what more information is needed" in response.content.decode()
    assert {o for o, _ in saved_outcomes(s["application"]).values()} == {"partly_met"}

    data = {**chosen(s["criteria"], "partly_met"), "comments": "Add the evaluation report"}
    assert client.post(url("return", s["application"]), data)["Location"] == url("confirm_decision", s["application"])
    page = client.get(url("confirm_decision", s["application"])).content.decode()
    assert f"return the application for {s['course'].title} to the provider?" in page
    assert "Add the evaluation report" in page
    fingerprint = re.search(r'name="pending" value="([0-9a-f]+)"', page).group(1)
    with run_on_commit():
        client.post(url("confirm_decision", s["application"]), {"pending": fingerprint})
    s["application"].refresh_from_db()
    assert (s["application"].state, s["application"].rounds.get().return_comments) == (
        "returned",
        "Add the evaluation report",
    )
    assert "Add the evaluation report" in mail.outbox[-1].body


def test_other_staff_read_the_page_but_their_buttons_change_nothing(client, s):
    client.force_login(s["other_staff"])
    for name in ("save_assessment", "return", "decide"):
        response = client.post(url(name, s["application"]), {**chosen(s["criteria"]), "decision": "accredited"})
        assert response["Location"] == url("assess", s["application"]), name
    assert saved_outcomes(s["application"]) == {}
    response = client.get(url("confirm_decision", s["application"]), follow=True)
    assert "There is no decision waiting to be confirmed" in response.content.decode()


def test_suspending_is_confirmed_and_names_who_is_told(client, s, run_on_commit):
    domain.record_assessment(s["assessor"], s["application"], {c.pk: ("met", "") for c in s["criteria"]})
    domain.decide(s["assessor"], s["application"], decision="accredited")
    accreditation = Accreditation.objects.get(application=s["application"])
    status = reverse("accreditation:status", args=[accreditation.pk])
    confirm = reverse("accreditation:confirm_status", args=[accreditation.pk])
    response = client.post(status, {"action": "suspend", "reason": "Complaint under investigation"})
    assert response["Location"] == confirm
    accreditation.refresh_from_db()
    assert accreditation.state == "active"
    page = client.get(confirm).content.decode()
    assert f"Are you sure you want to suspend accreditation {accreditation.number}?" in page
    assert "Complaint under investigation" in page and s["user"].email in page
    # Back on the status page, the change typed is still there.
    assert "Complaint under investigation</textarea>" in client.get(status).content.decode()
    fingerprint = re.search(r'name="pending" value="([0-9a-f]+)"', page).group(1)
    with run_on_commit():
        assert client.post(confirm, {"pending": fingerprint})["Location"] == status
    accreditation.refresh_from_db()
    assert (accreditation.state, accreditation.status_reason) == ("suspended", "Complaint under investigation")
    assert mail.outbox[-1].to == [s["user"].email]


def test_withdrawal_for_cause_says_credentials_are_revoked(client, s):
    domain.record_assessment(s["assessor"], s["application"], {c.pk: ("met", "") for c in s["criteria"]})
    domain.decide(s["assessor"], s["application"], decision="accredited")
    accreditation = Accreditation.objects.get(application=s["application"])
    client.post(
        reverse("accreditation:status", args=[accreditation.pk]),
        {"action": "withdraw", "reason": "Never delivered", "for_cause": "on"},
    )
    page = client.get(reverse("accreditation:confirm_status", args=[accreditation.pk])).content.decode()
    assert "can never be reinstated" in page and "credentials of everyone who completed the course" in page
    assert "govuk-button--warning" in page
    assert Application.objects.get().accreditation.state == "active"
