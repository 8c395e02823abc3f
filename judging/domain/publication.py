"""Results after sign-off: approval, the embargo and telling entrants, and
correcting them (withdrawing approved results, reopening a signed-off panel)."""

from django.db import transaction
from django.utils import timezone

from accounts import audit
from accounts.models import Organisation, User
from awards.domain import email_provider, transition
from awards.enums import NominationState
from awards.models import Cycle, Nomination
from core.caching import RESULTS_DATA, data_changed
from core.errors import DomainError
from core.formats import uk_datetime
from core.permissions import require
from core.states import move
from notifications.mail import queue_email
from webhooks import events as webhook_events

from .. import award_credentials
from ..enums import PANEL_TRANSITIONS, Award, PanelState
from ..models import FinalResult, Panel, PanelMember, PressPackDownload, Publication, ResultsCorrection
from ..queries import conflict_pairs
from .judges import _stand_down

AWARD_STATES = {
    Award.WINNER: NominationState.WINNER,
    Award.HIGHLY_COMMENDED: NominationState.HIGHLY_COMMENDED,
    Award.COMMENDED: NominationState.COMMENDED,
}


@transaction.atomic
def approve_results(admin, cycle, now=None, *, early_reason: str = "") -> Publication:
    """Approves the signed-off results; they become public at the cycle's
    announcement instant and not before. Not before the final panel's date,
    unless the administrator records why."""
    require(admin, "judging.manage")
    now = now or timezone.now()
    cycle = Cycle.objects.select_for_update().get(pk=cycle.pk)
    if Publication.objects.filter(cycle=cycle).exists():
        raise DomainError("The results of this cycle have already been approved")
    early = now < cycle.final_panel
    if early and not early_reason.strip():
        raise DomainError(
            f"The final panel meets at {uk_datetime(cycle.final_panel)}: give the reason for approving the results "
            "before then"
        )
    unsigned = Panel.objects.filter(category__cycle=cycle).exclude(state=PanelState.SIGNED_OFF)
    if unsigned.exists():
        names = ", ".join(p.category.name for p in unsigned.select_related("category"))
        raise DomainError(f"Every panel must sign off first: {names}")
    for result in FinalResult.objects.filter(nomination__cycle=cycle).exclude(award=Award.NONE):
        nomination = Nomination.objects.select_for_update().get(pk=result.nomination_id)
        transition(nomination, AWARD_STATES[result.award], actor=admin)
    publication = Publication.objects.create(cycle=cycle, approved_by=admin, approved_at=now)
    Cycle.objects.filter(pk=cycle.pk).update(results_approved_at=now)
    cycle.results_approved_at = now
    data_changed(RESULTS_DATA)
    audit.record(
        actor=admin,
        action="results.approved",
        obj=cycle,
        after={"public_from": cycle.winners_announced.isoformat(), "early": early},
        reason=early_reason.strip() if early else "",
    )
    return publication


@transaction.atomic
def withdraw_results(admin, cycle, *, reason: str, now=None) -> ResultsCorrection:
    """The one route by which approved results change: an administrator
    withdraws them, with a reason that is published with the corrected
    results. Winners go back to finalists, the winners pages disappear at
    once, the press pack is withdrawn (the media partner is told), and
    entrants who were told the results hear that they are being corrected;
    the awards' signed credentials are revoked.
    Panels can then be reopened; approving again announces the corrected
    results, with every correction listed."""
    require(admin, "judging.manage")
    now = now or timezone.now()
    cycle = Cycle.objects.select_for_update().get(pk=cycle.pk)
    publication = Publication.objects.filter(cycle=cycle).first()
    if publication is None:
        raise DomainError("The results of this cycle are not approved")
    if not reason.strip():
        raise DomainError("Give the reason for correcting the results: it is published with them")
    correction = ResultsCorrection.objects.create(
        cycle=cycle,
        reason=reason.strip(),
        withdrawn_by=admin,
        withdrawn_at=now,
        was_announced=cycle.results_public(now),
    )
    told = publication.entrants_notified_at is not None
    awarded = Nomination.objects.select_for_update().filter(cycle=cycle, state__in=NominationState.results())
    for nomination in awarded.select_related("cycle", "category", "organisation"):
        transition(nomination, NominationState.FINALIST, actor=admin, reason=reason.strip())
    if told:
        entrants = Nomination.objects.filter(cycle=cycle, state__in=NominationState.entered()).exclude(
            state__in=[NominationState.SUBMITTED, NominationState.INELIGIBLE]
        )
        for nomination in entrants.select_related("cycle", "category", "organisation", "created_by"):
            email_provider(nomination, "results_withdrawn", {"correction": correction})
    for person in User.objects.filter(pk__in=publication.cycle.press_pack_downloads.values("user")):
        queue_email(
            to=person.email,
            recipient=person,
            template="press_pack_withdrawn",
            context={"cycle": cycle, "person": person},
        )
    award_credentials.revoke_for_cycle(admin, cycle, reason=reason.strip(), now=now)
    publication.delete()
    Cycle.objects.filter(pk=cycle.pk).update(results_approved_at=None)
    data_changed(RESULTS_DATA)
    audit.record(
        actor=admin,
        action="results.withdrawn",
        obj=cycle,
        after={"was_announced": correction.was_announced, "entrants_told": told},
        reason=reason.strip(),
    )
    return correction


@transaction.atomic
def reopen_panel(admin, panel, *, reason: str) -> Panel:
    """An administrator reopens a signed-off panel to correct its decisions,
    with a reason: only once the cycle's results are withdrawn, so nothing
    approved changes underneath its approval."""
    require(admin, "judging.manage")
    panel = Panel.objects.select_for_update(of=("self",)).select_related("category__cycle", "chair").get(pk=panel.pk)
    if panel.state != PanelState.SIGNED_OFF:
        raise DomainError("Only a signed-off panel can be reopened")
    if panel.category.cycle.results_approved_at is not None:
        raise DomainError("The cycle's results are approved: withdraw them first, giving the reason")
    if not reason.strip():
        raise DomainError("Give the reason for reopening the panel")
    move(panel, PanelState.ACTIVE, PANEL_TRANSITIONS)
    panel.signed_off_at = None
    panel.signed_off_by = None
    panel.save()
    # Conflicts declared while the panel's work was final apply now that it
    # is active again: the judge stands down from those entrants' work.
    standing = conflict_pairs(
        PanelMember.objects.filter(panel=panel).values("judge"),
        Nomination.objects.filter(category=panel.category_id).values("organisation"),
    )
    for judge_id, organisation_id in sorted(standing):
        _stand_down(
            User.objects.get(pk=judge_id),
            Organisation.objects.get(pk=organisation_id),
            actor=admin,
            panels=Panel.objects.filter(pk=panel.pk),
        )
    audit.record(
        actor=admin,
        action="panel.reopened",
        obj=panel,
        before={"state": "signed_off"},
        after={"state": "active"},
        reason=reason.strip(),
    )
    if panel.chair is not None:
        queue_email(
            to=panel.chair.email,
            recipient=panel.chair,
            template="panel_reopened",
            context={"panel": panel, "person": panel.chair, "reason": reason.strip()},
        )
    return panel


def results_are_public(cycle, now=None) -> bool:
    """The embargo: approved results, and the announcement instant reached."""
    return cycle.results_public(now)


def notify_entrants_of_results(now=None) -> int:
    """Run by Celery beat: once a cycle's embargo lifts, tells every entrant
    that results and feedback are available, and issues the awards' signed
    credentials (judging.award_credentials). The conditional update claims
    each cycle once, so a second worker or a re-run sends nothing."""
    now = now or timezone.now()
    sent = 0
    due = Publication.objects.filter(entrants_notified_at__isnull=True, cycle__winners_announced__lte=now)
    for publication in due.select_related("cycle"):
        with transaction.atomic():
            claimed = Publication.objects.filter(pk=publication.pk, entrants_notified_at__isnull=True).update(
                entrants_notified_at=now
            )
            if not claimed:
                continue
            webhook_events.emit(webhook_events.RESULTS_ANNOUNCED, publication.cycle, now=now)
            entrants = Nomination.objects.filter(cycle=publication.cycle, state__in=NominationState.entered()).exclude(
                state__in=[NominationState.SUBMITTED, NominationState.INELIGIBLE]
            )
            for nomination in entrants.select_related("cycle", "category", "organisation", "created_by"):
                email_provider(nomination, "results_published")
                sent += 1
            award_credentials.issue_for_cycle(publication.cycle, now)
    return sent


def request_press_pack(user, cycle):
    """The media partner (or an administrator) asks for a cycle's press pack:
    only once its results are approved. A Celery worker builds the ZIP
    (judging.press_pack) from what the disclosure policy lets the media
    partner see; its owner is emailed when it is ready (core.export_jobs)."""
    from core.export_jobs import queue_export

    from ..exports import PRESS_PACK
    from ..press_pack import approved_cycles, parameters

    require(user, "judging.press_pack")
    cycle = approved_cycles().filter(pk=cycle.pk).first()
    if cycle is None:
        raise DomainError("The results of this cycle are not approved: there is no press pack yet")
    return queue_export(user, PRESS_PACK, parameters(cycle), "zip", filename=f"press-pack-{cycle.year}.zip")


@transaction.atomic
def record_press_pack_download(user, cycle) -> PressPackDownload:
    """Who took the embargoed press pack and when: if results are withdrawn,
    each of them is told (withdraw_results)."""
    require(user, "judging.press_pack")
    download = PressPackDownload.objects.create(cycle=cycle, user=user)
    audit.record(actor=user, action="press_pack.downloaded", obj=download, after={"cycle": cycle.pk})
    return download
