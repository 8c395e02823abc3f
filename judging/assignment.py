"""Choosing judges for nominations: a pure function, so it can be tested
with random panels and conflicts.

For each nomination in id order, the judges it still needs are the panel's
judges without a conflict with its organisation, taken by lowest current load
and then lowest user id. Picking the least-loaded judges every time keeps loads
within one of each other when no conflicts stand in the way; the same input
always gives the same plan.
"""

from dataclasses import dataclass, field


@dataclass(frozen=True)
class NominationToAssign:
    id: int
    organisation_id: int
    already: tuple[int, ...] = ()


@dataclass
class Plan:
    new: dict[int, list[int]] = field(default_factory=dict)
    short: dict[int, str] = field(default_factory=dict)
    loads: dict[int, int] = field(default_factory=dict)


def plan_assignments(
    nominations: list[NominationToAssign],
    judges: list[int],
    conflicts: set[tuple[int, int]],
    k: int,
    loads: dict[int, int] | None = None,
) -> Plan:
    """`conflicts` holds (judge id, organisation id) pairs; `loads` the
    assignments each judge already has. Returns the new assignments and the
    nominations that cannot get k clean judges, with the reason."""
    loads = {judge: (loads or {}).get(judge, 0) for judge in sorted(set(judges))}
    plan = Plan(loads=loads)
    for nomination in sorted(nominations, key=lambda n: n.id):
        needed = k - len(nomination.already)
        if needed <= 0:
            continue
        clean = [
            judge
            for judge in loads
            if judge not in nomination.already and (judge, nomination.organisation_id) not in conflicts
        ]
        chosen = sorted(clean, key=lambda judge: (loads[judge], judge))[:needed]
        for judge in chosen:
            loads[judge] += 1
        if chosen:
            plan.new[nomination.id] = chosen
        if len(chosen) < needed:
            have = len(nomination.already) + len(chosen)
            plan.short[nomination.id] = (
                f"Only {have} of the {k} judges needed are on the panel without a conflict of interest"
            )
    return plan
