"""Who may see what of a nomination, at each phase of its cycle: the one
disclosure policy.

Every page, email, export, calendar file, download and ZIP that carries
nomination or results data asks `allows()` before it shows a fact, and the
disclosure matrix test (tests/matrix/test_disclosure_matrix.py) renders each of them
for every audience at every phase to prove it. The table in
docs/disclosure.md is generated from POLICY (`manage.py disclosure_table`)
and a test keeps the two the same.

Three questions decide what a person sees:

- the *audience*: who the person is to this nomination (judging.queries
  works it out for people on a panel; an entrant page's audience is always
  the entrant organisation);
- the *phase* of the nomination in its cycle (`phase_of`);
- the *fact*: what kind of information it is.

Three conditions refine the table: while a cycle anonymises its written stage,
judges do not learn who entered until the shortlist is published; the
public and the media partner learn who won only where the entrant consented
to publication; and the statement of a person who uses the service, and the
images of people, go only to the uses that person consented to (judges,
publication, the media: `uses`, from awards.domain.consent), which a
withdrawal takes away at once.
"""

from dataclasses import dataclass
from datetime import datetime

from django.db import models
from django.utils import timezone

from .enums import NominationState


class Audience(models.TextChoices):
    ENTRANT = "entrant", "Entrant organisation"
    ASSIGNED_JUDGE = "assigned_judge", "Assigned judge, own scores not yet submitted"
    SUBMITTED_JUDGE = "submitted_judge", "Assigned judge, own scores submitted"
    CONFLICTED_JUDGE = "conflicted_judge", "Judge with a conflict of interest"
    CHAIR = "chair", "Panel chair"
    PANEL_MEMBER = "panel_member", "Other panel member"
    ADMIN = "admin", "Awards administrator"
    MEDIA = "media", "Media partner"
    PUBLIC = "public", "The public"


class Phase(models.TextChoices):
    """Where a nomination is in its cycle. Ordered: each phase follows the one before."""

    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Submitted"
    ELIGIBILITY = "eligibility", "Eligibility decided"
    SCORING = "scoring", "Scoring"
    SHORTLIST = "shortlist", "Shortlist published"
    VISITS = "visits", "Site visits"
    DECIDED = "decided", "Decided (panel signed off)"
    EMBARGOED = "embargoed", "Approved, under embargo"
    ANNOUNCED = "announced", "Announced"

    @classmethod
    def since(cls, first) -> frozenset[str]:
        values = list(cls.values)
        return frozenset(values[values.index(first) :])


class Fact(models.TextChoices):
    ENTRY = "entry", "The entry: answers, statement, evidence, who started and submitted it"
    IDENTITY = "identity", "Who entered: organisation, service, address"
    ELIGIBILITY = "eligibility", "The eligibility decision, its reason, extensions"
    SHORTLIST = "shortlist", "Shortlisted or not; finalist"
    VISIT = "visit", "When and where the site visit is"
    VISIT_REPORT = "visit_report", "What the visiting judges recorded"
    OWN_SCORES = "own_scores", "The viewer's own scorecard"
    SCORES = "scores", "Other judges' scores and totals, the ranking"
    FEEDBACK = "feedback", "Judges' comments, without their names"
    JUDGES = "judges", "Which judges score or visit it: names and email addresses"
    CONFLICTS = "conflicts", "Conflicts of interest declared, with their notes"
    OVERRIDES = "overrides", "Administrators' assignment changes and their reasons"
    RATIONALE = "rationale", "The panel's internal rationale: shortlist, casting and final decisions"
    AWARD = "award", "The award and its citation"
    IMAGES = "images", "Images marked for publication, with their public captions"
    STATEMENT = "statement", "The statement of a person who uses the service, quoted with the results"
    HISTORY = "history", "The full record of every change, with who made it"


ALL = Phase.since(Phase.DRAFT)
ANNOUNCED = frozenset({Phase.ANNOUNCED})
# What anyone may know once the results are announced (with the entrant's consent).
PUBLIC_FACTS = {Fact.IDENTITY: ANNOUNCED, Fact.AWARD: ANNOUNCED, Fact.IMAGES: ANNOUNCED, Fact.STATEMENT: ANNOUNCED}

_judge = {
    Fact.ENTRY: Phase.since(Phase.SCORING),
    Fact.IDENTITY: Phase.since(Phase.SCORING),
    Fact.OWN_SCORES: Phase.since(Phase.SCORING),
    Fact.SHORTLIST: Phase.since(Phase.SHORTLIST),
    Fact.VISIT: Phase.since(Phase.VISITS),
    Fact.VISIT_REPORT: Phase.since(Phase.VISITS),
    # Judges on one visit team travel together; at the written stage they never learn each other's names.
    Fact.JUDGES: Phase.since(Phase.VISITS),
    Fact.AWARD: ANNOUNCED,
    Fact.IMAGES: ANNOUNCED,
    Fact.STATEMENT: Phase.since(Phase.SCORING),
}

POLICY: dict[str, dict[str, frozenset[str]]] = {
    Audience.ENTRANT: {
        Fact.ENTRY: ALL,
        Fact.IDENTITY: ALL,
        Fact.ELIGIBILITY: ALL,
        Fact.SHORTLIST: Phase.since(Phase.SHORTLIST),
        Fact.VISIT: Phase.since(Phase.VISITS),
        Fact.FEEDBACK: ANNOUNCED,
        Fact.AWARD: ANNOUNCED,
        Fact.IMAGES: ALL,
        Fact.STATEMENT: ALL,
    },
    Audience.ASSIGNED_JUDGE: _judge,
    # Other judges' scores only once the judge's own are in (DESIGN: judging).
    Audience.SUBMITTED_JUDGE: {
        **_judge,
        Fact.SCORES: Phase.since(Phase.SCORING),
        Fact.FEEDBACK: Phase.since(Phase.SCORING),
    },
    Audience.CONFLICTED_JUDGE: PUBLIC_FACTS,
    # The chair moderates: reads any entry of the category, sees every scorecard.
    Audience.CHAIR: {
        Fact.ENTRY: Phase.since(Phase.SCORING),
        Fact.IDENTITY: Phase.since(Phase.SCORING),
        Fact.OWN_SCORES: Phase.since(Phase.SCORING),
        Fact.SHORTLIST: Phase.since(Phase.SCORING),
        Fact.SCORES: Phase.since(Phase.SCORING),
        Fact.FEEDBACK: Phase.since(Phase.SCORING),
        # The chair knows who sits on the panel before anyone scores.
        Fact.JUDGES: ALL,
        Fact.RATIONALE: Phase.since(Phase.SCORING),
        Fact.VISIT: Phase.since(Phase.VISITS),
        Fact.VISIT_REPORT: Phase.since(Phase.VISITS),
        Fact.AWARD: Phase.since(Phase.VISITS),
        Fact.IMAGES: ANNOUNCED,
        Fact.STATEMENT: Phase.since(Phase.SCORING),
    },
    Audience.PANEL_MEMBER: PUBLIC_FACTS,
    Audience.ADMIN: dict.fromkeys(Fact.values, ALL),
    Audience.MEDIA: {
        Fact.IDENTITY: Phase.since(Phase.EMBARGOED),
        Fact.AWARD: Phase.since(Phase.EMBARGOED),
        Fact.IMAGES: Phase.since(Phase.EMBARGOED),
        Fact.STATEMENT: Phase.since(Phase.EMBARGOED),
    },
    Audience.PUBLIC: PUBLIC_FACTS,
}

# While a cycle anonymises its written stage, these audiences do not learn
# who entered until the shortlist is published.
BLIND_AUDIENCES = frozenset({Audience.ASSIGNED_JUDGE, Audience.SUBMITTED_JUDGE, Audience.CHAIR, Audience.PANEL_MEMBER})
BLIND_PHASES = frozenset({Phase.SCORING})
# These audiences learn who entered only where the entrant consented to publication.
CONSENT_AUDIENCES = frozenset({Audience.MEDIA, Audience.PUBLIC, Audience.CONFLICTED_JUDGE, Audience.PANEL_MEMBER})

# The facts about a person who uses the service, and the use of their consent
# (awards.models.ConsentUse) each audience needs before it sees them. The
# entrant and the administrators hold the record itself and need none.
PERSON_FACTS = frozenset({Fact.STATEMENT, Fact.IMAGES})
USE_FOR_AUDIENCE = {
    Audience.ASSIGNED_JUDGE: "judges",
    Audience.SUBMITTED_JUDGE: "judges",
    Audience.CHAIR: "judges",
    Audience.MEDIA: "media",
    Audience.PUBLIC: "publication",
    Audience.CONFLICTED_JUDGE: "publication",
    Audience.PANEL_MEMBER: "publication",
}


def allows(
    audience: str,
    fact: str,
    phase: str,
    *,
    anonymised: bool = False,
    consented: bool = True,
    uses: frozenset[str] | None = None,
) -> bool:
    """May this audience see this fact of a nomination in this phase?

    anonymised: the cycle hides entrants from judges at the written stage;
    consented: the entrant agreed to publication if it wins;
    uses: for the statement and the images of people, the uses their consent
    stands for now (judges, publication, media). A withdrawn consent stands
    for none. Every surface showing the statement or images passes it; None
    (the default) is for a surface that shows neither. The statement is told
    outside the entrant, the judges and the administrators only with the
    entrant's consent to publication too. Once the results are announced,
    consent to publication lets anyone see it, the media partner and judges
    included, as it is on the public winners page."""
    if phase not in POLICY[audience].get(fact, frozenset()):
        return False
    if fact == Fact.IDENTITY:
        if anonymised and audience in BLIND_AUDIENCES and phase in BLIND_PHASES:
            return False
        if audience in CONSENT_AUDIENCES and not consented:
            return False
    if fact in PERSON_FACTS and audience in USE_FOR_AUDIENCE:
        needed = {USE_FOR_AUDIENCE[audience]}
        if phase == Phase.ANNOUNCED:
            needed.add("publication")  # once announced, what is published is public: everyone may read it
        if uses is not None and not needed & uses:
            return False
        if fact == Fact.STATEMENT and (uses is None or (audience in CONSENT_AUDIENCES and not consented)):
            return False
    return True


def facts_for(audience: str, phase: str, **conditions) -> frozenset[str]:
    return frozenset(fact for fact in Fact.values if allows(audience, fact, phase, **conditions))


def phase_of(nomination, now: datetime | None = None, *, scoring=False, visit=False, decided=False) -> str:
    """The nomination's phase. The awards app knows its states and the cycle's
    results approval and announcement; judging adds what only it knows:
    whether judges are scoring it, a visit is arranged, the panel signed off.

    A draft stays a draft whatever the cycle does; every entry of a cycle
    whose results are approved is under embargo until the announcement
    instant, then announced."""
    now = now or timezone.now()
    state = nomination.state
    if state == NominationState.DRAFT or (state == NominationState.WITHDRAWN and not nomination.submitted_at):
        return Phase.DRAFT
    cycle = nomination.cycle
    if cycle.results_approved_at is not None:
        return Phase.ANNOUNCED if cycle.results_public(now) else Phase.EMBARGOED
    if state in (NominationState.SUBMITTED, NominationState.WITHDRAWN):
        return Phase.SUBMITTED
    if state in (NominationState.ELIGIBLE, NominationState.INELIGIBLE):
        return Phase.SCORING if scoring and state == NominationState.ELIGIBLE else Phase.ELIGIBILITY
    if decided:
        return Phase.DECIDED
    if visit or state == NominationState.FINALIST:
        return Phase.VISITS
    return Phase.SHORTLIST


# The entrant's history ---------------------------------------------------------------

# Each kind of audit record, with the fact it discloses. A record whose kind
# is not listed is never shown outside the staff history.
ACTION_FACTS = {
    "nomination.started": Fact.ENTRY,
    "nomination.submitted": Fact.ENTRY,
    "nomination.withdrawn": Fact.ENTRY,
    "nomination.eligible": Fact.ELIGIBILITY,
    "nomination.ineligible": Fact.ELIGIBILITY,
    "nomination.extension_granted": Fact.ELIGIBILITY,
    "nomination.shortlisted": Fact.SHORTLIST,
    "nomination.not_shortlisted": Fact.SHORTLIST,
    "nomination.finalist": Fact.SHORTLIST,
    "nomination.winner": Fact.AWARD,
    "nomination.highly_commended": Fact.AWARD,
    "nomination.commended": Fact.AWARD,
    "visit.scheduled": Fact.VISIT,
    "visit.rescheduled": Fact.VISIT,
    "visit.cancelled": Fact.VISIT,
}


@dataclass(frozen=True)
class HistoryLine:
    at: datetime
    text: str
    by: str = ""
    detail: str = ""


def _local(value: str) -> datetime | None:
    try:
        return datetime.fromisoformat(value)
    except (TypeError, ValueError):
        return None


def entrant_history(nomination, events, *, members: set[int], now=None) -> list[HistoryLine]:
    """The nomination's history as its entrant may read it.

    Only records whose fact the entrant may see in the current phase, each
    told in fixed words: never a judge, a score, a conflict, an override or
    the panel's rationale. A person is named only if they belong to the
    entrant organisation; anything the awards team did is "by the awards
    team". An award appears at the announcement instant, not when approved."""
    from core.formats import uk_datetime

    phase = phase_of(nomination, now)
    lines = []
    for event in events:
        fact = ACTION_FACTS.get(event.action)
        if fact is None or not allows(Audience.ENTRANT, fact, phase):
            continue
        by = ""
        if event.actor_id in members:
            by = event.actor.get_full_name()
        elif event.action in ("nomination.eligible", "nomination.ineligible", "nomination.extension_granted"):
            by = "the awards team"
        at, detail = event.at, ""
        match event.action:
            case "nomination.started":
                text = "Nomination started"
            case "nomination.submitted":
                text = f"Submitted with reference {event.after.get('reference', nomination.reference)}"
            case "nomination.withdrawn":
                text, detail = "Withdrawn", event.reason
                by = by or "the awards team"
            case "nomination.eligible":
                text, detail = "Found eligible", event.reason
            case "nomination.ineligible":
                text, detail = "Found not eligible", event.reason
                code = event.after.get("reason_code")
                if code:
                    from .enums import IneligibilityReason

                    text = f"Found not eligible: {IneligibilityReason(code).label}"
            case "nomination.extension_granted":
                until = _local(event.after.get("extended_close"))
                text = f"Extension granted until {uk_datetime(until)}" if until else "Extension granted"
                detail = event.reason
            case "nomination.shortlisted":
                text = "Shortlisted"
            case "nomination.not_shortlisted":
                text = "Not shortlisted"
            case "nomination.finalist":
                text = "Finalist"
            case "visit.scheduled" | "visit.rescheduled":
                starts = _local(event.after.get("starts_at"))
                verb = "arranged" if event.action == "visit.scheduled" else "moved"
                text = f"Site visit {verb}" + (f" for {uk_datetime(starts)}" if starts else "")
            case "visit.cancelled":
                text = "Site visit cancelled"
            case _:  # an award: announced, so told at the announcement instant
                at = nomination.cycle.winners_announced
                text = f"Result announced: {NominationState(event.action.split('.', 1)[1]).label}"
        lines.append(HistoryLine(at=at, text=text, by=by, detail=detail))
    return sorted(lines, key=lambda line: line.at)


def markdown_table() -> str:
    """POLICY as the table in docs/disclosure.md: one row per fact, one column per audience."""
    audiences = list(Audience)
    lines = [
        "| fact | " + " | ".join(a.label for a in audiences) + " |",
        "| --- |" + " --- |" * len(audiences),
    ]
    for fact in Fact:
        cells = []
        for audience in audiences:
            phases = POLICY[audience].get(fact, frozenset())
            cells.append(_phase_range(phases))
        lines.append(f"| {fact.label} | " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def _phase_range(phases: frozenset[str]) -> str:
    if not phases:
        return "–"
    if phases == ALL:
        return "always"
    ordered = [p for p in Phase.values if p in phases]
    if set(ordered) == Phase.since(ordered[0]):
        return f"from {Phase(ordered[0]).label.lower()}"
    return ", ".join(Phase(p).label.lower() for p in ordered)
