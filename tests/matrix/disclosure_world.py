"""The world the disclosure matrix runs in: one awards cycle taken from draft
to announcement (and a postponed announcement) through the real domain
functions, with a distinctive word planted in every fact the disclosure
policy governs, so a test can look for each fact in the bytes of every page,
email, export, calendar file, download and ZIP.

Nomination N (Quokka Care Partnership's Wombat House) goes all the way and
wins; N2 (Bramblewick Trust's Bramble Court) is not shortlisted; N3 is
withdrawn. The cycle judges its written stage anonymously.

People, one a column of the matrix: the entrant of N (Ellen) and of N2
(Olly); Judith and Ivy, N's judges; Conrad, first assigned to N, who then
declares a conflict with its entrant; Petra, N2's judge; Charles, the panel
chair (N2's other judge); the awards administrator; the media partner; and
an anonymous visitor.

The planted words, the people, the stages and who each person is to each
nomination are in disclosure_cast.py.
"""

import base64
from contextlib import contextmanager
from dataclasses import dataclass, field

import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.enums import MembershipRole, SiteRole
from awards.disclosure import Phase

from ..factories import MINIMAL_PDF, image_bytes, make_provider, make_user
from .disclosure_cast import JUDGE_NAMES, day, exif


@dataclass
class World:
    people: dict = field(default_factory=dict)
    objects: dict = field(default_factory=dict)
    # Outbox email ids sent during each stage.
    emails: dict = field(default_factory=dict)


def build_people(world: World):
    quokka_user, quokka = make_provider("Quokka Care Partnership", full_name="Ellen Entrant")
    quokka_user.email = "ellen@quokka.example"
    quokka_user.save()
    bramble_user, bramble = make_provider("Bramblewick Trust", full_name="Olly Other")
    from judging.models import JudgeProfile

    def judge(key, sector, lived):
        name, email = JUDGE_NAMES[key]
        person = make_user(email=email, full_name=name, roles=[SiteRole.JUDGE])
        JudgeProfile.objects.create(user=person, sector_background=sector, lived_experience=lived)
        return person

    world.people = {
        "ellen": quokka_user,
        "olly": bramble_user,
        "judith": judge("judith", "voluntary", "uses_services"),
        "ivy": judge("ivy", "private", "unpaid_carer"),
        "conrad": judge("conrad", "public", "none"),
        "petra": judge("petra", "community", "none"),
        "charles": judge("charles", "public", "none"),
        "admin": make_user(email="admin@awards.example", full_name="Avery Admin", roles=[SiteRole.AWARDS_ADMIN]),
        "media": make_user(email="media@press.example", full_name="Mel Media", roles=[SiteRole.MEDIA_PARTNER]),
        "public": None,
    }
    world.objects.update(quokka=quokka, bramble=bramble)
    make_user(email="colleague@quokka.example", organisation=quokka, org_role=MembershipRole.MEMBER)


class Clock:
    """Time stopped at one instant at a time; stop() lets it run again."""

    def __init__(self):
        self.traveller = None

    def at(self, when):
        self.stop()
        self.traveller = time_machine.travel(when, tick=False)
        self.traveller.start()

    def stop(self):
        if self.traveller is not None:
            self.traveller.stop()
            self.traveller = None


def stages(world: World):
    """Runs the cycle, yielding (stage key, phase) once the world is in each
    stage, with time stopped at that stage's instant. Closing the generator
    early lets time run again."""
    clock = Clock()
    try:
        yield from _stages(world, clock)
    finally:
        clock.stop()


@contextmanager
def world_at(stage: str):
    """The world in `stage`, time stopped there, for tests of one situation."""
    world = World()
    build_people(world)
    runner = stages(world)
    try:
        for key, _ in runner:
            if key == stage:
                break
        yield world
    finally:
        runner.close()


def _stages(world: World, clock: "Clock"):
    from awards import domain as awards
    from awards import reminders as award_reminders
    from awards.builders import build_cycle
    from awards.models import Category, Criterion, Programme, Question
    from judging import domain as judging
    from judging import reminders as judging_reminders
    from judging.enums import Award, ConflictType
    from judging.models import Assignment, Panel, PanelMember
    from notifications.models import OutboundEmail

    p = world.people
    admin = p["admin"]

    def step(key, phase, when):
        last = OutboundEmail.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        clock.at(when)
        return last, clock

    def done(key, last):
        world.emails[key] = list(OutboundEmail.objects.filter(pk__gt=last).values_list("pk", flat=True))

    # Draft ----------------------------------------------------------------------------------
    last, _ = step("draft", Phase.DRAFT, day(0))
    programme = Programme.objects.create(name="Disclosure Awards", reference_prefix="DSC")
    cycle = build_cycle(
        programme,
        opens=day(-5),
        closes=day(10),
        year=2030,
        after_close={
            "scoring_deadline": day(30) - day(10),
            "shortlist_published": day(32) - day(10),
            "site_visits_start": day(40) - day(10),
            "site_visits_end": day(60) - day(10),
            "final_panel": day(70) - day(10),
            "winners_announced": day(80) - day(10),
        },
        anonymise_written_stage=True,
    )
    category = Category.objects.create(
        cycle=cycle, name="Outstanding Home", description="A home people choose.", judges_per_nomination=2
    )
    question = Question.objects.create(category=category, text="What do residents lead?", word_limit=200)
    criteria = [
        Criterion.objects.create(category=category, name="Person-centred care", weight=3, max_score=10),
        Criterion.objects.create(category=category, name="Outcomes", weight=2, max_score=10),
    ]
    visit_criterion = Criterion.objects.create(
        category=category, stage="site_visit", name="What we saw", weight=1, max_score=10
    )
    panel = Panel.objects.create(category=category, chair=p["charles"])
    for key in ("judith", "ivy", "conrad", "petra", "charles"):
        PanelMember.objects.create(panel=panel, judge=p[key])

    def draft(user, organisation, service, address, answer, statement):
        nomination = awards.start_nomination(user, organisation, category)
        awards.save_service_details(
            user, nomination, service_name=service, service_address=address, service_regulator_number="1-555000111"
        )
        awards.save_answers(user, nomination, {question.pk: answer})
        awards.save_statement(user, nomination, statement=statement, given_by="A resident", consent=True)
        awards.save_publication_consent(user, nomination, consent=True)
        awards.add_evidence(user, nomination, SimpleUploadedFile("plan.pdf", MINIMAL_PDF), "The activity plan")
        return nomination

    n = draft(
        p["ellen"],
        world.objects["quokka"],
        "Wombat House",
        "7 Marsupial Lane\nNorthtown",
        "Residents plan the Lanternfield garden and choose who works here.",
        "The staff know my Pipistrelle stories.",
    )
    # The person consented, with support, to judges and publication: not the media.
    awards.record_consent(
        p["ellen"], n, subject="statement", basis="supported", supporter="A key worker", uses={"judges", "publication"}
    )
    published = awards.add_evidence(
        p["ellen"],
        n,
        SimpleUploadedFile("garden.jpg", image_bytes("jpeg", size=(40, 30), exif=exif("Bittern X100"))),
        "Kittiwake: our residents in the garden",
    )
    awards.add_evidence(
        p["ellen"],
        n,
        SimpleUploadedFile("kitchen.jpg", image_bytes("jpeg", size=(40, 30), exif=exif("Goldeneye Z7"))),
        "Not for publication",
    )
    awards.set_image_publication(
        p["ellen"], published, publish=True, caption="Residents by the Tamarisk pond", people_consent=True
    )
    n2 = draft(
        p["olly"],
        world.objects["bramble"],
        "Bramble Court",
        "12 Hedgerow Road\nSouthtown",
        "Hawfinch walks every morning.",
        "I feel at home.",
    )
    n3 = draft(p["olly"], world.objects["bramble"], "Bramble Lodge", "3 Hedgerow Road", "Walks.", "Nice.")
    awards.grant_extension(admin, n2, until=day(12), reason="Moorhen: their manager was in hospital")
    award_reminders.sweep_nomination_close(day(7))
    world.objects.update(cycle=cycle, category=category, panel=panel, N=n, N2=n2, image=published)
    done("draft", last)
    yield "draft", Phase.DRAFT

    # Submitted ------------------------------------------------------------------------------
    last, _ = step("submitted", Phase.SUBMITTED, day(8))
    awards.submit_nomination(p["ellen"], n)
    awards.submit_nomination(p["olly"], n2)
    awards.submit_nomination(p["olly"], n3)
    awards.withdraw_nomination(p["olly"], n3, reason="We entered it twice")
    done("submitted", last)
    yield "submitted", Phase.SUBMITTED

    # Eligibility ----------------------------------------------------------------------------
    last, _ = step("eligibility", Phase.ELIGIBILITY, day(11))
    awards.decide_eligibility(admin, n, eligible=True, note="Kestrelbridge: registration confirmed")
    awards.decide_eligibility(admin, n2, eligible=True)
    judging.activate_panel(admin, panel)
    done("eligibility", last)
    yield "eligibility", Phase.ELIGIBILITY

    # Scoring --------------------------------------------------------------------------------
    last, _ = step("scoring", Phase.SCORING, day(28))
    for nomination, judges in ((n, ("judith", "conrad")), (n2, ("petra", "charles"))):
        for key in judges:
            judging.override_assignment(
                admin, nomination, p[key], add=True, reason="Corncrake: the usual judge is on leave in February"
            )
    judging.declare_conflict(
        p["conrad"],
        world.objects["quokka"],
        kind=ConflictType.EMPLOYMENT,
        note="Ptarmigan: I worked there until 2024",
        nomination=n,
    )
    # The conflict took Conrad off N; the least loaded clean member, Ivy, took his place.
    assert set(Assignment.objects.filter(nomination=n, state="active").values_list("judge__email", flat=True)) == {
        JUDGE_NAMES["judith"][1],
        JUDGE_NAMES["ivy"][1],
    }

    def score(key, nomination, values, comment, *, submit, stage="written"):
        assignment = Assignment.objects.get(nomination=nomination, judge=p[key], stage=stage, state="active")
        chosen = criteria if stage == "written" else [visit_criterion]
        judging.save_scores(
            p[key], assignment, {c.pk: (v, comment) for c, v in zip(chosen, values, strict=True)}, submit=submit
        )
        return assignment

    score("judith", n, (7, 9), "Heronsgate: thoughtful plans", submit=True)  # total 78.0
    score("ivy", n, (6, 4), "Fallowmere: good but thin evidence", submit=False)  # a draft, total 52.0 when in
    petra = score("petra", n2, (5, 5), "Fine", submit=True)
    score("charles", n2, (5, 6), "Fine", submit=True)
    judging.reopen_scores(p["charles"], petra, reason="Please look at the evidence again")
    score("petra", n2, (5, 5), "Fine, checked", submit=True)
    judging_reminders.sweep_scoring_deadline(day(28))
    done("scoring", last)
    yield "scoring", Phase.SCORING

    # Shortlist published --------------------------------------------------------------------
    last, _ = step("shortlist", Phase.SHORTLIST, day(33))
    judging_reminders.sweep_scoring_deadline(day(30, 2))  # Ivy is late: the chair hears of it
    score("ivy", n, (6, 4), "Fallowmere: good but thin evidence", submit=True)
    judging.decide_shortlist(p["charles"], category, nomination_ids=[n.pk], rationale="Wagtail: clearly strongest")
    judging.publish_shortlist(admin, category)
    done("shortlist", last)
    yield "shortlist", Phase.SHORTLIST

    # Site visits ----------------------------------------------------------------------------
    last, _ = step("visits", Phase.VISITS, day(35))
    details = {
        "starts_at": day(45, -2),
        "ends_at": day(45),
        "address": "7 Marsupial Lane\nNorthtown",
        "access_notes": "Ring the Nightjar bell at the side door",
        "provider_contact_name": "Ellen Entrant",
        "provider_contact_email": p["ellen"].email,
        "provider_contact_phone": "",
    }
    first = judging.schedule_visit(admin, n, [p["judith"], p["ivy"]], **details)
    judging.cancel_visit(admin, first, reason="Garganey: the home has an outbreak")
    visit = judging.schedule_visit(admin, n, [p["judith"], p["ivy"]], **details)
    judging_reminders.sweep_site_visits(day(44))
    clock.at(day(46))
    judging.submit_visit_report(
        p["ivy"], visit, what_was_seen="Residents showed us the Whimbrel room", spoke_to_people_using_service=True
    )
    score("judith", n, (8,), "Saltmarsh: residents led the tour", submit=True, stage="site_visit")
    world.objects["visit"] = visit
    done("visits", last)
    yield "visits", Phase.VISITS

    # Decided: the panel signs off -----------------------------------------------------------
    last, _ = step("decided", Phase.DECIDED, day(71))
    score("ivy", n, (7,), "A calm visit", submit=True, stage="site_visit")
    n.refresh_from_db()
    judging.record_final_result(
        p["charles"],
        n,
        award=Award.WINNER,
        citation="Avocet: residents run the garden committee",
        rationale="Siskin: strongest on every criterion",
    )
    judging.sign_off(p["charles"], panel)
    done("decided", last)
    yield "decided", Phase.DECIDED

    # Approved, under embargo ----------------------------------------------------------------
    last, _ = step("embargoed", Phase.EMBARGOED, day(72))
    judging.approve_results(admin, cycle)
    done("embargoed", last)
    yield "embargoed", Phase.EMBARGOED

    # Announced ------------------------------------------------------------------------------
    last, _ = step("announced", Phase.ANNOUNCED, day(81))
    judging.notify_entrants_of_results()
    done("announced", last)
    yield "announced", Phase.ANNOUNCED

    # Announcement postponed, after everything above was seen --------------------------------
    last = OutboundEmail.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    cycle.refresh_from_db()
    cycle.winners_announced = day(90)
    awards.save_cycle(admin, cycle)
    done("postponed", last)
    yield "postponed", Phase.EMBARGOED

    # Results withdrawn to correct them, and the panel reopened ----------------------------------
    last = OutboundEmail.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    judging.withdraw_results(admin, cycle, reason="A score was entered against the wrong entry")
    judging.reopen_panel(admin, panel, reason="Correct the scores entered against the wrong entry")
    done("corrected", last)
    yield "corrected", Phase.VISITS


def email_documents(email) -> list[tuple[str, bytes]]:
    documents = [("subject", email.subject.encode()), ("text", email.text_body.encode())]
    documents.append(("html", email.html_body.encode()))
    for attachment in email.attachments:
        documents.append((attachment["filename"], base64.b64decode(attachment["content_b64"])))
    return documents
