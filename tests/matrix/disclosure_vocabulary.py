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


def press_pack_download(person):
    """The download of `person`'s own press pack, asked for and built (by the
    worker's code) once the results are approved; the same job is fetched at
    every later stage, so a pack whose results were withdrawn is withheld."""

    def url(world):
        from core import export_jobs
        from judging import domain
        from judging.press_pack import approved_cycles

        key = f"press_pack_job_{person}"
        if key not in world.objects:
            cycle = approved_cycles().filter(pk=world.objects["cycle"].pk).first()
            if cycle is None:
                return None
            world.objects[key] = domain.request_press_pack(world.people[person], cycle)
            export_jobs.run(world.objects[key].pk)
        return reverse("core:export_download", args=[world.objects[key].pk])

    url.route = "core:export_download"
    return url
