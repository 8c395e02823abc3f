"""The regulator's care directory as imported, and what it says of each nomination.

Everything here is the regulator app's own: awards' models are only pointed at
(one-to-one with a Nomination or a Category), never changed.
"""

from django.conf import settings
from django.db import models

from .enums import ChangeKind, ImportState, Rating, RegistrationStatus


class DirectoryImport(models.Model):
    """One upload of the regulator's care directory file, run by a Celery task:
    validated whole, written whole or not at all (regulator.importer)."""

    # Templates name states through this: {% if job.state == job.STATES.DONE %}
    STATES = ImportState

    file = models.FileField(max_length=300)
    original_name = models.CharField(max_length=200)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    state = models.CharField(max_length=20, choices=ImportState.choices, default=ImportState.QUEUED)
    total_rows = models.PositiveIntegerField(default=0)
    processed_rows = models.PositiveIntegerField(default=0)
    location_count = models.PositiveIntegerField(default=0)
    # The first problems (importer.ERRORS_SHOWN of them); error_count counts all.
    errors = models.JSONField(default=list, blank=True)
    error_count = models.PositiveIntegerField(default=0)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"Directory import of {self.original_name}"

    @property
    def percent(self) -> int:
        return int(100 * self.processed_rows / self.total_rows) if self.total_rows else 0

    @property
    def finished(self) -> bool:
        return self.state in (ImportState.DONE, ImportState.FAILED)

    @property
    def errors_not_shown(self) -> int:
        return max(self.error_count - len(self.errors), 0)


class Location(models.Model):
    """One registered location as a directory import listed it."""

    directory_import = models.ForeignKey(DirectoryImport, on_delete=models.CASCADE, related_name="locations")
    location_id = models.CharField("location ID", max_length=40)
    name = models.CharField(max_length=300)
    address = models.TextField(blank=True)
    postcode = models.CharField(max_length=12, blank=True)
    provider_name = models.CharField(max_length=300, blank=True)
    registration_status = models.CharField(
        max_length=20, choices=RegistrationStatus.choices, default=RegistrationStatus.REGISTERED
    )
    service_types = models.JSONField(default=list, blank=True)
    overall_rating = models.CharField(max_length=30, choices=Rating.choices, blank=True)
    rating_published = models.DateField("rating publication date", null=True, blank=True)

    class Meta:
        ordering = ["location_id"]
        constraints = [
            models.UniqueConstraint(fields=["directory_import", "location_id"], name="one_location_per_import")
        ]

    def __str__(self):
        return f"{self.name} ({self.location_id})"

    @property
    def is_registered(self) -> bool:
        return self.registration_status == RegistrationStatus.REGISTERED

    @property
    def rating_rank(self) -> int:
        return Rating.rank(self.overall_rating)


class CategoryRatingRule(models.Model):
    """A category's entry rule: a registered service rated at least
    `minimum_rating`, that rating published no more than `max_age_months` ago
    (no age limit when empty)."""

    category = models.OneToOneField("awards.Category", on_delete=models.CASCADE, related_name="rating_rule")
    minimum_rating = models.CharField(max_length=30, choices=Rating.minimum_choices())
    max_age_months = models.PositiveSmallIntegerField("maximum age of the rating in months", null=True, blank=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self):
        return f"Rating rule of {self.category}"


class NominationRegulatorMatch(models.Model):
    """What the daily re-check last saw of a nomination's location: the
    baseline a later import is compared with (regulator.domain.recheck)."""

    nomination = models.OneToOneField("awards.Nomination", on_delete=models.CASCADE, related_name="regulator_match")
    location = models.ForeignKey(Location, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    number_seen = models.CharField(max_length=40, blank=True)
    rating_seen = models.CharField(max_length=30, choices=Rating.choices, blank=True)
    rating_published_seen = models.DateField(null=True, blank=True)
    registered_seen = models.BooleanField(default=False)
    checked_at = models.DateTimeField()

    def __str__(self):
        return f"Regulator match of {self.nomination}"


class RegulatorChange(models.Model):
    """The ledger of changes flagged to administrators: one row per change
    (its key), so a change is flagged and emailed once and only once."""

    nomination = models.ForeignKey("awards.Nomination", on_delete=models.CASCADE, related_name="regulator_changes")
    kind = models.CharField(max_length=20, choices=ChangeKind.choices)
    key = models.CharField(max_length=120)
    location_id = models.CharField(max_length=40)
    rating_before = models.CharField(max_length=30, choices=Rating.choices, blank=True)
    rating_after = models.CharField(max_length=30, choices=Rating.choices, blank=True)
    directory_import = models.ForeignKey(DirectoryImport, null=True, on_delete=models.SET_NULL, related_name="+")
    detected_at = models.DateTimeField()

    class Meta:
        ordering = ["-detected_at", "-pk"]
        constraints = [models.UniqueConstraint(fields=["nomination", "key"], name="one_flag_per_regulator_change")]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.nomination}"

    def describe(self) -> str:
        if self.kind == ChangeKind.DOWNGRADED:
            return (
                f"Rating went from {Rating(self.rating_before).label} to {Rating(self.rating_after).label}"
                f" (location {self.location_id})"
            )
        return f"Location {self.location_id} is no longer registered with the regulator"


class Override(models.Model):
    """An administrator's decision to set the category's rating rule aside for
    one nomination, with the reason (regulator.domain.override_rule)."""

    nomination = models.ForeignKey("awards.Nomination", on_delete=models.CASCADE, related_name="regulator_overrides")
    reason = models.TextField()
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"Override for {self.nomination}"
