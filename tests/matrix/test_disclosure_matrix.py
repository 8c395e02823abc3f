"""What every page, email, export, calendar file, download and ZIP reveals, to
whom, at each stage of an awards cycle: the disclosure matrix.

tests/matrix/disclosure_world.py takes a cycle from draft to a postponed
announcement through the real domain functions, with a distinctive word
planted in each fact the policy (awards.disclosure) governs. At every stage,
every surface below is fetched as every person, and every email sent during
the stage is read as its recipient would. For each word found, the test asks
the policy whether that person, being who they are to that nomination
(judging.queries.audiences_for, itself checked against the world's table),
may see that fact at the nomination's phase; a word they may not see is a
leak. Where the surface is meant to show a fact and the person may see it,
its word must be there. Each surface also states who reaches it at all.

A new URL in the awards, judging or winners areas, or a new email template,
fails test_every_surface_is_in_the_matrix until it has a row here or is
listed, with the reason, among those that carry no nomination data.
"""

import csv
import html
import io
import zipfile
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from awards.disclosure import allows

from .disclosure_world import AUDIENCES, MARKERS, PEOPLE, STAGES, World, build_people, email_documents, stages

pytestmark = pytest.mark.django_db

ALL_STAGES = [key for key, _ in STAGES]
SIGNED_IN = [p for p in PEOPLE if p != "public"]
JUDGES = ["judith", "ivy", "conrad", "petra", "charles"]


def since(first):
    return ALL_STAGES[ALL_STAGES.index(first) :]


def only(*stages):
    return list(stages)


class Show:
    """Words a surface must show these people at these stages (each only if
    the policy lets the person see it)."""

    def __init__(self, texts, people, stages):
        self.texts, self.people, self.stages = list(texts), set(people), set(stages)


class Surface:
    """One page or file. `url(world)` gives its address, or None while what
    it shows does not exist yet; `reach` is {stage: people} who get it (200);
    `shows` what it must show whom; `own` words that are a person's own
    record there, not a disclosure (their reason given)."""

    def __init__(self, name, url, reach, shows=(), kind="html", route=None, own=None):
        self.name, self.url, self.reach, self.shows, self.kind = name, url, reach, list(shows), kind
        self.route = route or url.route
        self.own = own or {}


def everyone_at(stages, people):
    return {stage: set(people) for stage in stages}


def assignment_url(name, judge, stage="written", nomination="N"):
    def url(world):
        from judging.models import Assignment

        assignment = Assignment.objects.filter(
            judge=world.people[judge], nomination=world.objects[nomination], stage=stage
        ).first()
        return reverse(name, args=[assignment.pk]) if assignment else None

    url.route = name
    return url


def visit_url(name):
    def url(world):
        visit = world.objects.get("visit")
        return reverse(name, args=[visit.pk]) if visit else None

    url.route = name
    return url


def simple(name, *args, query=""):
    def url(world):
        resolved = [world.objects[a].pk if isinstance(a, str) and a in world.objects else a for a in args]
        return reverse(name, args=resolved) + query

    url.route = name
    return url


def _judge_evidence_url(world):
    from judging.models import Assignment

    assignment = Assignment.objects.filter(
        judge=world.people["judith"], nomination=world.objects["N"], stage="written"
    ).first()
    if assignment is None:
        return None
    return reverse("judging:evidence", args=[assignment.pk, world.objects["image"].pk])


def _reopen_url(world):
    from judging.models import Assignment

    assignment = Assignment.objects.filter(
        judge=world.people["judith"], nomination=world.objects["N"], stage="written"
    ).first()
    return reverse("judging:reopen_scores", args=[world.objects["panel"].pk, assignment.pk]) if assignment else None


SURFACES = [
    # The entrant's pages
    Surface(
        "provider dashboard",
        simple("awards:dashboard"),
        everyone_at(ALL_STAGES, SIGNED_IN),
        [Show(["Wombat House"], ["ellen"], ALL_STAGES), Show([">Winner</strong>"], ["ellen"], ["announced"])],
    ),
    Surface(
        "nomination page",
        simple("awards:nomination", "N"),
        everyone_at(ALL_STAGES, ["ellen", "admin"]),
        [
            Show(["Wombat House"], ["ellen", "admin"], ALL_STAGES),
            Show(["Lanternfield", "Pipistrelle"], ["ellen", "admin"], since("submitted")),
            Show(["Kestrelbridge"], ["ellen", "admin"], since("eligibility")),
            Show([">Winner</strong>", "Result announced: Winner"], ["ellen"], ["announced"]),
        ],
    ),
    Surface(
        "other entrant's nomination page",
        simple("awards:nomination", "N2"),
        everyone_at(ALL_STAGES, ["olly", "admin"]),
        [Show(["Bramble Court", "Moorhen"], ["olly", "admin"], ALL_STAGES)],
    ),
    Surface(
        "images page",
        simple("awards:images", "N"),
        everyone_at(ALL_STAGES, ["ellen"]),
        [Show(["Tamarisk", "Kittiwake"], ["ellen"], ALL_STAGES)],
    ),
    Surface(
        "answers form",
        simple("awards:edit_answers", "N"),
        everyone_at(["draft"], ["ellen"]),
        [Show(["Lanternfield"], ["ellen"], ["draft"])],
    ),
    Surface(
        "service form",
        simple("awards:edit_service", "N"),
        everyone_at(["draft"], ["ellen"]),
        [Show(["Wombat House", "Marsupial Lane"], ["ellen"], ["draft"])],
    ),
    Surface(
        "statement form",
        simple("awards:edit_statement", "N"),
        everyone_at(["draft"], ["ellen"]),
        [Show(["Pipistrelle"], ["ellen"], ["draft"])],
    ),
    Surface("consent form", simple("awards:edit_consent", "N"), everyone_at(["draft"], ["ellen"])),
    Surface("evidence page", simple("awards:evidence", "N"), everyone_at(["draft"], ["ellen"])),
    Surface(
        "check answers",
        simple("awards:check_answers", "N"),
        everyone_at(["draft"], ["ellen"]),
        [Show(["Lanternfield", "Pipistrelle"], ["ellen"], ["draft"])],
    ),
    Surface("submitted page", simple("awards:submitted", "N"), everyone_at(since("submitted"), ["ellen"])),
    Surface("withdraw page", simple("awards:withdraw", "N"), everyone_at(ALL_STAGES, ["ellen", "admin"])),
    Surface(
        "evidence download",
        lambda world: reverse("awards:evidence_download", args=[world.objects["image"].pk]),
        everyone_at(ALL_STAGES, ["ellen", "admin"]),
        [Show(["Bittern"], ["ellen", "admin"], ALL_STAGES)],
        kind="binary",
        route="awards:evidence_download",
    ),
    Surface(
        "judges' feedback",
        simple("judging:feedback", "N"),
        everyone_at(["announced"], ["ellen"]),
        [Show(["Heronsgate", "Fallowmere", "Saltmarsh", "Avocet"], ["ellen"], ["announced"])],
    ),
    # Staff pages and exports
    Surface(
        "staff nomination list",
        simple("awards:manage_nominations"),
        everyone_at(ALL_STAGES, ["admin"]),
        [Show(["Wombat House", "Quokka Care Partnership"], ["admin"], ALL_STAGES)],
    ),
    Surface(
        "nominations CSV",
        simple("awards:manage_nominations", query="?export=csv"),
        everyone_at(ALL_STAGES, ["admin"]),
        [Show(["Wombat House", "Quokka Care Partnership"], ["admin"], ALL_STAGES)],
        kind="csv",
    ),
    Surface(
        "nominations XLSX",
        simple("awards:manage_nominations", query="?export=xlsx"),
        everyone_at(ALL_STAGES, ["admin"]),
        [Show(["Wombat House", "Quokka Care Partnership"], ["admin"], ALL_STAGES)],
        kind="zip",
    ),
    Surface(
        "staff nomination detail",
        simple("awards:manage_nomination", "N"),
        everyone_at(ALL_STAGES, ["admin"]),
        [
            Show(["Wombat House", "Lanternfield"], ["admin"], ALL_STAGES),
            Show(["Kestrelbridge"], ["admin"], since("eligibility")),
            Show(["Corncrake", "Conflict of interest declared"], ["admin"], since("scoring")),
        ],
    ),
    Surface("cycle page", simple("awards:manage_cycle", "cycle"), everyone_at(ALL_STAGES, ["admin"])),
    Surface("sector balance", simple("awards:manage_sector_balance", "cycle"), everyone_at(ALL_STAGES, ["admin"])),
    Surface(
        "audit log",
        simple("accounts:audit_log"),
        everyone_at(ALL_STAGES, ["admin"]),
        [Show(["Ptarmigan", "Corncrake"], ["admin"], ["scoring"])],
    ),
    Surface("reminder ledger", simple("notifications:ledger"), everyone_at(ALL_STAGES, ["admin"])),
    Surface("your reminders", simple("notifications:mine"), everyone_at(ALL_STAGES, SIGNED_IN)),
    Surface(
        "your data",
        simple("your_data", query="?format=json"),
        everyone_at(ALL_STAGES, SIGNED_IN),
        [Show(["Ptarmigan"], ["conrad"], since("scoring"))],
        kind="json",
        # The organisation Conrad declared his conflict with is his own record.
        own={"conrad": {"Quokka Care Partnership"}},
    ),
    # Judges
    Surface("judge's home", simple("judging:home"), everyone_at(ALL_STAGES, JUDGES)),
    Surface(
        "scoring page",
        assignment_url("judging:score", "judith"),
        everyone_at(since("scoring"), ["judith"]),
        [
            Show(["Lanternfield", "Heronsgate"], ["judith"], since("scoring")),
            Show(["Wombat House"], ["judith"], since("shortlist")),
        ],
    ),
    Surface(
        "scoring page, scores not yet submitted",
        assignment_url("judging:score", "ivy"),
        everyone_at(since("scoring"), ["ivy"]),
        [Show(["Lanternfield", "Fallowmere"], ["ivy"], since("scoring"))],
    ),
    Surface(
        "site-visit scoring page",
        assignment_url("judging:score", "judith", stage="site_visit"),
        everyone_at(since("visits"), ["judith"]),
        [Show(["Lanternfield", "Wombat House", "Saltmarsh"], ["judith"], since("visits"))],
    ),
    Surface(
        "scoring page of a conflicted judge",
        assignment_url("judging:score", "conrad"),
        {},
    ),
    Surface(
        "other judges' scores",
        assignment_url("judging:others_scores", "judith"),
        everyone_at(since("scoring"), ["judith"]),
        [Show(["Fallowmere"], ["judith"], since("shortlist"))],
    ),
    Surface(
        "declare a conflict from a nomination",
        assignment_url("judging:conflict_from_assignment", "judith"),
        everyone_at(since("scoring"), ["judith"]),
    ),
    Surface(
        "evidence download for a judge",
        _judge_evidence_url,
        everyone_at(since("scoring"), ["judith"]),
        [Show(["Bittern"], ["judith"], since("scoring"))],
        kind="binary",
        route="judging:evidence",
    ),
    Surface(
        "visit page",
        visit_url("judging:visit"),
        everyone_at(since("visits"), ["judith", "ivy"]),
        [
            Show(
                ["Nightjar", "Whimbrel", "Judith Quayle", "Ivy Lumen", "Marsupial Lane"],
                ["judith", "ivy"],
                since("visits"),
            )
        ],
    ),
    Surface(
        "visit calendar file",
        visit_url("judging:visit_ics"),
        everyone_at(since("visits"), ["judith", "ivy"]),
        [
            Show(
                ["Nightjar", "Judith Quayle", "Ivy Lumen"],
                ["judith", "ivy"],
                since("visits"),
            )
        ],
        kind="ics",
    ),
    # The panel
    Surface(
        "panel page",
        simple("judging:panel", "panel"),
        everyone_at(ALL_STAGES, ["charles", "admin"]),
        [Show(["Judith Quayle", "Petra Nimbus", "conrad.vexley@judges.example"], ["charles", "admin"], ALL_STAGES)],
    ),
    Surface(
        "ranking",
        simple("judging:results", "panel"),
        everyone_at(ALL_STAGES, ["charles", "admin"]),
        [
            Show(["78.0", "Judith Quayle"], ["charles", "admin"], since("scoring")),
            Show(["52.0", "Ivy Lumen"], ["charles", "admin"], since("shortlist")),
            Show(["Wombat House"], ["admin"], since("eligibility")),
            Show(["Wombat House"], ["charles"], since("shortlist")),
        ],
    ),
    Surface(
        "site-visit ranking",
        simple("judging:results", "panel", query="?stage=site_visit"),
        everyone_at(ALL_STAGES, ["charles", "admin"]),
    ),
    Surface(
        "shortlist page",
        simple("judging:shortlist", "panel"),
        everyone_at(only("draft", "submitted", "eligibility", "scoring"), ["charles", "admin"]),
        [Show(["78.0"], ["charles", "admin"], ["scoring"])],
    ),
    Surface(
        "reopen scores",
        _reopen_url,
        everyone_at(since("scoring"), ["charles"]),
        [Show(["Judith Quayle"], ["charles"], since("scoring"))],
        route="judging:reopen_scores",
    ),
    Surface(
        "final decisions",
        simple("judging:final", "panel"),
        everyone_at(ALL_STAGES, ["charles", "admin"]),
        [Show(["Avocet", "Siskin"], ["charles", "admin"], since("decided"))],
    ),
    Surface("site visits page", simple("judging:visits", "panel"), everyone_at(ALL_STAGES, ["admin"])),
    Surface(
        "visit form",
        lambda world: (
            reverse("judging:visit_edit", args=[world.objects["N"].pk, world.objects["visit"].pk])
            if world.objects.get("visit")
            else None
        ),
        everyone_at(since("visits"), ["admin"]),
        [Show(["Nightjar"], ["admin"], since("visits"))],
        route="judging:visit_edit",
    ),
    Surface("cycle's panels", simple("judging:cycle_panels", "cycle"), everyone_at(ALL_STAGES, ["admin"])),
    Surface(
        "scores export",
        lambda world: reverse("judging:export", args=[world.objects["cycle"].pk, "scores", "csv"]),
        everyone_at(ALL_STAGES, ["admin"]),
        [Show(["Heronsgate", "judith.quayle@judges.example"], ["admin"], since("scoring"))],
        kind="csv",
        route="judging:export",
    ),
    Surface(
        "rankings export",
        lambda world: reverse("judging:export", args=[world.objects["cycle"].pk, "rankings", "xlsx"]),
        everyone_at(ALL_STAGES, ["admin"]),
        kind="zip",
        route="judging:export",
    ),
    Surface(
        "visits export",
        lambda world: reverse("judging:export", args=[world.objects["cycle"].pk, "visits", "csv"]),
        everyone_at(ALL_STAGES, ["admin"]),
        [Show(["judith.quayle@judges.example"], ["admin"], since("visits"))],
        kind="csv",
        route="judging:export",
    ),
    Surface("judges' score distribution", simple("judging:distribution", "cycle"), everyone_at(ALL_STAGES, ["admin"])),
    # Results
    Surface("press packs", simple("judging:press"), everyone_at(ALL_STAGES, ["media", "admin"])),
    Surface(
        "press pack",
        simple("judging:press_pack", "cycle"),
        everyone_at(only("embargoed", "announced", "postponed"), ["media", "admin"]),
        [Show(["Avocet", "Wombat House", "Tamarisk"], ["media", "admin"], only("embargoed", "announced", "postponed"))],
        kind="zip",
    ),
    Surface("winners index", simple("winners:index"), everyone_at(ALL_STAGES, PEOPLE)),
    Surface(
        "winners page",
        simple("winners:cycle", "cycle"),
        everyone_at(["announced"], PEOPLE),
        [Show(["Avocet", "Wombat House", "Tamarisk"], PEOPLE, ["announced"])],
    ),
    Surface(
        "winner's image",
        lambda world: reverse("winners:image", args=[world.objects["image"].pk]),
        everyone_at(["announced"], PEOPLE),
        kind="binary",
        route="winners:image",
    ),
]

# URLs of these areas that carry no nomination or results data, with why.
NO_NOMINATION_DATA = {
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
    "judging:approve_results": "POST only: answers with a redirect",
    "judging:open_panels": "POST only: answers with a redirect",
    "judging:save_rules": "POST only: the cycle's rules form again, or a redirect",
    "judging:visit_new": "the same form as the visit form (in the matrix), before a visit exists",
    "judging:withdraw_results": "a form for the reason, naming the cycle",
    "judging:reopen_panel": "a form for the reason, naming the category",
    "judging:no_award": "POST only: answers with a redirect",
    # The views a page's forms post to: each answers with a redirect, or with
    # its page again (in the matrix), built by the same code for the same viewer.
    "judging:submit_scores": "POST only: a redirect or the scoring page (in the matrix)",
    "judging:add_panel_member": "POST only, for administrators: a redirect or the panel page (in the matrix)",
    "judging:override_assignment": "POST only, for administrators: a redirect or the panel page (in the matrix)",
    "judging:remove_panel_member": "POST only: answers with a redirect",
    "judging:set_panel_chair": "POST only: answers with a redirect",
    "judging:activate_panel": "POST only: answers with a redirect",
    "judging:assign_judges": "POST only: answers with a redirect",
    "judging:tie_break": "POST only: a redirect or the ranking page (in the matrix)",
    "judging:publish_shortlist": "POST only: a redirect or the ranking page (in the matrix)",
    "judging:record_final_result": "POST only: a redirect or the final decisions page (in the matrix)",
    "judging:sign_off": "POST only: answers with a redirect",
    "judging:visit_cancel": "POST only, for administrators: a redirect or the visit form (in the matrix)",
}
NO_NOMINATION_EMAILS = {
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
    "accreditation_status_changed": "accreditation",
    "course_change_decided": "accreditation",
}


def as_text(kind, body: bytes) -> str:
    """Everything a reader of the file could see, as text: a ZIP (the press
    pack, an XLSX) is read member by member."""
    if kind == "zip":
        with zipfile.ZipFile(io.BytesIO(body)) as archive:
            return "\n".join(archive.read(name).decode("utf-8", "replace") for name in archive.namelist())
    if kind == "ics":  # long lines are folded (RFC 5545): unfold them first
        return body.decode("utf-8", "replace").replace("\r\n ", "")
    if kind == "csv":
        return "\n".join(",".join(row) for row in csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    text = body.decode("utf-8", "replace")
    return text + "\n" + html.unescape(text) if kind == "html" else text


def fetch(client, url) -> tuple[int, bytes]:
    response = client.get(url)
    if response.streaming:
        return response.status_code, b"".join(response.streaming_content)
    return response.status_code, response.content


class Checker:
    def __init__(self, world):
        self.world = world
        self.problems: list[str] = []
        self.checked = 0

    def context(self, stage, phase):
        """Who each person is to each nomination, and each nomination's phase, now."""
        from judging.queries import audiences_for, phases_for

        nominations = {key: self.world.objects[key] for key in ("N", "N2")}
        for nomination in nominations.values():
            nomination.refresh_from_db()
        phases = phases_for(nominations.values())
        self.phases = {key: phases[n.pk] for key, n in nominations.items()}
        if self.phases["N"] != phase:
            self.problems.append(f"{stage}: N is in phase {self.phases['N']}, expected {phase}")
        index = ALL_STAGES.index(stage)
        self.audiences = {}
        for person in PEOPLE:
            user = self.world.people[person]
            from django.contrib.auth.models import AnonymousUser

            found = audiences_for(user or AnonymousUser(), nominations.values())
            for key, nomination in nominations.items():
                self.audiences[(person, key)] = found[nomination.pk]
                expected = AUDIENCES[key][person][index]
                if found[nomination.pk] != expected:
                    self.problems.append(f"{stage}: {person} is {found[nomination.pk]} to {key}, expected {expected}")
        self.stage = stage

    def may_see(self, person, marker) -> bool:
        if person == marker.owner:
            return True
        nomination = self.world.objects[marker.nomination]
        return allows(
            self.audiences[(person, marker.nomination)],
            marker.fact_to(person),
            self.phases[marker.nomination],
            anonymised=nomination.cycle.anonymise_written_stage,
            consented=bool(nomination.consent_to_publish),
        )

    def exists(self, marker) -> bool:
        stage_phase = dict(STAGES)[self.stage]
        from awards.disclosure import Phase

        order = list(Phase.values)
        return order.index(stage_phase) >= order.index(marker.exists_from)

    def check(self, label, person, text, shows=(), own=()):
        self.checked += 1
        for marker in MARKERS:
            if marker.text in text and marker.text not in own and not self.may_see(person, marker):
                self.problems.append(
                    f"LEAK at {self.stage}: {label} shows {person} ({self.audiences[(person, marker.nomination)]}) "
                    f"{marker.fact_to(person)} of {marker.nomination}: {marker.text!r}"
                )
        by_text = {m.text: m for m in MARKERS}
        for show in shows:
            if person not in show.people or self.stage not in show.stages:
                continue
            for word in show.texts:
                marker = by_text[word]
                if marker.owner == person or not self.may_see(person, marker):
                    continue
                if word not in text:
                    self.problems.append(f"MISSING at {self.stage}: {label} does not show {person} {word!r}")


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
