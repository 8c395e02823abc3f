"""Reading what a surface or email reveals and checking each planted word against the
disclosure policy, for test_disclosure_matrix.py."""

import csv
import html
import io
import zipfile

from awards.disclosure import PERSON_FACTS, allows
from awards.domain.consent import uses_for

from .disclosure_cast import AUDIENCES, MARKERS, PEOPLE, STAGES
from .disclosure_vocabulary import ALL_STAGES


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
        fact = marker.fact_to(person)
        # The statement and images of people go only to the uses their consent stands for now.
        uses = uses_for(nomination, fact) if fact in PERSON_FACTS else None
        return allows(
            self.audiences[(person, marker.nomination)],
            marker.fact_to(person),
            self.phases[marker.nomination],
            anonymised=nomination.cycle.anonymise_written_stage,
            consented=bool(nomination.consent_to_publish),
            uses=uses,
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
