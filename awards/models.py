import uuid

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
    # What each score means: bands [{"low": 0, "high": 2, "text": "..."}] that
    # together cover every score from 0 to max_score, once each (see clean).
    score_descriptors = models.JSONField(default=list, blank=True)
    # The easy-read version (short sentences, plain words), written by the
    # awards team; the standard name and guidance above are kept as they are.
    easy_read_name = models.CharField("easy-read name", max_length=200, blank=True)
    easy_read_guidance = models.TextField("easy-read guidance", blank=True)

    class Meta:
        ordering = ["category", "stage", "order", "pk"]
        verbose_name_plural = "criteria"

    def __str__(self):
        return self.name

    def clean(self):
        problem = descriptor_problem(self.score_descriptors, self.max_score)
        if problem:
            raise ValidationError({"score_descriptors": problem})

    @property
    def has_easy_read(self) -> bool:
        return bool(self.easy_read_name)

    def descriptor_for(self, score: int) -> str:
        """What the score means, or '' when there are no descriptors."""
        for band in self.score_descriptors:
            if band["low"] <= score <= band["high"]:
                return band["text"]
        return ""

    def descriptor_levels(self) -> list[tuple[str, str]]:
        """(the scores a band covers, in words; what they mean), lowest first."""
        return [
            (str(b["low"]) if b["low"] == b["high"] else f"{b['low']} to {b['high']}", b["text"])
            for b in sorted(self.score_descriptors, key=lambda b: b["low"])
        ]


def descriptor_problem(bands, max_score) -> str:
    """Why these score descriptors cannot stand, or '' when they can. None at
    all is allowed; otherwise the bands, lowest first, must cover every score
    from 0 to the maximum once each: no gaps, no overlaps, nothing beyond."""
    if not bands:
        return ""
    expected = 0
    for band in sorted(bands, key=lambda b: b["low"]):
        low, high = band["low"], band["high"]
        if low > high:
            return f"The band {low} to {high} runs backwards: write the lower score first"
        if low < expected:
            return f"Score {low} is described more than once"
        if low > expected:
            gap = str(expected) if low - 1 == expected else f"{expected} to {low - 1}"
            return f"Describe every score from 0 to {max_score}: {gap} has no description"
        if not str(band.get("text", "")).strip():
            return f"Write what {low if low == high else f'{low} to {high}'} means"
        expected = high + 1
    if expected <= max_score:
        gap = str(expected) if expected == max_score else f"{expected} to {max_score}"
        return f"Describe every score from 0 to {max_score}: {gap} has no description"
    if expected - 1 > max_score:
        return f"The highest score is {max_score}, so no band may go beyond it"
    return ""


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


class AwardCredential(models.Model):
    """An award (winner, highly commended, commended) as a signed credential
    (Open Badges 3.0), issued to the entrant organisation once the cycle's
    results are announced (judging.award_credentials), never before.

    `public` records whether the entrant had consented to publication when it
    was issued: only then has the credential a public page; otherwise it is
    the entrant's alone. The signed document never changes: if the results
    are withdrawn, the credential is revoked (its bit set in the public
    revocation list) and a corrected result gets a new one."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    nomination = models.ForeignKey(Nomination, on_delete=models.PROTECT, related_name="award_credentials")
    award = models.CharField(max_length=20, choices=NominationState.choices)
    public = models.BooleanField()
    document = models.JSONField()
    issued_at = models.DateTimeField()
    # Its bit in the public status lists (core.credentials), chosen at random.
    status_index = models.PositiveIntegerField(unique=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revocation_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-issued_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["nomination"], condition=models.Q(revoked_at__isnull=True), name="one_standing_award_credential"
            )
        ]

    def __str__(self):
        return f"Award credential {self.uuid}"


class ConsentSubject(models.TextChoices):
    STATEMENT = "statement", "The statement of a person who uses the service"
    IMAGES = "images", "Images of people who use the service"


class ConsentBasis(models.TextChoices):
    """How consent was given, as the Mental Capacity Act 2005 allows."""

    PERSON = "person", "By the person themselves"
    SUPPORTED = "supported", "By the person, with support"
    ATTORNEY = "attorney", "By an attorney for health and welfare (Lasting Power of Attorney)"
    BEST_INTERESTS = "best_interests", "Through a best-interests decision (Mental Capacity Act)"


class ConsentUse(models.TextChoices):
    """The separate uses a person may agree to, each on its own."""

    JUDGES = "judges", "Judges may read or see it"
    PUBLICATION = "publication", "It may be published with the results"
    MEDIA = "media", "It may be given to the media"


class Consent(models.Model):
    """How consent was given for one subject of a nomination (the statement,
    or the images of people), and to which uses.

    Recorded and withdrawn only through awards.domain.consent. While
    `withdrawn_at` is empty the uses ticked here stand; a withdrawal takes
    every use away at once, everywhere awards.disclosure is asked (the
    winners page, the press pack). A withdrawal made after the announcement
    is recorded as a request (`withdrawn_after_announcement`): what was
    already published cannot be called back, but nothing is used again."""

    SUBJECTS = ConsentSubject
    BASES = ConsentBasis

    nomination = models.ForeignKey(Nomination, on_delete=models.CASCADE, related_name="consents")
    subject = models.CharField(max_length=20, choices=ConsentSubject.choices)
    basis = models.CharField("how consent was given", max_length=20, choices=ConsentBasis.choices)
    supporter = models.CharField("who supported them", max_length=200, blank=True)
    attorney = models.CharField("the attorney's name", max_length=200, blank=True)
    consulted = models.TextField("who was consulted", max_length=1000, blank=True)
    decided_by = models.CharField("who made the decision", max_length=200, blank=True)
    for_judges = models.BooleanField("judges may read or see it", default=False)
    for_publication = models.BooleanField("it may be published with the results", default=False)
    for_media = models.BooleanField("it may be given to the media", default=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField()
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    withdrawal_reason = models.TextField(blank=True)
    withdrawn_after_announcement = models.BooleanField(default=False)

    class Meta:
        ordering = ["nomination_id", "subject"]
        constraints = [
            models.UniqueConstraint(fields=["nomination", "subject"], name="one_consent_per_subject"),
        ]

    def __str__(self):
        return f"{self.get_subject_display()} ({self.get_basis_display().lower()})"

    @property
    def is_withdrawn(self) -> bool:
        return self.withdrawn_at is not None

    @property
    def uses(self) -> frozenset[str]:
        """The uses that stand now: none once withdrawn."""
        if self.is_withdrawn:
            return frozenset()
        flags = {
            ConsentUse.JUDGES: self.for_judges,
            ConsentUse.PUBLICATION: self.for_publication,
            ConsentUse.MEDIA: self.for_media,
        }
        return frozenset(use for use, given in flags.items() if given)

    @property
    def use_labels(self) -> list[str]:
        return [ConsentUse(use).label for use in ConsentUse.values if use in self.uses]
