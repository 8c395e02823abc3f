from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.text import slugify

from accounts.enums import OrganisationKind, Sector

from .enums import IneligibilityReason, NominationState, Stage


class Programme(models.Model):
    name = models.CharField(max_length=200, unique=True)
    description = models.TextField(blank=True)
    reference_prefix = models.CharField(
        max_length=6, help_text="Letters that start each nomination's reference, for example SCA"
    )

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class Cycle(models.Model):
    """One year of a programme, with its timeline of instants.

    The instants are stored in UTC and shown and entered in Europe/London.
    """

    TIMELINE = [
        ("nominations_open", "Nominations open"),
        ("nominations_close", "Nominations close"),
        ("scoring_deadline", "Scoring deadline"),
        ("shortlist_published", "Shortlist published"),
        ("site_visits_start", "Site visits start"),
        ("site_visits_end", "Site visits end"),
        ("final_panel", "Final panel"),
        ("winners_announced", "Winners announced"),
    ]

    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="cycles")
    year = models.PositiveIntegerField(validators=[MinValueValidator(2000), MaxValueValidator(2100)])
    nominations_open = models.DateTimeField()
    nominations_close = models.DateTimeField()
    scoring_deadline = models.DateTimeField()
    shortlist_published = models.DateTimeField()
    site_visits_start = models.DateTimeField()
    site_visits_end = models.DateTimeField()
    final_panel = models.DateTimeField()
    winners_announced = models.DateTimeField(help_text="The embargo: nothing of the results is public before it")
    anonymise_written_stage = models.BooleanField(
        default=False, help_text="Hide the organisation and service from judges at the written stage"
    )
    sector_balance_margin = models.PositiveSmallIntegerField(
        default=10,
        validators=[MaxValueValidator(100)],
        help_text="Flag a sector when its share of entries is this many percentage points below its share "
        "of registered providers",
    )
    reference_counter = models.PositiveIntegerField(default=0, editable=False)
    # Set when an administrator approves the cycle's results (judging's
    # approve_results) and cleared if that approval is withdrawn: with the
    # announcement instant, it is the embargo.
    results_approved_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-year", "programme__name"]
        constraints = [models.UniqueConstraint(fields=["programme", "year"], name="one_cycle_per_year")]

    def __str__(self):
        return f"{self.programme.name} {self.year}"

    def clean(self):
        instants = [(label, getattr(self, field)) for field, label in self.TIMELINE]
        if any(value is None for _, value in instants):
            return
        for (earlier_label, earlier), (later_label, later) in zip(instants, instants[1:], strict=False):
            if later < earlier:
                raise ValidationError(f"{later_label} must be after {earlier_label.lower()}")
        if self.nominations_close == self.nominations_open:
            raise ValidationError("Nominations close must be after nominations open")

    def timeline(self):
        return [(label, getattr(self, field)) for field, label in self.TIMELINE]

    def is_open(self, now=None) -> bool:
        """Open from the open instant up to and including the close instant."""
        now = now or timezone.now()
        return self.nominations_open <= now <= self.nominations_close

    def results_public(self, now=None) -> bool:
        """The embargo: results are public once approved and the announcement
        instant is reached, not a second before."""
        now = now or timezone.now()
        return self.results_approved_at is not None and now >= self.winners_announced

    @property
    def reference_code(self) -> str:
        return f"{self.programme.reference_prefix}{self.year % 100:02d}"


class Category(models.Model):
    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="categories")
    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200)
    description = models.TextField()
    eligible_sectors = models.JSONField(
        default=list, blank=True, help_text="Sectors that may enter; empty means every sector"
    )
    eligible_kinds = models.JSONField(
        default=list, blank=True, help_text="Organisation kinds that may enter; empty means care providers"
    )
    judges_per_nomination = models.PositiveSmallIntegerField(
        default=3, validators=[MinValueValidator(1), MaxValueValidator(10)]
    )
    written_weight = models.PositiveSmallIntegerField(
        default=60, validators=[MaxValueValidator(100)], help_text="Share of the final score from the written stage"
    )
    visit_weight = models.PositiveSmallIntegerField(
        default=40, validators=[MaxValueValidator(100)], help_text="Share of the final score from the site visit"
    )
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["cycle", "order", "name"]
        verbose_name_plural = "categories"
        constraints = [models.UniqueConstraint(fields=["cycle", "slug"], name="unique_category_slug_per_cycle")]

    def __str__(self):
        return f"{self.name} ({self.cycle.year})"

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = slugify(self.name)[:200]
        super().save(*args, **kwargs)

    def clean(self):
        if self.written_weight + self.visit_weight != 100:
            raise ValidationError("The written and site visit weights must add up to 100")

    @property
    def sectors_allowed(self) -> list[str]:
        return self.eligible_sectors or list(Sector.values)

    @property
    def kinds_allowed(self) -> list[str]:
        return self.eligible_kinds or [OrganisationKind.CARE_PROVIDER]

    def eligibility_problem(self, organisation) -> str:
        """Why this organisation cannot enter, or '' when it can."""
        if organisation.sector not in self.sectors_allowed:
            return f"{organisation.get_sector_display()} sector organisations cannot enter {self.name}"
        if not set(organisation.kinds) & set(self.kinds_allowed):
            kinds = ", ".join(OrganisationKind(k).label.lower() for k in self.kinds_allowed)
            return f"Only these kinds of organisation can enter {self.name}: {kinds}"
        return ""

    def sector_labels(self):
        return [Sector(value).label for value in self.sectors_allowed]

    def kind_labels(self):
        return [OrganisationKind(value).label for value in self.kinds_allowed]


class Question(models.Model):
    category = models.ForeignKey(Category, on_delete=models.CASCADE, related_name="questions")
    text = models.CharField(max_length=500)
    guidance = models.TextField(blank=True)
    word_limit = models.PositiveIntegerField(default=500, validators=[MinValueValidator(1), MaxValueValidator(5000)])
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["category", "order", "pk"]

    def __str__(self):
        return self.text


class Criterion(models.Model):
    category = models.ForeignKey(Category, on_delete=models.CASCADE, related_name="criteria")
    stage = models.CharField(max_length=20, choices=Stage.choices, default=Stage.WRITTEN)
    name = models.CharField(max_length=200)
    guidance = models.TextField(blank=True)
    weight = models.PositiveSmallIntegerField(default=1, validators=[MinValueValidator(1), MaxValueValidator(100)])
    max_score = models.PositiveSmallIntegerField(default=10, validators=[MinValueValidator(1), MaxValueValidator(100)])
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["category", "stage", "order", "pk"]
        verbose_name_plural = "criteria"

    def __str__(self):
        return self.name


class Nomination(models.Model):
    # Templates name states through this, never by their stored strings:
    # {% if nomination.state == nomination.STATES.X %}
    STATES = NominationState

    cycle = models.ForeignKey(Cycle, on_delete=models.PROTECT, related_name="nominations")
    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="nominations")
    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="nominations")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="nominations_started"
    )
    state = models.CharField(max_length=20, choices=NominationState.choices, default=NominationState.DRAFT)
    reference = models.CharField(max_length=20, blank=True)

    service_name = models.CharField("name of the service", max_length=200, blank=True)
    service_address = models.TextField("address of the service", max_length=500, blank=True)
    service_regulator_number = models.CharField(
        "regulator registration number of the service", max_length=40, blank=True
    )
    user_statement = models.TextField("statement from a person who uses the service", max_length=10000, blank=True)
    user_statement_by = models.CharField(
        "who gave the statement", max_length=200, blank=True, help_text="For example 'a resident' or their first name"
    )
    user_statement_consent = models.BooleanField("the person agreed to their statement being used", default=False)
    consent_to_publish = models.BooleanField(null=True, blank=True)

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True)

    extended_close = models.DateTimeField(null=True, blank=True)
    extension_reason = models.TextField(blank=True)
    extension_granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    extension_granted_at = models.DateTimeField(null=True, blank=True)

    ineligibility_reason = models.CharField(max_length=30, choices=IneligibilityReason.choices, blank=True)
    eligibility_note = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["cycle", "reference"], condition=~models.Q(reference=""), name="unique_reference_per_cycle"
            )
        ]
        indexes = [
            models.Index(fields=["cycle", "state", "category"]),
            models.Index(fields=["organisation", "cycle"]),
            models.Index(fields=["category", "state"]),
        ]

    def __str__(self):
        return self.reference or f"Draft nomination {self.pk}"

    def close_instant(self):
        """When this nomination stops accepting submission: the cycle's close,
        or the later instant of an extension granted to this one nomination."""
        if self.extended_close and self.extended_close > self.cycle.nominations_close:
            return self.extended_close
        return self.cycle.nominations_close

    def is_open_for_submission(self, now=None) -> bool:
        now = now or timezone.now()
        return self.cycle.nominations_open <= now <= self.close_instant()

    def entrant_state(self, now=None) -> str:
        """The state an entrant may see: an award stays hidden behind the
        embargo (shown as finalist) until the announcement instant."""
        from .disclosure import Audience, Fact, allows, phase_of

        if self.state in NominationState.results() and not allows(Audience.ENTRANT, Fact.AWARD, phase_of(self, now)):
            return NominationState.FINALIST
        return self.state

    @property
    def was_judged(self) -> bool:
        """Entered and found eligible: judges may have scored it."""
        return self.state in NominationState.entered() and self.state not in (
            NominationState.SUBMITTED,
            NominationState.INELIGIBLE,
        )

    @property
    def is_draft(self) -> bool:
        return self.state == NominationState.DRAFT

    @property
    def display_name(self) -> str:
        return self.service_name or "Service not named yet"


class Answer(models.Model):
    nomination = models.ForeignKey(Nomination, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="answers")
    text = models.TextField(blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["nomination", "question"], name="one_answer_per_question")]

    def __str__(self):
        return f"Answer to {self.question}"

    @property
    def word_count(self) -> int:
        return count_words(self.text)


def count_words(text: str) -> int:
    """Words as a reader counts them: runs of non-space characters."""
    return len(text.split())


class EvidenceFile(models.Model):
    nomination = models.ForeignKey(Nomination, on_delete=models.CASCADE, related_name="evidence")
    file = models.FileField(max_length=300)
    original_name = models.CharField(max_length=200)
    kind = models.CharField(max_length=10)
    mimetype = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    description = models.CharField(max_length=300, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    # Publication of an image with the results, chosen by the entrant for
    # each image (awards.domain.set_image_publication). The description above
    # is private to the entrant and the judges; only the public caption and
    # the published copy, without its metadata, ever leave the service.
    publish = models.BooleanField("publish this image if the nomination wins", default=False)
    public_caption = models.CharField(max_length=200, blank=True)
    people_consent = models.BooleanField(
        "everyone who can be recognised in it agreed to its publication", default=False
    )
    published_file = models.FileField(max_length=300, blank=True)

    class Meta:
        ordering = ["uploaded_at", "pk"]

    def __str__(self):
        return self.original_name

    @property
    def is_image(self) -> bool:
        return self.kind in IMAGE_KINDS


IMAGE_KINDS = ("jpeg", "png")
