"""What a personal access token may be used for: read or write, per area.

A scope never grants anything by itself: a token acts as its person, with the
roles they hold at the moment of each request, and only within its scopes.
A write scope includes reading the same area."""

from django.db import models


class Area(models.TextChoices):
    AWARDS = "awards", "Awards: nominations and results"
    ACADEMY = "academy", "Leadership academy: leaders, completions and DASS compliance"
    COURSES = "courses", "Courses and accreditation applications"


class Access(models.TextChoices):
    READ = "read", "Read"
    WRITE = "write", "Read and write"


def scope(area: str, access: str) -> str:
    return f"{area}:{access}"


SCOPES = {
    scope(area, access): f"{Area(area).label}: {Access(access).label.lower()}" for area in Area for access in Access
}


def covers(granted, wanted: str) -> bool:
    """Whether scopes `granted` allow `wanted` ("courses:read" is allowed by
    "courses:read" and by "courses:write")."""
    area, access = wanted.split(":")
    if access == Access.READ:
        return scope(area, Access.READ) in granted or scope(area, Access.WRITE) in granted
    return wanted in granted
