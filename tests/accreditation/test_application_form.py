"""The provider's application is one form: every button (save, upload,
submit) keeps everything typed and any file chosen; submitting names each
unanswered criterion, then asks to confirm before anything is sent."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accreditation import domain
from accreditation.models import Application, Criterion

from ..factories import EXE_BYTES, MINIMAL_PDF, make_accreditation_people, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def s(client):
    people = make_accreditation_people()
    people["application"] = domain.start_application(people["user"], people["course"])
    people["criteria"] = list(Criterion.objects.filter(active=True))
    client.force_login(people["user"])
    return people


def typed(criteria, *, skip=()):
    """What the provider typed: an answer to each criterion but those skipped."""
    return {f"criterion_{c.pk}": "" if c in skip else f"We meet {c.title} through mentoring." for c in criteria}


def saved_answers(application):
    return {a.criterion_id: a.text for a in application.answers.all() if a.text}


def url(name, application):
    return reverse(f"accreditation:{name}", args=[application.pk])


def test_the_page_is_one_form_whose_buttons_post_to_their_own_addresses(client, s):
    page = client.get(url("application", s["application"])).content.decode()
    forms = re.findall(r"<form [^>]*>.*?</form>", page, flags=re.S)
    application_form = next(f for f in forms if 'enctype="multipart/form-data"' in f)
    assert f'action="{url("save", s["application"])}"' in application_form
    assert re.findall(r'formaction="([^"]+)"', application_form) == [
        url("upload", s["application"]),
        url("submit", s["application"]),
    ]
    assert 'name="action"' not in page
    assert [f'name="criterion_{c.pk}"' in application_form for c in s["criteria"]] == [True] * len(s["criteria"])
    assert 'name="file"' in application_form and 'name="evidence_criterion"' in application_form


def test_upload_keeps_every_answer_typed_with_it(client, s):
    first = s["criteria"][0]
    response = client.post(
        url("upload", s["application"]),
        {
            **typed(s["criteria"]),
            "evidence_criterion": first.pk,
            "file": SimpleUploadedFile("handbook.pdf", MINIMAL_PDF),
        },
    )
    assert (response.status_code, response["Location"]) == (302, url("application", s["application"]) + "#evidence")
    assert saved_answers(s["application"]) == {c.pk: f"We meet {c.title} through mentoring." for c in s["criteria"]}
    assert list(s["application"].evidence.values_list("original_name", "criterion")) == [("handbook.pdf", first.pk)]
    page = client.get(url("application", s["application"])).content.decode()
    assert "handbook.pdf has been uploaded." in page and "Your answers have been saved." in page
    assert f"We meet {first.title} through mentoring.</textarea>" in page


def test_save_answers_also_uploads_a_file_chosen(client, s):
    second = s["criteria"][1]
    response = client.post(
        url("save", s["application"]),
        {**typed(s["criteria"]), "evidence_criterion": second.pk, "file": SimpleUploadedFile("plan.pdf", MINIMAL_PDF)},
    )
    assert response.status_code == 302
    assert len(saved_answers(s["application"])) == len(s["criteria"])
    assert list(s["application"].evidence.values_list("original_name", flat=True)) == ["plan.pdf"]


def test_upload_without_a_file_says_so_and_still_saves_the_answers(client, s):
    response = client.post(url("upload", s["application"]), typed(s["criteria"]))
    page = response.content.decode()
    assert response.status_code == 200
    assert 'class="govuk-error-summary"' in page and '<a href="#id_file">Select a file to upload</a>' in page
    assert '<div class="govuk-inset-text">Your answers have been saved.</div>' in page
    assert len(saved_answers(s["application"])) == len(s["criteria"])
    assert s["application"].evidence.count() == 0


def test_a_refused_file_keeps_the_answers_and_names_the_problem(client, s):
    response = client.post(
        url("upload", s["application"]),
        {
            **typed(s["criteria"]),
            "evidence_criterion": s["criteria"][0].pk,
            "file": SimpleUploadedFile("evidence.pdf", EXE_BYTES),
        },
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert '<a href="#id_file">' in page
    assert len(saved_answers(s["application"])) == len(s["criteria"])
    assert s["application"].evidence.count() == 0


def test_a_file_without_its_criterion_is_refused_but_the_answers_are_kept(client, s):
    response = client.post(
        url("save", s["application"]),
        {**typed(s["criteria"]), "file": SimpleUploadedFile("plan.pdf", MINIMAL_PDF)},
    )
    assert response.status_code == 200
    assert '<a href="#id_evidence_criterion">Choose the criterion the file supports</a>' in response.content.decode()
    assert len(saved_answers(s["application"])) == len(s["criteria"])
    assert s["application"].evidence.count() == 0


def test_submitting_with_unanswered_criteria_names_each_and_saves_what_was_typed(client, s):
    skipped = s["criteria"][1:3]
    response = client.post(url("submit", s["application"]), typed(s["criteria"], skip=skipped))
    page = response.content.decode()
    assert response.status_code == 200
    summary = page[page.index('class="govuk-error-summary"') : page.index("</ul>", page.index("govuk-error-summary"))]
    assert re.findall(r'<a href="#([^"]+)">([^<]+)</a>', summary) == [
        (f"id_criterion_{c.pk}", f"Answer ‘{c.title}’ before submitting") for c in skipped
    ]
    assert page.index("govuk-error-summary") < page.index("<h1")
    answered = [c for c in s["criteria"] if c not in skipped]
    assert saved_answers(s["application"]) == {c.pk: f"We meet {c.title} through mentoring." for c in answered}
    s["application"].refresh_from_db()
    assert (s["application"].state, s["application"].round) == ("draft", 0)


def test_submitting_a_complete_application_asks_to_confirm_first(client, s, run_on_commit):
    other_admin = make_user(email="second-admin@llp.example", organisation=s["course"].provider, org_role="admin")
    response = client.post(url("submit", s["application"]), typed(s["criteria"]))
    assert (response.status_code, response["Location"]) == (302, url("confirm_submit", s["application"]))
    s["application"].refresh_from_db()
    assert s["application"].state == "draft"
    assert len(saved_answers(s["application"])) == len(s["criteria"])

    page = client.get(url("confirm_submit", s["application"])).content.decode()
    assert f"Are you sure you want to submit the application for {s['course'].title}?" in page
    assert s["user"].email in page and other_admin.email in page
    assert "Confirm and submit" in page
    assert f'href="{url("application", s["application"])}">Cancel and go back to your answers</a>' in page

    with run_on_commit():
        response = client.post(url("confirm_submit", s["application"]))
    assert (response.status_code, response["Location"]) == (302, url("application", s["application"]))
    s["application"].refresh_from_db()
    assert (s["application"].state, s["application"].round) == ("submitted", 1)
    # Submitted: confirming again only says so.
    response = client.post(url("confirm_submit", s["application"]), follow=True)
    assert "This application has been submitted and cannot be changed now" in response.content.decode()
    assert Application.objects.get().round == 1


def test_the_confirmation_sends_back_an_application_that_became_incomplete(client, s):
    response = client.get(url("confirm_submit", s["application"]), follow=True)
    assert response.redirect_chain == [(url("application", s["application"]), 302)]
    assert "Answer every criterion before submitting" in response.content.decode()
    assert client.post(url("confirm_submit", s["application"])).status_code == 302
    s["application"].refresh_from_db()
    assert s["application"].state == "draft"


def test_only_the_provider_posts_to_the_application(client, s):
    for person in (s["assessor"], make_user(email="outsider@example.org")):
        client.force_login(person)
        for name in ("save", "upload", "submit", "confirm_submit"):
            assert client.post(url(name, s["application"]), typed(s["criteria"])).status_code == 404, name
    assert saved_answers(s["application"]) == {}


def test_a_submitted_application_cannot_be_changed_by_any_button(client, s):
    domain.save_answers(s["user"], s["application"], {c.pk: "Done" for c in s["criteria"]})
    domain.submit_application(s["user"], s["application"])
    for name in ("save", "upload", "submit", "confirm_submit"):
        response = client.post(url(name, s["application"]), typed(s["criteria"]), follow=True)
        assert response.redirect_chain == [(url("application", s["application"]), 302)], name
        assert "This application has been submitted and cannot be changed now" in response.content.decode()
    assert set(saved_answers(s["application"]).values()) == {"Done"}


def test_an_answer_too_long_is_named_and_the_file_chosen_with_it_is_still_uploaded(client, s):
    first = s["criteria"][0]
    response = client.post(
        url("save", s["application"]),
        {
            **typed(s["criteria"]),
            f"criterion_{first.pk}": "x" * 10_001,
            "evidence_criterion": first.pk,
            "file": SimpleUploadedFile("plan.pdf", MINIMAL_PDF),
        },
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert f'<a href="#id_criterion_{first.pk}">' in page
    assert '<div class="govuk-inset-text">plan.pdf has been uploaded.</div>' in page
    assert "x" * 10_001 + "</textarea>" in page
    assert saved_answers(s["application"]) == {}
    assert list(s["application"].evidence.values_list("original_name", flat=True)) == ["plan.pdf"]
