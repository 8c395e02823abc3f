"""A register for the open-data tests: listed courses with accreditations in
every standing, and courses and facts that are not public, each marked with a
word that must never appear in the open data."""

import csv
import io
import json
from datetime import date, timedelta
from decimal import Decimal

from django.core.files.storage import default_storage
from django.utils import timezone

from accreditation.models import Accreditation, AccreditationEvent, Application, Condition
from courses import open_data
from courses.models import Course

from ..factories import make_course, make_course_provider

TODAY = date(2026, 12, 3)
# Words that only non-public things carry: none may appear in any file.
SECRETS = [
    "SECRET-DRAFT",
    "SECRET-WITHDRAWN-COURSE",
    "SECRET-EXTERNAL-ID",
    "SECRET-CONDITION-TEXT",
    "SECRET-STATUS-REASON",
    "SECRET-EVENT-REASON",
    "SECRET-RESPONSE",
    "secret-provider-admin@example.org",
]


def accredit(course, number, *, state="active", valid_from, valid_to, renews=None, reason="", conditions=()):
    application = Application.objects.create(course=course, state="accredited", renews=renews)
    accreditation = Accreditation.objects.create(
        course=course,
        application=application,
        number=number,
        state=state,
        valid_from=valid_from,
        valid_to=valid_to,
        status_reason=reason,
    )
    for text, condition_state in conditions:
        Condition.objects.create(
            accreditation=accreditation, text=text, due_on=valid_from, state=condition_state, response="SECRET-RESPONSE"
        )
    AccreditationEvent.objects.create(
        accreditation=accreditation,
        kind="granted",
        at=timezone.now(),
        effective_on=valid_from,
        reason="SECRET-EVENT-REASON",
    )
    return accreditation


def sync_register_copy(course, *, status, number, start, end):
    Course.objects.filter(pk=course.pk).update(
        accreditation_status=status, accreditation_number=number, accredited_from=start, accredited_to=end
    )


def build_register():
    """Six listed courses (one with a title a spreadsheet would run as a
    formula), a draft and a course taken off the register, and accreditations
    in force, with conditions, suspended, withdrawn, expired, renewed and not
    yet in force."""
    _, llp = make_course_provider("Leadership Learning Partnership", email="secret-provider-admin@example.org")
    _, uni = make_course_provider("University of the Pennines")
    year = timedelta(days=365)
    c = {
        "in_force": make_course(
            llp,
            "Leading dementia care services",
            levels=["service-leaders", "practice-leaders"],
            domains=["leadership", "management"],
            delivery_mode="online",
            cost=Decimal("900.50"),
            duration_hours=Decimal("12.5"),
            region="north_west",
            external_id="SECRET-EXTERNAL-ID",
            url="https://example.org/dementia",
        ),
        "conditions": make_course(uni, "Commissioning for wellbeing", domains=["commissioning"], cost=Decimal(0)),
        "suspended": make_course(uni, "Registered managers programme", designed_for_social_care=False),
        "withdrawn": make_course(llp, "Coaching skills for team leaders"),
        "renewed": make_course(llp, "First steps in leadership", levels=["future-leaders"]),
        "formula": make_course(uni, '=HYPERLINK("http://x") leadership', delivery_mode="in_person"),
        "draft": make_course(uni, "SECRET-DRAFT course about dementia", state="draft"),
        "off": make_course(llp, "SECRET-WITHDRAWN-COURSE programme", state="withdrawn"),
    }
    Course.objects.filter(pk=c["suspended"].pk).update(open_to_private=False, open_to_community=False)
    a = {
        "in_force": accredit(c["in_force"], "NSA-2026-00001", valid_from=TODAY - year, valid_to=TODAY + 2 * year),
        "conditions": accredit(
            c["conditions"],
            "NSA-2026-00002",
            valid_from=TODAY - year,
            valid_to=TODAY + year,
            conditions=[("SECRET-CONDITION-TEXT one", "met"), ("SECRET-CONDITION-TEXT two", "open")],
        ),
        "suspended": accredit(
            c["suspended"],
            "NSA-2026-00003",
            state="suspended",
            valid_from=TODAY - year,
            valid_to=TODAY + year,
            reason="SECRET-STATUS-REASON",
        ),
        "withdrawn": accredit(
            c["withdrawn"],
            "NSA-2026-00004",
            state="withdrawn",
            valid_from=TODAY - year,
            valid_to=TODAY + year,
            reason="SECRET-STATUS-REASON",
        ),
        "expired_renewed": accredit(c["renewed"], "NSA-2023-00005", valid_from=TODAY - 4 * year, valid_to=TODAY - year),
        "draft": accredit(c["draft"], "NSA-2026-00090", valid_from=TODAY - year, valid_to=TODAY + year),
        "off": accredit(c["off"], "NSA-2026-00091", valid_from=TODAY - year, valid_to=TODAY + year),
    }
    a["renewal"] = accredit(
        c["renewed"],
        "NSA-2025-00006",
        valid_from=TODAY - year + timedelta(days=1),
        valid_to=TODAY + 2 * year,
        renews=a["expired_renewed"],
    )
    a["expired"] = accredit(c["formula"], "NSA-2022-00007", valid_from=TODAY - 5 * year, valid_to=TODAY - 2 * year)
    a["not_yet"] = accredit(
        c["formula"], "NSA-2027-00008", valid_from=TODAY + timedelta(days=90), valid_to=TODAY + 3 * year
    )
    sync_register_copy(
        c["in_force"], status="accredited", number="NSA-2026-00001", start=TODAY - year, end=TODAY + 2 * year
    )
    sync_register_copy(
        c["conditions"], status="conditions", number="NSA-2026-00002", start=TODAY - year, end=TODAY + year
    )
    sync_register_copy(
        c["suspended"], status="suspended", number="NSA-2026-00003", start=TODAY - year, end=TODAY + year
    )
    sync_register_copy(
        c["withdrawn"], status="withdrawn", number="NSA-2026-00004", start=TODAY - year, end=TODAY + year
    )
    sync_register_copy(
        c["renewed"], status="accredited", number="NSA-2025-00006", start=TODAY - 4 * year, end=TODAY + 2 * year
    )
    sync_register_copy(
        c["formula"], status="none", number="NSA-2022-00007", start=TODAY - 5 * year, end=TODAY - 2 * year
    )
    for key in c:
        c[key].refresh_from_db()
    return c, a


def stored(manifest, name) -> bytes:
    with open_data.open_file(manifest, name) as handle:
        return handle.read()


def csv_rows(data: bytes) -> list[dict]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8"), newline="")))


def json_doc(data: bytes) -> dict:
    return json.loads(data.decode("utf-8"))


def folders() -> list[str]:
    try:
        return sorted(default_storage.listdir(open_data.ROOT)[0])
    except FileNotFoundError:
        return []
