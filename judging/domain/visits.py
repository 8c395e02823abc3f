"""Site visits to shortlisted nominations: the visit team's rules, scheduling,
rescheduling, cancelling, the calendar emails, and the visit report."""

from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts import audit
from accounts.models import Membership
from awards.domain import transition
from awards.enums import NominationState
from awards.models import Nomination
from core.errors import DomainError
from core.formats import uk_datetime
from core.permissions import require
from core.states import move
from notifications.mail import queue_rendered_email, render_email

from .. import calendar
from ..enums import VISIT_TRANSITIONS, AssignmentState, LivedExperience, PanelState, Stage, VisitState
from ..models import Assignment, ConflictDeclaration, JudgeProfile, Panel, PanelMember, SiteVisit
from .access import host_access_needs

# Site visits -----------------------------------------------------------------------


def visit_problems(nomination, judges) -> list[str]:
    problems = []
    if len(judges) < 2:
        problems.append("A visit needs at least two judges")
    profiles = {p.user_id: p for p in JudgeProfile.objects.filter(user__in=judges)}
    if not any(p.lived_experience != LivedExperience.NONE for p in profiles.values()):
        problems.append("At least one visiting judge must have lived experience of care")
    conflicted = ConflictDeclaration.objects.filter(judge__in=judges, organisation=nomination.organisation_id)
    for conflict in conflicted.select_related("judge"):
        problems.append(f"{conflict.judge.email} has declared a conflict with this organisation")
    members = Membership.objects.filter(user__in=judges, organisation=nomination.organisation_id)
    for membership in members.select_related("user"):
        problems.append(f"{membership.user.email} belongs to this organisation")
    panel_ids = set(
        PanelMember.objects.filter(panel__category=nomination.category_id).values_list("judge_id", flat=True)
    )
    for judge in judges:
        if judge.pk not in panel_ids:
            problems.append(f"{judge.email} is not on this category's panel")
    return problems


def _send_visit_emails(visit, method):
    """The visiting judges' invitations list the visit team; the provider's
    names no judge and carries no judge's address. The provider's invitation
    lists the access needs to meet of each visiting judge who consented to
    share them with hosts (judging.domain.access.host_access_needs)."""
    judges = list(visit.judges.select_related("judge_profile"))
    for_host = host_access_needs(judges) if method != "CANCEL" else []
    template = "site_visit_cancelled" if method == "CANCEL" else "site_visit_invitation"
    for_judges = calendar.visit_attachment(visit, judges=judges, method=method)
    recipients = [(judge.email, judge, for_judges) for judge in judges]
    recipients.append((visit.provider_contact_email, None, calendar.visit_attachment(visit, method=method)))
    for email, user, attachment in recipients:
        context = {"visit": visit, "person": user, "access_needs": for_host if user is None else []}
        subject, text, html = render_email(template, context)
        queue_rendered_email(
            to=email,
            recipient=user,
            template=template,
            subject=subject,
            text_body=text,
            html_body=html,
            attachments=[attachment],
        )


def _send_cancellation(visit, judge):
    """Tells one judge taken off a visit team that the visit is off for them."""
    attachment = calendar.visit_attachment(visit, judges=[judge], method="CANCEL")
    subject, text, html = render_email("site_visit_cancelled", {"visit": visit, "person": judge})
    queue_rendered_email(
        to=judge.email,
        recipient=judge,
        template="site_visit_cancelled",
        subject=subject,
        text_body=text,
        html_body=html,
        attachments=[attachment],
    )


def _check_visit_times(nomination, details) -> list[str]:
    """Visits happen inside the cycle's site-visit window, and end after they start."""
    cycle = nomination.cycle
    problems = []
    if details["ends_at"] <= details["starts_at"]:
        problems.append("The visit must end after it starts")
    if details["starts_at"] < cycle.site_visits_start or details["ends_at"] > cycle.site_visits_end:
        problems.append(
            f"Visits take place between {uk_datetime(cycle.site_visits_start)} and "
            f"{uk_datetime(cycle.site_visits_end)}, the cycle's site-visit window"
        )
    return problems


def _refuse_once_signed_off(nomination) -> None:
    """A visit team is judging work: scheduling or moving a visit adds its
    judges' site-visit assignments, and a signed-off panel's work is final
    until an administrator reopens the panel (with a reason, on record)."""
    if Panel.objects.filter(category_id=nomination.category_id, state=PanelState.SIGNED_OFF).exists():
        raise DomainError("The panel has signed off: reopen the panel before changing its visits")


@transaction.atomic
def schedule_visit(admin, nomination, judges, **details) -> SiteVisit:
    require(admin, "judging.manage")
    nomination = Nomination.objects.select_for_update().select_related("cycle").get(pk=nomination.pk)
    if nomination.state != NominationState.SHORTLISTED:
        raise DomainError("Only shortlisted nominations are visited")
    _refuse_once_signed_off(nomination)
    problems = visit_problems(nomination, judges) + _check_visit_times(nomination, details)
    if problems:
        raise DomainError("; ".join(problems))
    try:
        with transaction.atomic():
            visit = SiteVisit.objects.create(nomination=nomination, **details)
    except IntegrityError:
        raise DomainError("This nomination already has a visit scheduled: reschedule it instead") from None
    visit.judges.set(judges)
    for judge in judges:
        Assignment.objects.get_or_create(
            nomination=nomination, judge=judge, stage=Stage.SITE_VISIT, state=AssignmentState.ACTIVE
        )
    audit.record(
        actor=admin,
        action="visit.scheduled",
        obj=nomination,
        after={"starts_at": visit.starts_at.isoformat(), "judges": [j.email for j in judges]},
    )
    _send_visit_emails(visit, "REQUEST")
    return visit


@transaction.atomic
def reschedule_visit(admin, visit, judges, **details) -> SiteVisit:
    require(admin, "judging.manage")
    visit = SiteVisit.objects.select_for_update().select_related("nomination__cycle").get(pk=visit.pk)
    if visit.state != VisitState.SCHEDULED:
        raise DomainError("A cancelled visit cannot be rescheduled: schedule a new one")
    if visit.report_submitted_at:
        raise DomainError("This visit has happened and its report is in: it cannot be moved")
    _refuse_once_signed_off(visit.nomination)
    problems = visit_problems(visit.nomination, judges) + _check_visit_times(visit.nomination, details)
    if problems:
        raise DomainError("; ".join(problems))
    before = visit.starts_at.isoformat()
    for field_name, value in details.items():
        setattr(visit, field_name, value)
    visit.sequence += 1
    visit.save()
    visit.judges.set(judges)
    for judge in judges:
        Assignment.objects.get_or_create(
            nomination=visit.nomination, judge=judge, stage=Stage.SITE_VISIT, state=AssignmentState.ACTIVE
        )
    audit.record(
        actor=admin,
        action="visit.rescheduled",
        obj=visit.nomination,
        before={"starts_at": before},
        after={"starts_at": visit.starts_at.isoformat(), "sequence": visit.sequence},
    )
    _send_visit_emails(visit, "REQUEST")
    return visit


@transaction.atomic
def cancel_visit(admin, visit, *, reason: str) -> SiteVisit:
    require(admin, "judging.manage")
    visit = SiteVisit.objects.select_for_update().select_related("nomination").get(pk=visit.pk)
    if visit.state == VisitState.CANCELLED:
        raise DomainError("This visit is already cancelled")
    if not reason.strip():
        raise DomainError("Enter why the visit is cancelled")
    move(visit, VisitState.CANCELLED, VISIT_TRANSITIONS)
    visit.sequence += 1
    visit.save()
    audit.record(actor=admin, action="visit.cancelled", obj=visit.nomination, reason=reason.strip())
    _send_visit_emails(visit, "CANCEL")
    return visit


@transaction.atomic
def submit_visit_report(judge, visit, **report) -> SiteVisit:
    visit = SiteVisit.objects.select_for_update().select_related("nomination").get(pk=visit.pk)
    require(judge, "judging.report_visit", visit)
    if visit.state != VisitState.SCHEDULED:
        raise DomainError("This visit was cancelled")
    if visit.report_submitted_at:
        raise DomainError("The visit report has already been submitted")
    if timezone.now() < visit.starts_at:
        raise DomainError(f"The report can be written once the visit starts, at {uk_datetime(visit.starts_at)}")
    if not report.get("what_was_seen", "").strip():
        raise DomainError("Describe what you saw on the visit")
    for field_name, value in report.items():
        setattr(visit, field_name, value.strip() if isinstance(value, str) else value)
    visit.report_submitted_at = timezone.now()
    visit.report_by = judge
    visit.save()
    nomination = Nomination.objects.select_for_update().get(pk=visit.nomination_id)
    audit.record(actor=judge, action="visit.report_submitted", obj=nomination)
    if nomination.state == NominationState.SHORTLISTED:
        transition(nomination, NominationState.FINALIST, actor=judge, reason="Site visit report submitted")
    return visit
