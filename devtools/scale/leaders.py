"""Scale data: leaders, their completions of accredited courses, and DASS
appointments with their deadlines and qualifying completions."""

from dataclasses import dataclass
from datetime import timedelta

from django.db.models import F

from accounts.models import User
from leaders.compliance import deadline_for
from leaders.enums import CompletionState
from leaders.models import Completion, DassAppointment

from .base import _bulk


@dataclass
class Leaders:
    leaders: list[User]
    completions: list[Completion]
    appointments: list[DassAppointment]


def seed_leaders(sizes, rng, progress, now, today, password, people, register) -> Leaders:
    authorities, accredited, by_course = people.authorities, register.accredited, register.by_course
    # Leaders, DASS appointments and completions.
    leaders = _bulk(
        User,
        (
            User(email=f"leader{n}@scale.example", full_name=f"Leader {n}", password=password)
            for n in range(sizes.leaders)
        ),
        progress,
        "leaders",
    )
    social_accredited = [c for c in accredited if c.designed_for_social_care]
    completions = []
    for leader in leaders:
        if rng.random() < 0.6 and social_accredited:
            course = rng.choice(social_accredited)
            accreditation = by_course[course.pk]
            span = max(1, min((today - accreditation.valid_from).days, 1000))
            completions.append(
                Completion(
                    leader=leader,
                    course=course,
                    completed_on=accreditation.valid_from + timedelta(days=rng.randint(0, span)),
                    state=rng.choice(
                        [CompletionState.VERIFIED, CompletionState.VERIFIED, CompletionState.SELF_DECLARED]
                    ),
                )
            )
    _bulk(Completion, completions, progress, "completions")
    # Recorded over the last two months, so some have waited for verification for weeks.
    for bucket, days in enumerate([3, 20, 35, 50]):
        Completion.objects.annotate(bucket=F("id") % 4).filter(bucket=bucket).update(
            created_at=now - timedelta(days=days)
        )
    first_completion = {c.leader_id: c for c in completions}
    appointments = []
    # An authority has one substantive director at a time: the first
    # appointments give each authority one (and the first three a second, which
    # the dashboard warns about); every other appointment is interim cover.
    substantive = [*authorities, *authorities[:3]]
    for n in range(sizes.appointments):
        leader = leaders[n % len(leaders)]
        appointed = today - timedelta(days=rng.randint(0, 5 * 365))
        completion = first_completion.get(leader.pk)
        deadline = deadline_for(appointed)
        counts = completion is not None and completion.completed_on <= deadline
        appointments.append(
            DassAppointment(
                leader=leader,
                local_authority=substantive[n] if n < len(substantive) else rng.choice(authorities),
                appointed_on=appointed,
                deadline=deadline,
                kind="substantive" if n < len(substantive) else "interim",
                qualifying_completion=completion if counts else None,
                completion_verified=bool(counts and completion.state == CompletionState.VERIFIED),
            )
        )
    _bulk(DassAppointment, appointments, progress, "DASS appointments")
    return Leaders(leaders, completions, appointments)
