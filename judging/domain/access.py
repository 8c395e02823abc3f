"""Accessible participation.

A judge's access needs follow the Accessible Information Standard's five steps:
identify (the questions on the profile's access needs page), record (chosen
needs plus the judge's own words, on JudgeProfile), flag (a tag beside the
judge's name for those allowed to see it: judging.see_access_needs), share
with consent (two separate consents: the awards administrator; the hosts of a
site visit) and meet (the visit scheduling page and the host's visit email
list the needs to meet). Nothing is shown without consent, and a consent
withdrawn takes effect at once: every page and email reads it when it is made.

Assisted scoring: a judge records that a named supporter helped with a
scorecard and how. The supporter is a name and a description, never an
account. The record is fixed once the scorecard is submitted, until the chair
reopens it (judging.domain.reopen_scores).
"""

from django.db import transaction
from django.utils import timezone

from accounts import audit
from core.errors import DomainError
from core.permissions import require

from ..enums import AccessNeed, PanelState, SupportKind
from ..models import Assignment, JudgeProfile, Panel, ScoringSupport
from ..rules import may_tell_hosts_access_needs

DETAILS_LIMIT = 2000
NAME_LIMIT = 200


@transaction.atomic
def save_access_needs(
    judge, *, kinds, details: str = "", share_with_admin: bool, share_with_hosts: bool, now=None
) -> JudgeProfile:
    """Records the judge's access needs and their two consents. The audit
    record says which consents were given or withdrawn and how many needs are
    recorded, never what they are: the audit log is read by staff the judge
    may not have consented to share with."""
    require(judge, "judging.judge")
    profile = JudgeProfile.objects.select_for_update().filter(user=judge).first()
    if profile is None:
        raise DomainError("Complete your judge profile before recording access needs")
    require(judge, "judging.see_access_needs", profile)
    kinds = list(dict.fromkeys(kinds))
    if any(kind not in AccessNeed.values for kind in kinds):
        raise DomainError("Choose access needs from the list")
    details = details.strip()
    if len(details) > DETAILS_LIMIT:
        raise DomainError(f"Describe your access needs in {DETAILS_LIMIT} characters or fewer")
    before = {"admin": profile.share_access_needs_with_admin, "hosts": profile.share_access_needs_with_hosts}
    after = {"admin": bool(share_with_admin), "hosts": bool(share_with_hosts)}
    profile.access_need_kinds = [value for value in AccessNeed.values if value in kinds]
    profile.access_needs = details
    profile.share_access_needs_with_admin = after["admin"]
    profile.share_access_needs_with_hosts = after["hosts"]
    if before != after:
        profile.access_consent_changed_at = now or timezone.now()
    profile.save()
    audit.record(
        actor=judge,
        action="judge.access_needs_saved",
        obj=profile,
        before={"shared_with_admin": before["admin"], "shared_with_hosts": before["hosts"]},
        after={
            "needs_recorded": len(profile.access_need_kinds) + (1 if details else 0),
            "shared_with_admin": after["admin"],
            "shared_with_hosts": after["hosts"],
        },
    )
    for who, label in (("admin", "the awards administrator"), ("hosts", "visit hosts")):
        if before[who] != after[who]:
            audit.record(
                actor=judge,
                action="judge.access_consent_given" if after[who] else "judge.access_consent_withdrawn",
                obj=profile,
                after={"shared_with": label},
            )
    return profile


def visible_access_needs(viewer, judges) -> dict[int, JudgeProfile]:
    """The judges (by id) whose access needs this viewer may see: their own,
    and for the awards administrator those who consented. Reads
    `judge.judge_profile`, so select it with the judges."""
    shown = {}
    for judge in judges:
        profile = getattr(judge, "judge_profile", None)
        if profile is not None and profile.has_access_needs and viewer.has_perm("judging.see_access_needs", profile):
            shown[judge.pk] = profile
    return shown


def host_access_needs(judges) -> list[dict]:
    """What a visit's host is told: the needs of each visiting judge who
    consented to share with hosts, without the judge's name (the provider's
    invitation names no judge)."""
    needs = []
    for judge in judges:
        profile = getattr(judge, "judge_profile", None)
        if may_tell_hosts_access_needs(profile):
            needs.append({"needs": profile.access_need_labels(), "details": profile.access_needs})
    return needs


@transaction.atomic
def save_scoring_support(
    judge, assignment, *, helped: bool, supporter_name: str = "", kinds=(), description: str = ""
) -> ScoringSupport | None:
    """Records (or, when nobody helped, removes) the supporter who helped the
    judge with this scorecard and how. Refused once the scorecard is
    submitted: the chair reopens it to allow a change."""
    assignment = Assignment.objects.select_for_update().select_related("nomination__category").get(pk=assignment.pk)
    require(judge, "judging.score", assignment)
    if assignment.is_submitted:
        raise DomainError(
            "You have submitted these scores; ask the panel chair to reopen them to change who helped you"
        )
    if Panel.objects.filter(category=assignment.nomination.category_id, state=PanelState.SIGNED_OFF).exists():
        raise DomainError("The panel has signed off its decisions, so this scorecard can no longer change")
    require(judge, "judging.record_scoring_support", assignment)
    existing = ScoringSupport.objects.filter(assignment=assignment).first()
    before = _support_record(existing)
    if not helped:
        if existing is not None:
            existing.delete()
            audit.record(
                actor=judge,
                action="score.support_removed",
                obj=assignment.nomination,
                before={"judge": judge.email, "stage": assignment.stage, **before},
            )
        return None
    supporter_name = " ".join(supporter_name.split())
    description = description.strip()
    kinds = list(dict.fromkeys(kinds))
    if not supporter_name:
        raise DomainError("Enter the name of the person who helped you")
    if len(supporter_name) > NAME_LIMIT:
        raise DomainError(f"Enter the supporter's name in {NAME_LIMIT} characters or fewer")
    if any(kind not in SupportKind.values for kind in kinds):
        raise DomainError("Choose how they helped from the list")
    if not kinds and not description:
        raise DomainError("Say how they helped you")
    if len(description) > DETAILS_LIMIT:
        raise DomainError(f"Describe how they helped in {DETAILS_LIMIT} characters or fewer")
    support, _ = ScoringSupport.objects.update_or_create(
        assignment=assignment,
        defaults={
            "supporter_name": supporter_name,
            "kinds": [value for value in SupportKind.values if value in kinds],
            "description": description,
        },
    )
    audit.record(
        actor=judge,
        action="score.support_recorded",
        obj=assignment.nomination,
        before=before,
        after={"judge": judge.email, "stage": assignment.stage, **_support_record(support)},
    )
    return support


def _support_record(support) -> dict:
    if support is None:
        return {}
    return {"supporter": support.supporter_name, "how": support.kinds, "description": support.description}
