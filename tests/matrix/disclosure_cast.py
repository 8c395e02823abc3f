"""The cast of the disclosure world (disclosure_world.py): the instant everything is
placed around, the distinctive words planted in each fact (MARKERS), the people (one
a column of the matrix), the stages the matrix is checked at and who each person is
to each nomination at each stage (AUDIENCES)."""

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from PIL import Image

from awards.disclosure import Audience, Fact, Phase

# The instant everything is placed around: nominations close ten days after.
BASE = datetime(2030, 3, 1, 12, 0, tzinfo=UTC)


def day(n, hours=0):
    return BASE + timedelta(days=n, hours=hours)


def exif(camera: str, gps=True) -> Image.Exif:
    """EXIF as a phone writes it: the camera's name and where it was."""
    data = Image.Exif()
    data[0x0110] = camera  # Model
    if gps:
        data[0x8825] = {1: "N", 2: (51.0, 30.0, 0.0), 3: "W", 4: (0.0, 7.0, 0.0)}  # GPSInfo
    return data


@dataclass(frozen=True)
class Marker:
    """A word planted in one fact of one nomination. `owner` is the person
    whose own words or name it is: never a disclosure to them. `exists_from`:
    the phase from which the world holds it (for the presence checks)."""

    text: str
    nomination: str
    fact: str
    exists_from: str = Phase.DRAFT
    owner: str = ""
    # For a scorer's comment: what it is to everyone but its owner.
    fact_for_others: str = ""

    def fact_to(self, person: str) -> str:
        if self.fact_for_others and person != self.owner:
            return self.fact_for_others
        return self.fact


JUDGE_NAMES = {
    "judith": ("Judith Quayle", "judith.quayle@judges.example"),
    "ivy": ("Ivy Lumen", "ivy.lumen@judges.example"),
    "conrad": ("Conrad Vexley", "conrad.vexley@judges.example"),
    "petra": ("Petra Nimbus", "petra.nimbus@judges.example"),
    "charles": ("Charles Orwin", "charles.orwin@judges.example"),
}

MARKERS = [
    # Who entered (blind at the written stage; public only with consent, for winners)
    Marker("Quokka Care Partnership", "N", Fact.IDENTITY),
    Marker("Wombat House", "N", Fact.IDENTITY),
    Marker("Marsupial Lane", "N", Fact.IDENTITY),
    Marker("Bramblewick Trust", "N2", Fact.IDENTITY),
    Marker("Bramble Court", "N2", Fact.IDENTITY),
    Marker("Hedgerow Road", "N2", Fact.IDENTITY),
    # The entry itself
    Marker("Lanternfield", "N", Fact.ENTRY),
    Marker("Pipistrelle", "N", Fact.STATEMENT),  # the statement: its person consented to judges and publication
    Marker("Kittiwake", "N", Fact.ENTRY),  # the private description of the published image
    Marker("Bittern", "N", Fact.ENTRY),  # the camera in the published image's EXIF
    Marker("Goldeneye", "N", Fact.ENTRY),  # the camera in an image not chosen for publication
    Marker("Hawfinch", "N2", Fact.ENTRY),
    # Eligibility and extensions
    Marker("Kestrelbridge", "N", Fact.ELIGIBILITY, Phase.ELIGIBILITY),
    Marker("Moorhen", "N2", Fact.ELIGIBILITY),
    # Scores: each judge's written total, and their comments (their own words to them)
    Marker("78.0", "N", Fact.SCORES, Phase.SCORING),
    Marker("52.0", "N", Fact.SCORES, Phase.SHORTLIST),
    Marker("Heronsgate", "N", Fact.OWN_SCORES, Phase.SCORING, owner="judith", fact_for_others=Fact.FEEDBACK),
    Marker("Fallowmere", "N", Fact.OWN_SCORES, Phase.SHORTLIST, owner="ivy", fact_for_others=Fact.FEEDBACK),
    Marker("Saltmarsh", "N", Fact.OWN_SCORES, Phase.VISITS, owner="judith", fact_for_others=Fact.FEEDBACK),
    # Conflicts and overrides
    Marker("Ptarmigan", "N", Fact.CONFLICTS, Phase.SCORING, owner="conrad"),
    Marker("Conflict of interest declared", "N", Fact.CONFLICTS, Phase.SCORING),
    Marker("Corncrake", "N", Fact.OVERRIDES, Phase.SCORING),
    # The panel's rationale
    Marker("Wagtail", "N", Fact.RATIONALE, Phase.SHORTLIST),
    Marker("Siskin", "N", Fact.RATIONALE, Phase.DECIDED),
    # The visit
    Marker("Nightjar", "N", Fact.VISIT, Phase.VISITS),
    Marker("Whimbrel", "N", Fact.VISIT_REPORT, Phase.VISITS),
    # The award
    Marker("Avocet", "N", Fact.AWARD, Phase.DECIDED),
    Marker(">Winner</strong>", "N", Fact.AWARD, Phase.EMBARGOED),
    Marker("Result announced: Winner", "N", Fact.AWARD, Phase.EMBARGOED),
    # The published image's caption
    Marker("Tamarisk", "N", Fact.IMAGES),
]
# Judges' names and addresses: which judges score a nomination.
for key, nominations in {
    "judith": ["N"],
    "ivy": ["N"],
    "conrad": ["N"],
    "petra": ["N2"],
    "charles": ["N", "N2"],
}.items():
    name, email = JUDGE_NAMES[key]
    for nomination in nominations:
        MARKERS.append(Marker(name, nomination, Fact.JUDGES, Phase.SCORING, owner=key))
        MARKERS.append(Marker(email, nomination, Fact.JUDGES, Phase.SCORING, owner=key))

PEOPLE = ["ellen", "olly", "judith", "ivy", "conrad", "petra", "charles", "admin", "media", "public"]

# The phases the matrix is checked at, in order; "postponed" is the
# announcement moved later after it was reached: the policy of an embargo.
STAGES = [
    ("draft", Phase.DRAFT),
    ("submitted", Phase.SUBMITTED),
    ("eligibility", Phase.ELIGIBILITY),
    ("scoring", Phase.SCORING),
    ("shortlist", Phase.SHORTLIST),
    ("visits", Phase.VISITS),
    ("decided", Phase.DECIDED),
    ("embargoed", Phase.EMBARGOED),
    ("announced", Phase.ANNOUNCED),
    ("postponed", Phase.EMBARGOED),
    ("corrected", Phase.VISITS),
]

A = Audience
# Who each person is to N at each stage (checked against judging.queries).
_N = {
    "ellen": [A.ENTRANT] * 11,
    "olly": [A.PUBLIC] * 11,
    "judith": [A.PANEL_MEMBER] * 3 + [A.SUBMITTED_JUDGE] * 8,
    "ivy": [A.PANEL_MEMBER] * 3 + [A.ASSIGNED_JUDGE, A.SUBMITTED_JUDGE, A.ASSIGNED_JUDGE] + [A.SUBMITTED_JUDGE] * 5,
    "conrad": [A.PANEL_MEMBER] * 3 + [A.CONFLICTED_JUDGE] * 8,
    "petra": [A.PANEL_MEMBER] * 11,
    "charles": [A.CHAIR] * 11,
    "admin": [A.ADMIN] * 11,
    "media": [A.MEDIA] * 11,
    "public": [A.PUBLIC] * 11,
}
_N2 = {
    **{person: [A.PANEL_MEMBER] * 11 for person in ("judith", "ivy", "conrad")},
    "ellen": [A.PUBLIC] * 11,
    "olly": [A.ENTRANT] * 11,
    "petra": [A.PANEL_MEMBER] * 3 + [A.SUBMITTED_JUDGE] * 8,
    "charles": [A.CHAIR] * 11,
    "admin": [A.ADMIN] * 11,
    "media": [A.MEDIA] * 11,
    "public": [A.PUBLIC] * 11,
}
AUDIENCES = {"N": _N, "N2": _N2}
