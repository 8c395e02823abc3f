"""What "Your home" shows each person: one section for every role they hold
(pages.rules.home_sections), each with their work, its next step and its
deadline. Each section is read in a fixed number of queries however many
items it holds; the template only lays them out."""

from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import Count, Min
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone

from accreditation.enums import ApplicationState
from accreditation.models import Application
from awards.enums import NominationState
from awards.models import Cycle, Nomination
from awards.queries import nominations_for_provider
from courses.domain import provider_organisations
from courses.models import Course
from judging.models import JudgeProfile, Panel
from judging.queries import chair_overview, judge_worklist, scorecard_progress
from leaders import compliance
from leaders.domain import completions_to_verify
from leaders.enums import ComplianceStatus
from leaders.models import DassAppointment

from .rules import home_sections


@dataclass
class NextStep:
    text: str
    deadline_label: str = ""
    deadline: datetime | date | None = None


def entrant_next_step(nomination, state, now) -> NextStep:
    """What an entrant does, or waits for, next: from the state the entrant may see."""
    cycle = nomination.cycle
    if state == NominationState.DRAFT:
        close = nomination.close_instant()
        if now > close:
            return NextStep("Nominations have closed: this draft can no longer be submitted")
        return NextStep("Finish your answers and evidence, then submit the nomination", "Submit by", close)
    if state == NominationState.SUBMITTED:
        return NextStep("Wait while the awards team checks that the nomination is eligible")
    if state == NominationState.ELIGIBLE:
        return NextStep("Judges are scoring the nomination", "Shortlist published on", cycle.shortlist_published)
    if state == NominationState.SHORTLISTED:
        return NextStep(
            "Be ready for the judges' site visit: we will agree a date with you",
            "Site visits start on",
            cycle.site_visits_start,
        )
    if state == NominationState.FINALIST:
        return NextStep("Wait for the results", "Winners announced on", cycle.winners_announced)
    if state in NominationState.results():
        return NextStep("Congratulations: read the judges' feedback")
    return NextStep("Nothing more to do")


def provider_section(user, now):
    nominations = (
        nominations_for_provider(user)
        .select_related("cycle__programme", "category", "organisation")
        .order_by("-cycle__year", "cycle__programme__name", "category__order", "category__name", "-created_at", "-pk")
    )
    by_cycle = {}
    for nomination in nominations:
        state = nomination.entrant_state(now)
        nomination.shown_state = NominationState(state)
        nomination.next_step = entrant_next_step(nomination, state, now)
        by_cycle.setdefault(nomination.cycle, []).append(nomination)
    return {"by_cycle": list(by_cycle.items())}


def judge_section(user, now):
    return {
        "cycles": judge_worklist(user, now),
        "has_profile": JudgeProfile.objects.filter(user=user).exists(),
    }


def chair_section(user, now):
    return {"panels": chair_overview(user, now)}


def current_cycle(now):
    """The cycle running now: the one opened most recently, else the next to open."""
    cycles = Cycle.objects.select_related("programme")
    return (
        cycles.filter(nominations_open__lte=now).order_by("-nominations_open", "-pk").first()
        or cycles.order_by("nominations_open", "pk").first()
    )


def awards_admin_section(user, now):
    cycle = current_cycle(now)
    if cycle is None:
        return {"cycle": None}
    panels = list(
        Panel.objects.filter(category__cycle=cycle)
        .select_related("category")
        .order_by("category__order", "category__name", "pk")
    )
    progress = scorecard_progress([p.category for p in panels], now)
    for panel in panels:
        panel.progress = progress[panel.category_id]
    return {
        "cycle": cycle,
        "panels": panels,
        "overdue_total": sum(p.progress["overdue"] for p in panels),
        "eligibility_count": Nomination.objects.filter(cycle=cycle, state=NominationState.SUBMITTED).count(),
        "eligibility_url": f"{reverse('awards:manage_nominations')}?cycle={cycle.pk}&state={NominationState.SUBMITTED}",
    }


def _applications_by_state(applications, now):
    """(state, count, days the oldest has waited) of these applications, drafts left out."""
    rows = (
        applications.exclude(state=ApplicationState.DRAFT)
        .values("state")
        .annotate(n=Count("pk"), oldest=Min(Coalesce("submitted_at", "created_at")))
        .order_by()
    )
    found = {row["state"]: row for row in rows}
    waiting = (ApplicationState.SUBMITTED, ApplicationState.RETURNED)
    return [
        {
            "state": state,
            "count": found[state]["n"],
            "oldest_days": (now - found[state]["oldest"]).days if state in waiting else None,
        }
        for state in ApplicationState
        if state in found
    ]


def academy_staff_section(user, now):
    today = timezone.localdate(now)
    by_state = _applications_by_state(Application.objects.all(), now)
    for row in by_state:
        row["url"] = f"{reverse('accreditation:staff')}?state={row['state'].value}"
    return {
        "applications": by_state,
        "verification_count": completions_to_verify(user).count(),
        "overdue_dass": DassAppointment.objects.filter(compliance.current_filter(today))
        .filter(compliance.status_filter(ComplianceStatus.OVERDUE, today))
        .count(),
        "overdue_dass_url": f"{reverse('leaders:dashboard')}?status={ComplianceStatus.OVERDUE.value}",
    }


def course_provider_section(user, now):
    organisations = provider_organisations(user).values("pk")
    return {
        "course_count": Course.objects.filter(provider__in=organisations).count(),
        "applications": _applications_by_state(Application.objects.filter(course__provider__in=organisations), now),
        "verification_count": completions_to_verify(user).count(),
    }


def leader_section(user, now):
    today = timezone.localdate(now)
    appointments = list(
        DassAppointment.objects.filter(leader=user)
        .filter(compliance.current_filter(today))
        .annotate(status=compliance.status_expression(today))
        .select_related("local_authority")
        .order_by("deadline", "pk")
    )
    for appointment in appointments:
        appointment.status_label = ComplianceStatus(appointment.status).label
        appointment.complete = appointment.status in (
            ComplianceStatus.COMPLETE_VERIFIED,
            ComplianceStatus.COMPLETE_AWAITING,
        )
    return {"appointments": appointments}


SECTIONS = {
    "provider": provider_section,
    "judge": judge_section,
    "chair": chair_section,
    "awards_admin": awards_admin_section,
    "academy_staff": academy_staff_section,
    "course_provider": course_provider_section,
    "leader": leader_section,
}


def home_for(user, now=None) -> dict:
    """Every section this person sees, by name: {"judge": {...}, ...}."""
    now = now or timezone.now()
    return {name: SECTIONS[name](user, now) for name in home_sections(user)}
