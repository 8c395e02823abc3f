"""The accreditations file of the open data (courses.open_data finds
DATASETS here): every accreditation of a course listed on the register, with
what the public accreditation check shows: its standing on the day of the
dump, its dates, its lineage and how many of its conditions are met. Never the
conditions' text, reasons, assessments, evidence or people."""

from datetime import date

from django.conf import settings
from django.db.models import Count, IntegerField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.urls import reverse

from courses.models import CourseState
from courses.open_data import CHUNK, Column, Dataset

from .enums import AccreditationState, ConditionState, Standing
from .models import Accreditation, Condition


def standing(*, state, valid_from, valid_to, has_renewal, open_conditions, day) -> str:
    """Accreditation.standing_on from values read in bulk (the model's method
    asks the database twice for each accreditation); the tests hold the two
    equal for every standing."""
    if state == AccreditationState.WITHDRAWN:
        return Standing.WITHDRAWN
    if day < valid_from:
        return Standing.NOT_YET
    if day > valid_to:
        return Standing.RENEWED if has_renewal else Standing.EXPIRED
    if state == AccreditationState.SUSPENDED:
        return Standing.SUSPENDED
    if open_conditions:
        return Standing.CONDITIONS
    return Standing.IN_FORCE


def _conditions(extra=None):
    counted = (
        Condition.objects.filter(Q(accreditation=OuterRef("pk")) & (extra or Q()))
        .order_by()
        .values("accreditation")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def accreditation_rows(today: date):
    """The accreditations of listed courses in order of number: one query,
    read a chunk at a time."""
    site = settings.SITE_URL
    renewal = (
        Accreditation.objects.filter(application__renews=OuterRef("pk"))
        .exclude(state=AccreditationState.WITHDRAWN)
        .order_by("valid_from", "pk")
        .values("number")[:1]
    )
    accreditations = (
        Accreditation.objects.filter(course__state=CourseState.LISTED)
        .annotate(
            renewal_number=Subquery(renewal),
            condition_count=_conditions(),
            met_count=_conditions(Q(state=ConditionState.MET)),
        )
        .values(
            "number",
            "state",
            "valid_from",
            "valid_to",
            "course_id",
            "course__title",
            "course__provider__name",
            "application__renews__number",
            "renewal_number",
            "condition_count",
            "met_count",
        )
        .order_by("number")
    )
    for a in accreditations.iterator(chunk_size=CHUNK):
        yield {
            "accreditation_number": a["number"],
            "check_url": site + reverse("accreditation:verify_number", args=[a["number"]]),
            "course_id": a["course_id"],
            "course_title": a["course__title"],
            "provider": a["course__provider__name"],
            "standing": str(
                standing(
                    state=a["state"],
                    valid_from=a["valid_from"],
                    valid_to=a["valid_to"],
                    has_renewal=a["renewal_number"] is not None,
                    open_conditions=a["condition_count"] - a["met_count"],
                    day=today,
                )
            ),
            "valid_from": a["valid_from"],
            "valid_to": a["valid_to"],
            "renews": a["application__renews__number"],
            "renewed_by": a["renewal_number"],
            "conditions": a["condition_count"],
            "conditions_met": a["met_count"],
        }


ACCREDITATIONS = Dataset(
    "accreditations",
    "Accreditations of leadership courses",
    "Every accreditation of a course on the register, with what the public accreditation check shows.",
    (
        Column("accreditation_number", "Accreditation number", "string", "The accreditation's number."),
        Column("check_url", "Check page", "anyURI", "The accreditation's page on the public accreditation check."),
        Column("course_id", "Course id", "integer", "The accredited course: course_id in the register file."),
        Column("course_title", "Course", "string", "The accredited course's title."),
        Column("provider", "Provider", "string", "The organisation that runs the course."),
        Column(
            "standing",
            "Standing on the day of the dump",
            "string",
            "What the accreditation was on the day the dump was made.",
            codes=tuple((str(value), str(label)) for value, label in Standing.choices),
        ),
        Column("valid_from", "Valid from", "date", "The first day of the accreditation."),
        Column("valid_to", "Valid to", "date", "The last day of the accreditation."),
        Column(
            "renews", "Renews", "string", "The number of the accreditation this one renews, if any.", required=False
        ),
        Column(
            "renewed_by",
            "Renewed by",
            "string",
            "The number of the accreditation that renews this one, if one was granted.",
            required=False,
        ),
        Column("conditions", "Conditions", "integer", "How many conditions the accreditation was granted with."),
        Column("conditions_met", "Conditions met", "integer", "How many of those conditions have been met."),
    ),
    rows=accreditation_rows,
)

DATASETS = [ACCREDITATIONS]
