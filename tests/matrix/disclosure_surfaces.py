"""The disclosure matrix's rows: every page, export, calendar file, download and ZIP of
the awards, judging and winners areas, who reaches it at each stage and what it must
show whom. A new surface gets its row here (see test_disclosure_matrix.py)."""

from django.urls import reverse

from .disclosure_cast import PEOPLE
from .disclosure_consent import CONSENT_SURFACES
from .disclosure_credentials import CREDENTIAL_SURFACES
from .disclosure_equity import EQUITY_SURFACES
from .disclosure_vocabulary import (
    ALL_STAGES,
    JUDGES,
    SIGNED_IN,
    Show,
    Surface,
    assignment_url,
    everyone_at,
    only,
    press_pack_download,
    simple,
    since,
    visit_url,
)


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


# Stages at which the panel is not signed off: its members can change.
OPEN_PANEL = only("draft", "submitted", "eligibility", "scoring", "shortlist", "visits", "corrected")

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
    # "Your home": a section for each role (pages.homes); the entrant's entries by name.
    Surface(
        "your home",
        simple("home"),
        everyone_at(ALL_STAGES, PEOPLE),
        [Show(["Wombat House"], ["ellen"], ALL_STAGES)],
    ),
    Surface(
        "check your scores before submitting",
        assignment_url("judging:confirm_scores", "ivy"),
        everyone_at(only("scoring"), ["ivy"]),
        [Show(["Fallowmere"], ["ivy"], only("scoring"))],
    ),
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
    # Setting up the panel (issue 19): lists to pick from, and confirmations before what cannot be undone.
    Surface("assignment change", simple("judging:choose_assignment", "panel"), everyone_at(ALL_STAGES, ["admin"])),
    Surface(
        "adding judges to the panel",
        simple("judging:choose_panel_members", "panel"),
        everyone_at(OPEN_PANEL, ["admin"]),
    ),
    Surface(
        "removing a member",
        lambda world: reverse(
            "judging:confirm_remove_panel_member", args=[world.objects["panel"].pk, world.people["judith"].pk]
        ),
        everyone_at(OPEN_PANEL, ["admin"]),
        route="judging:confirm_remove_panel_member",
    ),
    Surface(
        "signing off",
        simple("judging:confirm_sign_off", "panel"),
        everyone_at(only("eligibility", "scoring", "shortlist", "visits", "corrected"), ["charles"]),
    ),
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
    # The press pack is built in the background: its ZIP is the download of the job each asked for.
    *[
        Surface(
            f"{person}'s press pack",
            press_pack_download(person),
            everyone_at(only("embargoed", "announced", "postponed"), [person]),
            [Show(["Avocet", "Wombat House", "Tamarisk"], [person], only("embargoed", "announced", "postponed"))],
            kind="zip",
        )
        for person in ("media", "admin")
    ],
    Surface("winners index", simple("winners:index"), everyone_at(ALL_STAGES, PEOPLE)),
    Surface(
        "winners page",
        simple("winners:cycle", "cycle"),
        everyone_at(["announced"], PEOPLE),
        # The statement, quoted where its person consented to publication.
        [Show(["Avocet", "Wombat House", "Tamarisk", "Pipistrelle"], PEOPLE, ["announced"])],
    ),
    # The API's winners (api.views.public): the same disclosure as the winners page.
    Surface("winners API index", simple("api:winners_index"), everyone_at(ALL_STAGES, PEOPLE), kind="json"),
    Surface(
        "winners API",
        simple("api:winners", "cycle"),
        everyone_at(["announced"], PEOPLE),
        [Show(["Avocet", "Wombat House", "Tamarisk"], PEOPLE, ["announced"])],
        kind="json",
    ),
    Surface(
        "winner's image",
        lambda world: reverse("winners:image", args=[world.objects["image"].pk]),
        everyone_at(["announced"], PEOPLE),
        kind="binary",
        route="winners:image",
    ),
    *CREDENTIAL_SURFACES,
    *EQUITY_SURFACES,
    *CONSENT_SURFACES,
]
