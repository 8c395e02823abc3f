"""Scale data: judges (with two-factor set-ups for them and the staff), conflicts,
panels, assignments with full scores, published results and site visits."""

from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from allauth.mfa.models import Authenticator
from allauth.mfa.utils import encrypt

from accounts.enums import Sector, SiteRole
from accounts.models import RoleGrant, User
from awards.enums import NominationState
from awards.models import Cycle
from judging.enums import Stage
from judging.models import (
    Assignment,
    ConflictDeclaration,
    CriterionScore,
    FinalResult,
    JudgeProfile,
    Panel,
    PanelMember,
    Publication,
    SiteVisit,
)

from .base import _bulk


@dataclass
class Judging:
    judges: list[User]
    assignments: list[Assignment]


def seed_judging(sizes, rng, progress, now, password, people, entries) -> Judging:
    admin, staff, providers = people.admin, people.staff, people.providers
    cycle, categories, nominations, written = entries.cycle, entries.categories, entries.nominations, entries.written
    # Judges, conflicts, panels, assignments and full scores.
    judges = _bulk(
        User,
        (User(email=f"judge{n}@scale.example", full_name=f"Judge {n}", password=password) for n in range(sizes.judges)),
        progress,
        "judges",
    )
    _bulk(RoleGrant, (RoleGrant(user=j, role=SiteRole.JUDGE, granted_at=now) for j in judges), progress, "judge roles")
    secret = {"secret": encrypt("JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP")}
    _bulk(
        Authenticator,
        (Authenticator(user=u, type=Authenticator.Type.TOTP, data=secret) for u in [admin, staff, *judges]),
        progress,
        "two-factor set-ups",
    )
    _bulk(
        JudgeProfile,
        (
            JudgeProfile(
                user=j,
                sector_background=rng.choice(Sector.values),
                lived_experience=rng.choice(["none", "none", "uses_services", "unpaid_carer"]),
            )
            for j in judges
        ),
        progress,
        "judge profiles",
    )
    conflict_pairs = {(rng.choice(judges).pk, rng.choice(providers).pk) for _ in range(sizes.judges)}
    _bulk(
        ConflictDeclaration,
        (ConflictDeclaration(judge_id=j, organisation_id=o, kind="employment") for j, o in conflict_pairs),
        progress,
        "conflicts",
    )
    per_panel = max(5, len(judges) // len(categories))
    panels = _bulk(
        Panel,
        (
            Panel(category=c, chair=judges[(i * per_panel) % len(judges)], state="active", activated_at=now)
            for i, c in enumerate(categories)
        ),
        progress,
        "panels",
    )
    panel_judges = {}
    members = []
    for i, panel in enumerate(panels):
        chosen = [judges[(i * per_panel + k) % len(judges)] for k in range(per_panel)]
        panel_judges[panel.category_id] = chosen
        members.extend(PanelMember(panel=panel, judge=j) for j in chosen)
    _bulk(PanelMember, members, progress, "panel members")
    scored = [n for n in nominations if n.state == NominationState.ELIGIBLE]
    assignments = []
    for nomination in scored:
        pool = [
            j for j in panel_judges[nomination.category_id] if (j.pk, nomination.organisation_id) not in conflict_pairs
        ]
        for judge in rng.sample(pool, min(3, len(pool))):
            # Judging in progress: every criterion scored, one scorecard in ten not yet submitted.
            submitted_at = None if rng.random() < 0.1 else now
            assignments.append(
                Assignment(nomination=nomination, judge=judge, stage=Stage.WRITTEN, submitted_at=submitted_at)
            )
    _bulk(Assignment, assignments, progress, "assignments")
    _bulk(
        CriterionScore,
        (
            CriterionScore(assignment=a, criterion=c, score=rng.randint(2, 10), comment="Good")
            for a in assignments
            for c in written[a.nomination.category_id]
        ),
        progress,
        "scores",
        total=len(assignments) * 6,
    )

    # Published results, so the public winners page has something to show.
    awards = ["winner", "highly_commended", "commended"]
    results = []
    for category in categories:
        top = [n for n in scored if n.category_id == category.pk][:3]
        results.extend(
            FinalResult(
                nomination=n, award=award, final_score=Decimal("80.00"), citation="An example.", rationale="Scale data"
            )
            for n, award in zip(top, awards, strict=False)
        )
    _bulk(FinalResult, results, progress, "final results")
    Publication.objects.create(cycle=cycle, approved_at=now, entrants_notified_at=now)
    Cycle.objects.filter(pk=cycle.pk).update(results_approved_at=now)

    # Site visits to six nominations a category, over the first ten days of the window.
    visited = []
    for category in categories:
        visited.extend([n for n in scored if n.category_id == category.pk][:6])
    visits = _bulk(
        SiteVisit,
        (
            SiteVisit(
                nomination=n,
                starts_at=(start := cycle.site_visits_start + timedelta(days=i % 10, hours=1)),
                ends_at=start + timedelta(hours=3),
                address="1 High Street",
                provider_contact_name="Registered manager",
                provider_contact_email=f"manager{n.pk}@scale.example",
            )
            for i, n in enumerate(visited)
        ),
        progress,
        "site visits",
    )
    _bulk(
        SiteVisit.judges.through,
        (
            SiteVisit.judges.through(sitevisit_id=v.pk, user_id=j.pk)
            for v, n in zip(visits, visited, strict=True)
            for j in panel_judges[n.category_id][:2]
        ),
        progress,
        "visiting judges",
    )
    return Judging(judges, assignments)
