"""What the disclosure matrix's rows (disclosure_surfaces.py) are made of: a Surface
(one page or file), what it must Show whom, and shorthands for stages, people and URLs."""

from django.urls import reverse

from .disclosure_cast import PEOPLE, STAGES

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
