"""Every change the regulator app makes: queueing an import, a category's
rating rule, an administrator's override and the daily re-check. Each asks
permission through rules.py, validates, and writes the audit record."""

from datetime import timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts import audit
from accounts.enums import SiteRole
from accounts.queries import holders_of
from awards.enums import NominationState
from awards.models import Nomination
from core.errors import DomainError
from core.permissions import require
from notifications.reminders import Due, send_once

from .enums import ChangeKind, Rating
from .matching import latest_import, locations_by_number, normalise
from .models import CategoryRatingRule, DirectoryImport, NominationRegulatorMatch, Override, RegulatorChange

# Entries found eligible and not yet awarded: re-checked until the announcement.
RECHECKED_STATES = [
    NominationState.ELIGIBLE,
    NominationState.SHORTLISTED,
    NominationState.NOT_SHORTLISTED,
    NominationState.FINALIST,
]
# A change is emailed to the administrators of the moment it is found (and
# of the following days, should the first send fail), not to someone given
# the role months later.
EMAIL_WINDOW = timedelta(days=14)
# A file listing fewer locations than this share of the one a location was
# last seen in is taken as partial (_partial).
PARTIAL_FILE_SHARE = 0.9


@transaction.atomic
def queue_import(user, job: DirectoryImport) -> DirectoryImport:
    """Records an uploaded directory file (already stored in `job.file`) and
    queues its import (regulator.importer, in Celery)."""
    from .tasks import run_import

    require(user, "regulator.manage")
    job.uploaded_by = user
    job.save()
    audit.record(actor=user, action="regulator.import_queued", obj=job, after={"file": job.original_name})
    transaction.on_commit(lambda: run_import.delay(job.pk))
    return job


@transaction.atomic
def save_rating_rule(user, category, *, minimum_rating: str, max_age_months) -> CategoryRatingRule:
    """A category may require a minimum overall rating no older than N months."""
    require(user, "regulator.manage")
    if minimum_rating not in dict(Rating.minimum_choices()):
        raise DomainError("Select the lowest rating the category accepts")
    if max_age_months is not None and not 1 <= max_age_months <= 120:
        raise DomainError("The maximum age must be between 1 and 120 months")
    rule = CategoryRatingRule.objects.filter(category=category).first()
    before = {"minimum_rating": rule.minimum_rating, "max_age_months": rule.max_age_months} if rule else {}
    rule = rule or CategoryRatingRule(category=category)
    rule.minimum_rating = minimum_rating
    rule.max_age_months = max_age_months
    rule.updated_by = user
    rule.save()
    audit.record(
        actor=user,
        action="regulator.rating_rule_saved",
        obj=category,
        before=before,
        after={"minimum_rating": minimum_rating, "max_age_months": max_age_months},
    )
    return rule


@transaction.atomic
def remove_rating_rule(user, category) -> None:
    require(user, "regulator.manage")
    rule = CategoryRatingRule.objects.filter(category=category).first()
    if rule is None:
        return
    before = {"minimum_rating": rule.minimum_rating, "max_age_months": rule.max_age_months}
    rule.delete()
    audit.record(actor=user, action="regulator.rating_rule_removed", obj=category, before=before)


@transaction.atomic
def override_rule(user, nomination, *, reason: str, now=None) -> Override:
    """An administrator sets the category's rating rule aside for one
    nomination: never without a reason, always audited. The nomination's
    state is not changed; eligibility is still decided in awards."""
    require(user, "regulator.override", nomination)
    if not reason.strip():
        raise DomainError("Enter why the rating rule is set aside for this nomination")
    override = Override.objects.create(
        nomination=nomination, reason=reason.strip(), created_by=user, created_at=now or timezone.now()
    )
    audit.record(
        actor=user,
        action="regulator.rule_overridden",
        obj=nomination,
        after={"override": override.pk},
        reason=override.reason,
    )
    return override


def recheck_entries(now=None) -> int:
    """Compares every eligible entry of a cycle not yet announced with the
    latest imported directory, flags each deregistration and downgrade once
    (RegulatorChange's unique key) and emails it to each awards administrator
    once (notifications' ledger). Returns the number of changes flagged now.

    The first check of a nomination (or of a new number) records a baseline
    and flags nothing: the category's rule reports its rating."""
    now = now or timezone.now()
    directory_import = latest_import()
    if directory_import is None:
        return 0
    entries = list(
        Nomination.objects.filter(state__in=RECHECKED_STATES, cycle__winners_announced__gt=now).select_related(
            "category", "organisation"
        )
    )
    locations = locations_by_number([n.service_regulator_number for n in entries], directory_import)
    flagged = 0
    for nomination in entries:
        location = locations.get(normalise(nomination.service_regulator_number))
        flagged += _check(nomination, location, directory_import, now)
    _email_changes([n.pk for n in entries], now)
    return flagged


def _check(nomination, location, directory_import, now) -> int:
    number = normalise(nomination.service_regulator_number)
    registered = location is not None and location.is_registered
    rating = location.overall_rating if location else ""
    published = location.rating_published if location else None
    with transaction.atomic():
        match = (
            NominationRegulatorMatch.objects.select_for_update(of=("self",))
            .select_related("location__directory_import")
            .filter(nomination=nomination)
            .first()
        )
        if location is None and match is not None and _partial(directory_import, match):
            return 0
        changes = []
        if match is not None and match.number_seen == number and number:
            if match.registered_seen and not registered:
                changes.append((ChangeKind.DEREGISTERED, f"deregistered:{number}:{directory_import.pk}"))
            elif 0 < Rating.rank(rating) < Rating.rank(match.rating_seen):
                changes.append((ChangeKind.DOWNGRADED, f"downgraded:{number}:{match.rating_seen}>{rating}:{published}"))
        for kind, key in changes:
            _flag(nomination, kind, key, number, match.rating_seen, rating, directory_import, now)
        NominationRegulatorMatch.objects.update_or_create(
            nomination=nomination,
            defaults={
                "location": location,
                "number_seen": number,
                "rating_seen": rating,
                "rating_published_seen": published,
                "registered_seen": registered,
                "checked_at": now,
            },
        )
    return len(changes)


def _partial(directory_import, match) -> bool:
    """A file much smaller than the one the location was last seen in (a
    part of the directory, or a test upload) says nothing of the locations it
    leaves out: they are not taken as deregistered, and their baseline stays."""
    seen_in = match.location.directory_import if match.location else None
    return seen_in is not None and directory_import.location_count < PARTIAL_FILE_SHARE * seen_in.location_count


def _flag(nomination, kind, key, number, before, after, directory_import, now):
    try:
        with transaction.atomic():
            change = RegulatorChange.objects.create(
                nomination=nomination,
                kind=kind,
                key=key[:120],
                location_id=number,
                rating_before=before,
                rating_after=after,
                directory_import=directory_import,
                detected_at=now,
            )
    except IntegrityError:
        return  # flagged already (a re-run, or another worker at the same moment)
    audit.record(
        actor=None,
        action=f"regulator.{kind}",
        obj=nomination,
        before={"rating": before},
        after={"rating": after, "location": number},
        reason=change.describe(),
    )


def _email_changes(nomination_ids, now) -> int:
    changes = list(
        RegulatorChange.objects.filter(
            nomination__in=nomination_ids, detected_at__gte=now - EMAIL_WINDOW
        ).select_related("nomination__category", "nomination__cycle", "nomination__organisation")
    )
    if not changes:
        return 0
    admins = list(holders_of(SiteRole.AWARDS_ADMIN))
    due = [
        Due(change.pk, admin.email, change.kind, {"change": change, "nomination": change.nomination}, admin)
        for change in changes
        for admin in admins
    ]
    return send_once(_kind(), due)


def _kind():
    from .reminders import REGULATOR_CHANGE

    return REGULATOR_CHANGE
