"""What every page, email, export, calendar file, download and ZIP reveals, to
whom, at each stage of an awards cycle: the disclosure matrix.

tests/matrix/disclosure_world.py takes a cycle from draft to a postponed
announcement through the real domain functions, with a distinctive word
planted in each fact the policy (awards.disclosure) governs (disclosure_cast.py).
At every stage, every surface in disclosure_surfaces.py is fetched as every
person, and every email sent during the stage is read as its recipient would.
For each word found, the checker (disclosure_checker.py) asks the policy
whether that person, being who they are to that nomination
(judging.queries.audiences_for, itself checked against the world's table),
may see that fact at the nomination's phase; a word they may not see is a
leak. Where the surface is meant to show a fact and the person may see it,
its word must be there. Each surface also states who reaches it at all.

A new URL in the awards, judging or winners areas fails
test_every_page_is_in_the_matrix until it has a row in disclosure_surfaces.py
or is listed below, with the reason, among those that carry no nomination data
(NO_NOMINATION_DATA). A new email template fails test_disclosure_matrix until
the world sends it or it is listed in NO_NOMINATION_EMAILS.
"""

from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from .disclosure_cast import PEOPLE, STAGES
from .disclosure_checker import Checker, as_text, fetch
from .disclosure_surfaces import SURFACES
from .disclosure_world import World, build_people, email_documents, stages

pytestmark = pytest.mark.django_db


# URLs of these areas that carry no nomination or results data, with why.
NO_NOMINATION_DATA = {
    "judging:access_needs": "the judge's own access needs (judging.rules: the judge, or the admin with consent)",
    "judging:withdraw_access_consent": "POST only: answers with a redirect",
    "judging:scoring_support": "who helped the judge score: a name and how, no entry data",
    "awards:start": "lists the open categories",
    "awards:evidence_remove": "POST only: answers with a redirect",
    "awards:manage_cycles": "lists cycles",
    "awards:manage_cycle_create": "a form for a new cycle",
    "awards:manage_cycle_edit": "the cycle's timeline",
    "awards:manage_category_create": "a form for a new category",
    "awards:manage_category_edit": "the category's settings",
    "awards:manage_category": "the category's questions and criteria",
    "awards:manage_question": "a question",
    "awards:manage_question_delete": "POST only: answers with a redirect",
    "awards:manage_criterion": "a criterion",
    "awards:manage_criterion_delete": "POST only: answers with a redirect",
    "awards:manage_question_create": "POST only, for administrators: a redirect or the category page again",
    "awards:manage_criterion_create": "POST only, for administrators: a redirect or the category page again",
    "awards:manage_eligibility": "POST only: answers with a redirect or the staff nomination page (in the matrix)",
    "awards:manage_extension": "POST only: answers with a redirect or the staff nomination page (in the matrix)",
    "judging:profile": "the judge's own profile",
    "judging:conflicts": "the judge's own declarations and a search of organisations",
    "judging:declare_conflict": "a form naming one organisation the judge searched for",
    "judging:accept_invitation": "accepts an invitation and redirects",
    "judging:manage": "lists cycles",
    "judging:judges": "the judges and invitations, for administrators",
    "judging:approve_results": "POST only: a redirect or its confirmation page (counts only)",
    "judging:open_panels": "POST only: answers with a redirect",
    "judging:save_judging_settings": "POST only: the cycle's judging settings form again, or a redirect",
    "judging:visit_new": "the same form as the visit form (in the matrix), before a visit exists",
    "judging:withdraw_results": "a form for the reason, naming the cycle",
    "judging:reopen_panel": "a form for the reason, naming the category",
    "judging:no_award": "POST only: answers with a redirect",
    # Calibration: made-up example entries, never an entrant's data; calibration scores never enter results.
    "judging:calibration_examples": "the example entries of the judge's panels",
    "judging:calibrate": "one example entry and the judge's own calibration scores",
    "judging:panel_calibration": "each panel member's distance from the panel on the example entries",
    "judging:add_calibration_example": "POST only, for administrators: a redirect or the calibration page again",
    # The views a page's forms post to: each answers with a redirect, or with
    # its page again (in the matrix), built by the same code for the same viewer.
    "judging:submit_scores": "POST only: a redirect or the scoring page (in the matrix)",
    "judging:add_panel_member": "POST only, for administrators: a redirect or the list of judges (in the matrix)",
    "judging:override_assignment": "POST only, for administrators: a redirect or the assignment change (in the matrix)",
    "judging:remove_panel_member": "POST only, for administrators: a redirect or its confirmation (in the matrix)",
    "judging:set_panel_chair": "POST only: answers with a redirect",
    "judging:activate_panel": "POST only: answers with a redirect",
    "judging:assign_judges": "POST only: answers with a redirect",
    "judging:tie_break": "POST only: a redirect or the ranking page (in the matrix)",
    "judging:publish_shortlist": "POST only: a redirect or its confirmation page (counts only)",
    "judging:record_final_result": "POST only: a redirect or the final decisions page (in the matrix)",
    "judging:sign_off": "POST only: answers with a redirect",
    "judging:visit_cancel": "POST only, for administrators: a redirect or the visit form (in the matrix)",
    "judging:confirm_publish_shortlist": "counts of nominations, providers and people to be emailed: names none",
    "judging:confirm_approve_results": "counts of awards and entrants, and which panels have not signed off",
    "judging:press_pack": "POST only: queues the press pack and redirects to its job's page (the ZIP is in the matrix)",
}
NO_NOMINATION_EMAILS = {
    "consent_withdrawn": "to the awards administrators only, who may see every fact",
    "judge_invitation": "invites a person to be a judge",
    "join_request_received": "organisation membership",
    "join_request_decided": "organisation membership",
    "application_decided": "accreditation",
    "application_returned": "accreditation",
    "reminder_accreditation_expiry": "accreditation",
    "reminder_condition_due": "accreditation",
    "reminder_dass_deadline": "leaders",
    "reminder_dass_overdue": "leaders",
    "reminder_verification_digest": "leaders",
    "reminder_new_applications": "accreditation",
    "completion_decided": "leaders",
    "accreditation_status_changed": "accreditation",
    "course_change_decided": "accreditation",
    "panel_member_removed": "tells a judge they have left a panel: names no nomination",
    "panel_work_handed_over": "lists, by reference only, the judge's own new scorecards and visits",
    "export_ready": "says a staff export is ready, with its row count and a link to its page: names no nomination",
}


def run_matrix(world, checker):
    client = Client()
    from notifications.models import OutboundEmail

    recipients = {user.email: key for key, user in world.people.items() if user is not None}
    for stage, phase in stages(world):
        checker.context(stage, phase)
        for person in PEOPLE:
            user = world.people[person]
            if user is None:
                client.logout()
            else:
                client.force_login(user)
            for surface in SURFACES:
                url = surface.url(world)
                if url is None:
                    continue
                status, body = fetch(client, url)
                reached = person in surface.reach.get(stage, set())
                if reached and status != 200:
                    checker.problems.append(f"{stage}: {surface.name} answered {status} to {person}, expected 200")
                if not reached and status == 200:
                    checker.problems.append(
                        f"{stage}: {surface.name} answered 200 to {person}, who should not reach it"
                    )
                kind = surface.kind if status == 200 else "html"
                checker.check(
                    f"{surface.name} ({url})",
                    person,
                    as_text(kind, body),
                    shows=surface.shows if status == 200 else (),
                    own=surface.own.get(person, ()),
                )
        for email in OutboundEmail.objects.filter(pk__in=world.emails[stage]).order_by("pk"):
            person = recipients.get(email.to)
            if person is None:
                checker.problems.append(f"{stage}: an email to {email.to}, who is not in the world")
                continue
            text = "\n".join(as_text("html", body) for _, body in email_documents(email))
            checker.check(f"email {email.template} to {email.to}", person, text)
            checker.templates_seen.add(email.template)


def test_disclosure_matrix():
    """Nothing leaks, everything allowed is there, and each surface reaches
    exactly its people, at every stage. All failures are listed together."""
    world = World()
    build_people(world)
    checker = Checker(world)
    checker.templates_seen = set()
    run_matrix(world, checker)
    if checker.problems:
        pytest.fail(f"{len(checker.problems)} problems:\n" + "\n".join(checker.problems), pytrace=False)
    # Every email template that can carry nomination data was sent, and read, in the world.
    templates = {path.name.removesuffix("_subject.txt") for path in EMAIL_TEMPLATES.glob("*_subject.txt")}
    assert sorted(templates - checker.templates_seen - set(NO_NOMINATION_EMAILS)) == []
    # The matrix's size: each surface for each person at each stage where it exists, and each email.
    assert checker.checked > len(SURFACES) * len(PEOPLE) * len(STAGES) * 0.8


def test_every_page_is_in_the_matrix():
    """A page that can carry nomination data must have its row."""
    names = set()
    for namespace in ("awards", "judging", "winners"):
        resolver = get_resolver().namespace_dict[namespace][1]
        names |= {f"{namespace}:{name}" for name in _names(resolver)}
    covered = {surface.route for surface in SURFACES}
    assert sorted(names - covered - set(NO_NOMINATION_DATA)) == []
    assert sorted(covered & set(NO_NOMINATION_DATA)) == []


EMAIL_TEMPLATES = Path(settings.BASE_DIR) / "templates" / "email"


def _names(resolver):
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLPattern) and pattern.name:
            yield pattern.name
        elif isinstance(pattern, URLResolver):
            yield from _names(pattern)
