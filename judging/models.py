import secrets
import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from accounts.enums import Sector

from .enums import (
    AccessNeed,
    AssignmentState,
    Award,
    ConflictType,
    LivedExperience,
    PanelState,
    Stage,
    SupportKind,
    VisitState,
)


class JudgeProfile(models.Model):
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="judge_profile")
    sector_background = models.CharField("sector you work or worked in", max_length=20, choices=Sector.choices)
    lived_experience = models.CharField(
        "do you have lived experience of care?", max_length=20, choices=LivedExperience.choices
    )
    expertise = models.TextField("your expertise", max_length=2000, blank=True)
    access_needs = models.TextField("access needs for meetings and visits", max_length=2000, blank=True)
    # Access needs (Accessible Information Standard): the chosen needs above
    # plus the judge's own words, shared only with the consents below, which
    # the judge may withdraw at any time (judging.domain.access).
    # A list of AccessNeed values (JSON, so that SQLite runs it too; the
    # domain function accepts only AccessNeed's values).
    access_need_kinds = models.JSONField(default=list, blank=True)
    share_access_needs_with_admin = models.BooleanField(default=False)
    share_access_needs_with_hosts = models.BooleanField(default=False)
    access_consent_changed_at = models.DateTimeField(null=True, blank=True)
    # The judge reads criteria in their easy-read version on the scoring page
    # (the standard wording stays one click away).
    prefers_easy_read = models.BooleanField("show criteria in easy read", default=False)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self):
        return f"Judge profile of {self.user}"

    @property
    def has_lived_experience(self) -> bool:
        return self.lived_experience != LivedExperience.NONE

    @property
    def has_access_needs(self) -> bool:
        return bool(self.access_need_kinds or self.access_needs.strip())

    def access_need_labels(self) -> list[str]:
        """The chosen needs in words, in the order the form offers them."""
        chosen = set(self.access_need_kinds)
        return [label for value, label in AccessNeed.choices if value in chosen]


class JudgeInvitation(models.Model):
    email = models.EmailField()
    token = models.CharField(max_length=64, unique=True, default=secrets.token_urlsafe)
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    invited_at = models.DateTimeField(auto_now_add=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-invited_at"]

    def __str__(self):
        return f"Judge invitation for {self.email}"


class ConflictDeclaration(models.Model):
    judge = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="conflicts")
    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.CASCADE, related_name="conflicts")
    kind = models.CharField("type of connection", max_length=20, choices=ConflictType.choices)
    note = models.TextField(max_length=2000, blank=True)
    declared_at = models.DateTimeField(auto_now_add=True)
    nomination = models.ForeignKey(
        "awards.Nomination",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Set when declared while reading a nomination",
    )

    class Meta:
        ordering = ["-declared_at"]
        constraints = [models.UniqueConstraint(fields=["judge", "organisation"], name="one_conflict_per_org")]

    def __str__(self):
        return f"{self.judge} – {self.organisation} ({self.get_kind_display()})"


class JudgingSettings(models.Model):
    """Judging settings for a cycle (panel composition, disagreement threshold,
    shortlist size). Named "settings", not "rules": `rules.py` in each app holds
    who may do what. Defaults apply until an administrator changes them."""

    cycle = models.OneToOneField("awards.Cycle", on_delete=models.CASCADE, related_name="judging_settings")
    min_panel_size = models.PositiveSmallIntegerField(default=3, validators=[MinValueValidator(1)])
    min_lived_experience = models.PositiveSmallIntegerField(default=1)
    min_sectors = models.PositiveSmallIntegerField(default=2, validators=[MinValueValidator(1)])
    disagreement_threshold = models.PositiveSmallIntegerField(
        default=25,
        validators=[MaxValueValidator(100)],
        help_text="Flag a nomination when its judges' totals (out of 100) differ by more than this",
    )
    shortlist_size = models.PositiveSmallIntegerField(default=3, validators=[MinValueValidator(1)])
    # Lived-experience voice and calibration (issue 22): see judging.results.
    lived_experience_divergence_threshold = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        validators=[MaxValueValidator(100)],
        help_text="When the lived-experience judges' mean and the overall score (out of 100) differ by more than "
        "this, the chair's decision must say how their view was considered. Leave empty to turn this off.",
    )
    min_scorecards_for_normalisation = models.PositiveSmallIntegerField(
        default=2,
        validators=[MinValueValidator(2), MaxValueValidator(50)],
        help_text="A judge with fewer submitted scorecards than this in a category and stage is not normalised: "
        "their raw totals are used, and the ranking says so. Default 2, the fewest a spread can be measured on.",
    )

    def __str__(self):
        return f"Judging settings for {self.cycle}"


class Panel(models.Model):
    # Templates name states through this, never by their stored strings:
    # {% if panel.state == panel.STATES.X %}
    STATES = PanelState

    category = models.OneToOneField("awards.Category", on_delete=models.CASCADE, related_name="panel")
    chair = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="chaired_panels"
    )
    members = models.ManyToManyField(settings.AUTH_USER_MODEL, through="PanelMember", related_name="panels")
    state = models.CharField(max_length=20, choices=PanelState.choices, default=PanelState.DRAFT)
    activated_at = models.DateTimeField(null=True, blank=True)
    shortlist_rationale = models.TextField(blank=True)
    shortlist_decided_at = models.DateTimeField(null=True, blank=True)
    shortlist_published_at = models.DateTimeField(null=True, blank=True)
    # Set when the shortlist was decided with scorecards still out: the chair's
    # (or administrator's) recorded reason for not waiting.
    shortlist_exception = models.TextField(blank=True)
    # The panel decided to make no award in its category this year, and why.
    no_award_rationale = models.TextField(blank=True)
    no_award_at = models.DateTimeField(null=True, blank=True)
    signed_off_at = models.DateTimeField(null=True, blank=True)
    signed_off_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # When a scorecard of this category was last submitted, reopened or taken
    # off a judge (judging.domain sets it): the cached ranking is keyed on it.
    scores_changed_at = models.DateTimeField(null=True, blank=True, editable=False)

    def __str__(self):
        return f"Panel for {self.category}"


class PanelMember(models.Model):
    panel = models.ForeignKey(Panel, on_delete=models.CASCADE, related_name="memberships")
    judge = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="panel_memberships")
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["panel", "judge"], name="one_membership_per_panel")]

    def __str__(self):
        return f"{self.judge} on {self.panel}"


class Assignment(models.Model):
    """A judge scoring one nomination at one stage."""

    # Templates name states through this, never by their stored strings:
    # {% if assignment.state == assignment.STATES.X %}
    STATES = AssignmentState

    nomination = models.ForeignKey("awards.Nomination", on_delete=models.CASCADE, related_name="assignments")
    judge = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="assignments")
    stage = models.CharField(max_length=20, choices=Stage.choices, default=Stage.WRITTEN)
    state = models.CharField(max_length=10, choices=AssignmentState.choices, default=AssignmentState.ACTIVE)
    is_override = models.BooleanField(default=False)
    override_reason = models.TextField(blank=True)
    removed_reason = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    submitted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["nomination_id", "judge_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["nomination", "judge", "stage"],
                condition=Q(state="active"),
                name="one_active_assignment",
            )
        ]
        indexes = [
            models.Index(fields=["judge", "stage", "state"]),
            models.Index(fields=["nomination", "stage", "state"]),
        ]

    def __str__(self):
        return f"{self.judge} scores {self.nomination} ({self.get_stage_display()})"

    @property
    def is_submitted(self) -> bool:
        return self.submitted_at is not None


class CriterionScore(models.Model):
    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey("awards.Criterion", on_delete=models.PROTECT, related_name="+")
    score = models.PositiveSmallIntegerField(null=True, blank=True)
    comment = models.TextField(max_length=3000, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["assignment", "criterion"], name="one_score_per_criterion")]

    def __str__(self):
        return f"{self.criterion}: {self.score}"


class ScoringSupport(models.Model):
    """Assisted scoring: a named supporter helped the judge with this
    scorecard, and how. The supporter is a name and a description only: no
    account, no access, no powers. Fixed once the scorecard is submitted,
    until the chair reopens it."""

    assignment = models.OneToOneField(Assignment, on_delete=models.CASCADE, related_name="support")
    supporter_name = models.CharField("supporter's name", max_length=200)
    # A list of SupportKind values (checked by judging.domain.access).
    kinds = models.JSONField(default=list)
    description = models.TextField("how they helped, in your words", max_length=2000, blank=True)
    recorded_at = models.DateTimeField(auto_now=True)

    def __str__(self):
        return f"{self.supporter_name} helped with {self.assignment}"

    def kind_labels(self) -> list[str]:
        chosen = set(self.kinds)
        return [label for value, label in SupportKind.choices if value in chosen]

    @property
    def summary(self) -> str:
        """One line for the chair: who helped and how."""
        how = "; ".join([*self.kind_labels(), *([self.description] if self.description else [])])
        return f"Helped by {self.supporter_name}" + (f": {how}" if how else "")


class CalibrationExample(models.Model):
    """A shared example entry the judges of a category score before scoring
    real entries, so the chair can see who marks harder or softer. Written
    by an administrator (made up or fully anonymised: never a real entrant's
    data). Its scores are kept apart from real ones and never enter a ranking."""

    category = models.ForeignKey("awards.Category", on_delete=models.CASCADE, related_name="calibration_examples")
    title = models.CharField("title of the example", max_length=200)
    entry_text = models.TextField("the example entry", max_length=10000)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["category_id", "pk"]
        constraints = [models.UniqueConstraint(fields=["category", "title"], name="one_calibration_example_title")]

    def __str__(self):
        return f"Calibration example {self.title}"


class CalibrationScore(models.Model):
    """A judge's score on one written-stage criterion for a calibration example."""

    example = models.ForeignKey(CalibrationExample, on_delete=models.CASCADE, related_name="scores")
    judge = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calibration_scores")
    criterion = models.ForeignKey("awards.Criterion", on_delete=models.CASCADE, related_name="+")
    score = models.PositiveSmallIntegerField()
    recorded_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["example", "judge", "criterion"], name="one_calibration_score_per_criterion"
            )
        ]

    def __str__(self):
        return f"{self.judge} on {self.example}: {self.score}"


class TieBreak(models.Model):
    """A chair's casting decision between nominations tied after the
    normalised score and the highest-weighted criterion."""

    category = models.ForeignKey("awards.Category", on_delete=models.CASCADE, related_name="tie_breaks")
    stage = models.CharField(max_length=20, choices=Stage.choices)
    preferred = models.ForeignKey("awards.Nomination", on_delete=models.CASCADE, related_name="+")
    over = models.ForeignKey("awards.Nomination", on_delete=models.CASCADE, related_name="+")
    reason = models.TextField()
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    decided_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return f"{self.preferred} above {self.over}"


class ShortlistEntry(models.Model):
    """The chair's shortlist decision; providers hear of it only when published."""

    nomination = models.OneToOneField("awards.Nomination", on_delete=models.CASCADE, related_name="shortlist_entry")
    shortlisted = models.BooleanField()

    def __str__(self):
        return f"{self.nomination}: {'shortlisted' if self.shortlisted else 'not shortlisted'}"


class SiteVisit(models.Model):
    # Templates name states through this, never by their stored strings:
    # {% if sitevisit.state == sitevisit.STATES.X %}
    STATES = VisitState

    nomination = models.ForeignKey("awards.Nomination", on_delete=models.CASCADE, related_name="site_visits")
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    sequence = models.PositiveIntegerField(default=0)
    state = models.CharField(max_length=20, choices=VisitState.choices, default=VisitState.SCHEDULED)
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    address = models.TextField(max_length=500)
    access_notes = models.TextField(max_length=2000, blank=True)
    provider_contact_name = models.CharField(max_length=200)
    provider_contact_email = models.EmailField()
    provider_contact_phone = models.CharField(max_length=40, blank=True)
    judges = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="site_visits")
    what_was_seen = models.TextField(blank=True)
    spoke_to_people_using_service = models.BooleanField(default=False)
    spoke_to_carers = models.BooleanField(default=False)
    spoke_to_staff = models.BooleanField(default=False)
    who_was_spoken_to = models.TextField(blank=True)
    evidence_seen = models.TextField(blank=True)
    report_submitted_at = models.DateTimeField(null=True, blank=True)
    report_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["starts_at"]
        constraints = [
            models.UniqueConstraint(fields=["nomination"], condition=Q(state="scheduled"), name="one_active_visit")
        ]
        indexes = [models.Index(fields=["state", "starts_at"])]

    def __str__(self):
        return f"Visit to {self.nomination} on {self.starts_at:%d %b %Y}"


class VisitFile(models.Model):
    visit = models.ForeignKey(SiteVisit, on_delete=models.CASCADE, related_name="files")
    file = models.FileField(max_length=300)
    original_name = models.CharField(max_length=200)
    mimetype = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    consent_to_publish = models.BooleanField(default=False)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return self.original_name


class FinalResult(models.Model):
    nomination = models.OneToOneField("awards.Nomination", on_delete=models.CASCADE, related_name="final_result")
    award = models.CharField(max_length=20, choices=Award.choices)
    final_score = models.DecimalField(max_digits=6, decimal_places=2)
    citation = models.TextField(max_length=3000, blank=True)
    rationale = models.TextField(max_length=5000, blank=True)
    # Required when the cycle's lived-experience divergence threshold is
    # exceeded (judging.domain.final.record_final_result).
    lived_experience_consideration = models.TextField(
        "how the lived-experience judges' view was considered", max_length=5000, blank=True
    )
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    decided_at = models.DateTimeField(auto_now=True)

    def __str__(self):
        return f"{self.nomination}: {self.get_award_display()}"


class Publication(models.Model):
    """An administrator's approval of a cycle's results. The public sees them
    from the cycle's announcement instant, not before."""

    cycle = models.OneToOneField("awards.Cycle", on_delete=models.CASCADE, related_name="publication")
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    approved_at = models.DateTimeField()
    entrants_notified_at = models.DateTimeField(null=True, blank=True)

    def __str__(self):
        return f"Results of {self.cycle}"


class ResultsCorrection(models.Model):
    """An administrator withdrew a cycle's approved results to correct them,
    with the reason. Kept for ever and shown with the results once they are
    approved and announced again: a result never changes silently."""

    cycle = models.ForeignKey("awards.Cycle", on_delete=models.CASCADE, related_name="results_corrections")
    reason = models.TextField()
    withdrawn_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    withdrawn_at = models.DateTimeField()
    was_announced = models.BooleanField(help_text="The results had already been announced when they were withdrawn")

    class Meta:
        ordering = ["withdrawn_at", "pk"]

    def __str__(self):
        return f"Correction of {self.cycle} on {self.withdrawn_at:%d %b %Y}"


class PressPackDownload(models.Model):
    cycle = models.ForeignKey("awards.Cycle", on_delete=models.CASCADE, related_name="press_pack_downloads")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    downloaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-downloaded_at"]

    def __str__(self):
        return f"Press pack for {self.cycle} downloaded by {self.user}"
