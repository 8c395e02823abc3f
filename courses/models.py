from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone

from accounts.enums import Region, Sector

from .enums import AccreditationStatus, CourseChangeState, CourseState, DeliveryMode, ImportState


class SearchDocumentField(SearchVectorField):
    """A tsvector on PostgreSQL; plain text on SQLite (the local default),
    where search falls back to matching words in the title and summary."""

    def db_type(self, connection):
        return "tsvector" if connection.vendor == "postgresql" else "text"


class FrameworkLevel(models.Model):
    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=100, unique=True)
    description = models.TextField(blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "name"]

    def __str__(self):
        return self.name


class FrameworkDomain(models.Model):
    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=100, unique=True)
    description = models.TextField(blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "name"]

    def __str__(self):
        return self.name


NATIONAL = "national"
COURSE_REGIONS = [(NATIONAL, "National (anywhere in the UK)"), *Region.choices]

SECTOR_FIELDS = {
    Sector.PUBLIC: "open_to_public",
    Sector.PRIVATE: "open_to_private",
    Sector.VOLUNTARY: "open_to_voluntary",
    Sector.COMMUNITY: "open_to_community",
}


class Course(models.Model):
    # Templates name states through this, never by their stored strings:
    # {% if course.state == course.STATES.X %}
    STATES = CourseState
    # and accreditation statuses: {% if course.accreditation_status == course.ACCREDITATION.X %}
    ACCREDITATION = AccreditationStatus

    provider = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="courses")
    external_id = models.CharField(
        "external id",
        max_length=64,
        unique=True,
        null=True,
        blank=True,
        help_text="The provider's own id for the course; the import uses it to update rather than duplicate",
    )
    title = models.CharField(max_length=200)
    summary = models.TextField(max_length=3000)
    levels = models.ManyToManyField(FrameworkLevel, related_name="courses")
    domains = models.ManyToManyField(FrameworkDomain, related_name="courses")
    delivery_mode = models.CharField(max_length=20, choices=DeliveryMode.choices)
    duration_hours = models.DecimalField(
        max_digits=6, decimal_places=1, validators=[MinValueValidator(0.5), MaxValueValidator(5000)]
    )
    cost = models.DecimalField(
        "cost in pounds",
        max_digits=8,
        decimal_places=2,
        validators=[MinValueValidator(0)],
        help_text="0 for free courses",
    )
    region = models.CharField(max_length=30, choices=COURSE_REGIONS, default=NATIONAL)
    open_to_public = models.BooleanField("open to the public sector", default=True)
    open_to_private = models.BooleanField("open to the private sector", default=True)
    open_to_voluntary = models.BooleanField("open to the voluntary sector", default=True)
    open_to_community = models.BooleanField("open to community and user-led organisations", default=True)
    designed_for_social_care = models.BooleanField("designed specifically for social care services", default=False)
    url = models.URLField("web address", max_length=500, blank=True)
    state = models.CharField(max_length=20, choices=CourseState.choices, default=CourseState.DRAFT)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    listed_at = models.DateTimeField(null=True, blank=True)

    accreditation_status = models.CharField(
        max_length=20, choices=AccreditationStatus.choices, default=AccreditationStatus.NONE
    )
    accreditation_number = models.CharField(max_length=30, blank=True)
    accredited_from = models.DateField(null=True, blank=True)
    accredited_to = models.DateField(null=True, blank=True)

    search_document = SearchDocumentField(null=True, editable=False)
    # The import that last wrote the course (none when it was only ever
    # edited on its form): the academy's list of draft and imported courses.
    import_job = models.ForeignKey(
        "ImportJob", null=True, blank=True, editable=False, on_delete=models.SET_NULL, related_name="courses"
    )

    class Meta:
        ordering = ["title", "pk"]
        indexes = [
            models.Index(fields=["state", "title"]),
            models.Index(fields=["state", "region"]),
            models.Index(fields=["state", "delivery_mode"]),
            models.Index(fields=["accreditation_status", "accredited_to"]),
        ]

    def __str__(self):
        return self.title

    @property
    def sectors(self) -> list[str]:
        return [sector for sector, field in SECTOR_FIELDS.items() if getattr(self, field)]

    @sectors.setter
    def sectors(self, values):
        for sector, field in SECTOR_FIELDS.items():
            setattr(self, field, sector in values)

    def sector_labels(self):
        return [Sector(s).label for s in self.sectors]

    def is_accredited(self, on=None) -> bool:
        """Accredited today (or on `on`): the status and dates the accreditation app keeps here."""
        on = on or timezone.localdate()
        return (
            self.accreditation_status in (AccreditationStatus.ACCREDITED, AccreditationStatus.CONDITIONS)
            and self.accredited_from is not None
            and self.accredited_from <= on <= self.accredited_to
        )

    @staticmethod
    def accredited_filter(on=None) -> Q:
        on = on or timezone.localdate()
        return Q(
            accreditation_status__in=[AccreditationStatus.ACCREDITED, AccreditationStatus.CONDITIONS],
            accredited_from__lte=on,
            accredited_to__gte=on,
        )


MATERIAL_FIELDS = ["title", "provider", "delivery_mode", "duration_hours", "designed_for_social_care"]
MATERIAL_SETS = ["levels", "domains"]


class CourseChange(models.Model):
    """A proposed change to what an accredited course is. The course keeps
    its accepted values until the Academy accepts the change (the accreditation
    app decides it); `proposed` holds the new values, `summary` says them in
    words."""

    # Templates name states through this, never by their stored strings:
    # {% if coursechange.state == coursechange.STATES.X %}
    STATES = CourseChangeState

    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="changes")
    proposed = models.JSONField()
    summary = models.TextField()
    state = models.CharField(max_length=20, choices=CourseChangeState.choices, default=CourseChangeState.PENDING)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    requested_at = models.DateTimeField()
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-requested_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["course"], condition=Q(state="pending"), name="one_pending_change_per_course"
            )
        ]

    def __str__(self):
        return f"Change to {self.course}: {self.summary}"

    @property
    def accepted(self) -> bool:
        return self.state == CourseChangeState.ACCEPTED


class ImportJob(models.Model):
    """A CSV import, run by a Celery task: validated whole, written whole or not at all."""

    # Templates name states through this: {% if job.state == job.STATES.DONE %}
    STATES = ImportState

    file = models.FileField(max_length=300)
    original_name = models.CharField(max_length=200)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    # A course provider's own import: every row is that organisation's course.
    # None for the academy's imports, which may name any provider.
    organisation = models.ForeignKey(
        "accounts.Organisation", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    state = models.CharField(max_length=20, choices=ImportState.choices, default=ImportState.QUEUED)
    total_rows = models.PositiveIntegerField(default=0)
    processed_rows = models.PositiveIntegerField(default=0)
    created_count = models.PositiveIntegerField(default=0)
    updated_count = models.PositiveIntegerField(default=0)
    # The first problems (ERRORS_SHOWN of them), shown on the page; every one
    # of the error_count problems is in errors_file, a CSV to download.
    errors = models.JSONField(default=list, blank=True)
    error_count = models.PositiveIntegerField(default=0)
    errors_file = models.FileField(max_length=300, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"Import of {self.original_name}"

    @property
    def percent(self) -> int:
        return int(100 * self.processed_rows / self.total_rows) if self.total_rows else 0

    @property
    def errors_not_shown(self) -> int:
        """Problems beyond those listed on the page (all are in the CSV download)."""
        return max(self.error_count - len(self.errors), 0)
