"""A person's own data: download it, or delete the account.

Deleting an account removes personal details (name, email, profiles, access
needs, certificates, sign-in methods) and keeps the records other people rely
on — nominations, scores, decisions, accreditation and audit history — linked
to an anonymous placeholder, so results and decisions stay checkable.
"""

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.db import transaction
from django.utils import timezone

from accounts import audit
from accounts.models import JoinRequest, Membership, RoleGrant, User
from awards.enums import NominationState
from awards.models import Nomination
from judging.models import ConflictDeclaration, CriterionScore, JudgeProfile
from leaders.models import Completion, DassAppointment, LeaderProfile
from notifications.models import Reminder


def _date(value):
    return value.isoformat() if value else None


def export_for(user) -> dict:
    """Everything the service holds about this person, as JSON-ready data."""
    judge = JudgeProfile.objects.filter(user=user).first()
    leader = LeaderProfile.objects.filter(user=user).select_related("employer").first()
    return {
        "exported_at": timezone.now().isoformat(),
        "account": {
            "email": user.email,
            "full_name": user.full_name,
            "joined": _date(user.date_joined),
            "last_login": _date(user.last_login),
        },
        "organisations": [
            {"organisation": m.organisation.name, "role": m.get_role_display()}
            for m in Membership.objects.filter(user=user).select_related("organisation")
        ],
        "join_requests": [
            {"organisation": r.organisation.name, "state": r.get_state_display(), "asked": _date(r.created_at)}
            for r in JoinRequest.objects.filter(user=user).select_related("organisation")
        ],
        "site_roles": [
            {"role": g.get_role_display(), "granted": _date(g.granted_at), "revoked": _date(g.revoked_at)}
            for g in RoleGrant.objects.filter(user=user)
        ],
        "nominations_started": [
            # The state as the entrant may see it: an award stays hidden until announced.
            {"reference": n.reference, "category": n.category.name, "state": NominationState(n.entrant_state()).label}
            for n in Nomination.objects.filter(created_by=user).select_related("category", "cycle")
        ],
        "judge_profile": {
            "sector": judge.get_sector_background_display(),
            "lived_experience": judge.get_lived_experience_display(),
            "expertise": judge.expertise,
            "access_needs": judge.access_needs,
        }
        if judge
        else None,
        "conflicts_declared": [
            {"organisation": c.organisation.name, "kind": c.get_kind_display(), "note": c.note}
            for c in ConflictDeclaration.objects.filter(judge=user).select_related("organisation")
        ],
        "scores_given": [
            {
                "nomination": s.assignment.nomination.reference,
                "criterion": s.criterion.name,
                "score": s.score,
                "comment": s.comment,
            }
            for s in CriterionScore.objects.filter(assignment__judge=user).select_related(
                "assignment__nomination", "criterion"
            )
        ],
        "leader_profile": {
            "job_title": leader.job_title,
            "employer": leader.employer.name if leader.employer else None,
            "sector": leader.get_sector_display(),
        }
        if leader
        else None,
        "completions": [
            {
                "course": c.title,
                "provider": c.provider_label,
                "completed_on": _date(c.completed_on),
                "state": c.get_state_display(),
            }
            for c in Completion.objects.filter(leader=user).select_related("course__provider")
        ],
        "dass_appointments": [
            {
                "local_authority": a.local_authority.name,
                "appointed_on": _date(a.appointed_on),
                "ended_on": _date(a.ended_on),
                "deadline": _date(a.deadline),
            }
            for a in DassAppointment.objects.filter(leader=user).select_related("local_authority")
        ],
        "reminders_received": [
            {"kind": r.get_kind_display(), "milestone": r.milestone, "sent": _date(r.created_at)}
            for r in Reminder.objects.filter(recipient=user)
        ],
    }


@transaction.atomic
def delete_account(user) -> User:
    """Anonymises the person; the records others rely on stay intact."""
    user = User.objects.select_for_update().get(pk=user.pk)
    audit.record(actor=user, action="account.deleted", obj=user, after={"user_id": user.pk})
    for completion in Completion.objects.filter(leader=user).exclude(certificate=""):
        completion.certificate.delete(save=False)
        Completion.objects.filter(pk=completion.pk).update(certificate="", certificate_name="", certificate_mimetype="")
    JudgeProfile.objects.filter(user=user).delete()
    LeaderProfile.objects.filter(user=user).delete()
    ConflictDeclaration.objects.filter(judge=user).update(note="")
    Membership.objects.filter(user=user).delete()
    JoinRequest.objects.filter(user=user).update(message="")
    RoleGrant.objects.filter(user=user, revoked_at__isnull=True).update(revoked_at=timezone.now())
    EmailAddress.objects.filter(user=user).delete()
    Authenticator.objects.filter(user=user).delete()
    Reminder.objects.filter(recipient=user).update(recipient_email=f"deleted-{user.pk}@deleted.invalid")
    # An unusable password changes the session hash, which signs the person
    # out of every session they had.
    user.email = f"deleted-{user.pk}@deleted.invalid"
    user.full_name = "Deleted user"
    user.is_active = False
    user.is_staff = False
    user.is_superuser = False
    user.set_unusable_password()
    user.save()
    return user
