import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q

from .enums import (
    AccreditationState,
    ApplicationState,
    ConditionState,
    Outcome,
    PeriodStatus,
    Standing,
)


class Criterion(models.Model):
    """A criterion of the leadership framework that accredited courses meet."""

    title = models.CharField(max_length=200)
    guidance = models.TextField(blank=True)
    order = models.PositiveSmallIntegerField(default=0)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = "accreditation criterion"
        verbose_name_plural = "accreditation criteria"

    def __str__(self):
        return self.title


class Application(models.Model):
    # Templates name states through this, never by their stored strings:
    # {% if application.state == application.STATES.X %}
    STATES = ApplicationState

    course = models.ForeignKey("courses.Course", on_delete=models.PROTECT, related_name="applications")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    assessor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="assessments"
    )
    state = models.CharField(max_length=20, choices=ApplicationState.choices, default=ApplicationState.DRAFT)
    renews = models.ForeignKey(
        "Accreditation", null=True, blank=True, on_delete=models.SET_NULL, related_name="renewal_applications"
    )
    round = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decision_reasons = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["course"],
                condition=Q(state__in=["draft", "submitted", "returned"]),
                name="one_open_application_per_course",
            )
        ]
        indexes = [
            models.Index(fields=["state", "assessor"]),
            # The staff list, newest submission first.
            models.Index(fields=["-submitted_at", "-id"], name="application_submitted_idx"),
        ]

    def __str__(self):
        return f"Application {self.pk} for {self.course}"

    @property
    def is_editable(self) -> bool:
        return self.state in (ApplicationState.DRAFT, ApplicationState.RETURNED)


class Answer(models.Model):
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="answers")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(max_length=10000, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["application", "criterion"], name="one_answer_per_criterion")]

    def __str__(self):
        return f"Answer to {self.criterion}"


class EvidenceFile(models.Model):
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="evidence")
    criterion = models.ForeignKey(Criterion, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    condition = models.ForeignKey("Condition", null=True, blank=True, on_delete=models.CASCADE, related_name="evidence")
    file = models.FileField(max_length=300)
    original_name = models.CharField(max_length=200)
    mimetype = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at", "pk"]

    def __str__(self):
        return self.original_name


class Round(models.Model):
    """One submission and its assessment. Every round is kept: what the
    provider answered then, and what the assessor said."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="rounds")
    number = models.PositiveSmallIntegerField()
    submitted_at = models.DateTimeField()
    answers = models.JSONField(default=dict)
    returned_at = models.DateTimeField(null=True, blank=True)
    return_comments = models.TextField(blank=True)

    class Meta:
        ordering = ["application", "number"]
        constraints = [models.UniqueConstraint(fields=["application", "number"], name="one_round_number")]

    def __str__(self):
        return f"Round {self.number} of {self.application}"


class Assessment(models.Model):
    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="assessments")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="+")
    outcome = models.CharField(max_length=20, choices=Outcome.choices, blank=True)
    comment = models.TextField(max_length=5000, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["round", "criterion"], name="one_assessment_per_criterion")]

    def __str__(self):
        return f"{self.criterion}: {self.get_outcome_display()}"


class Accreditation(models.Model):
    # Templates name states through this, never by their stored strings:
    # {% if accreditation.state == accreditation.STATES.X %}
    STATES = AccreditationState

    course = models.ForeignKey("courses.Course", on_delete=models.PROTECT, related_name="accreditations")
    application = models.OneToOneField(Application, on_delete=models.PROTECT, related_name="accreditation")
    number = models.CharField(max_length=30, unique=True)
    state = models.CharField(max_length=20, choices=AccreditationState.choices, default=AccreditationState.ACTIVE)
    valid_from = models.DateField()
    valid_to = models.DateField()
    status_reason = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-valid_from", "-pk"]
        indexes = [models.Index(fields=["-valid_from", "-id"], name="accreditation_recent_idx")]

    def __str__(self):
        return self.number

    @property
    def renews(self):
        """The accreditation this one renews, if any: its lineage."""
        return self.application.renews

    def renewal(self):
        """The accreditation that renews this one, if one was granted."""
        return (
            Accreditation.objects.filter(application__renews=self)
            .exclude(state=AccreditationState.WITHDRAWN)
            .order_by("valid_from")
            .first()
        )

    def standing_on(self, day) -> str:
        """Withdrawn whatever the dates; before valid_from not yet in force;
        after valid_to expired, or renewed when a renewal continues it;
        otherwise suspended, accredited with open conditions, or accredited."""
        if self.state == AccreditationState.WITHDRAWN:
            return Standing.WITHDRAWN
        if day < self.valid_from:
            return Standing.NOT_YET
        if day > self.valid_to:
            return Standing.RENEWED if self.renewal() is not None else Standing.EXPIRED
        if self.state == AccreditationState.SUSPENDED:
            return Standing.SUSPENDED
        if self.conditions.exclude(state=ConditionState.MET).exists():
            return Standing.CONDITIONS
        return Standing.IN_FORCE


class AccreditationCredential(models.Model):
    """The accreditation as a signed credential (Open Badges 3.0), issued to
    the course provider's organisation when the accreditation is granted; a
    renewal is a new accreditation with a credential of its own.

    The signed document never changes, and a revocation is for good (W3C
    Bitstring Status List, purpose "revocation"): suspension and withdrawal
    revoke the standing credential; reinstatement issues a new one for the
    rest of the accreditation (accreditation.credentials). At most one
    credential of an accreditation stands at a time."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    accreditation = models.ForeignKey(Accreditation, on_delete=models.PROTECT, related_name="credentials")
    document = models.JSONField()
    issued_at = models.DateTimeField()
    valid_from = models.DateField()
    # Its bit in the public revocation list (core.credentials), chosen at random.
    status_index = models.PositiveIntegerField(unique=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revocation_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-issued_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["accreditation"],
                condition=Q(revoked_at__isnull=True),
                name="one_standing_accreditation_credential",
            )
        ]

    def __str__(self):
        return f"Credential for {self.accreditation}"


class AccreditationEvent(models.Model):
    """The accreditation's history as it happened: every grant, suspension,
    reinstatement, withdrawal, renewal and accepted change, with its time and
    reason, however short a suspension was. Periods answer "was it accredited
    on this date"; this answers "what happened"."""

    class Kind(models.TextChoices):
        GRANTED = "granted", "Accredited"
        SUSPENDED = "suspended", "Suspended"
        REINSTATED = "reinstated", "Reinstated"
        WITHDRAWN = "withdrawn", "Withdrawn"
        RENEWED = "renewed", "Renewed"
        CHANGE_ACCEPTED = "change_accepted", "Change to the course accepted"
        CHANGE_REFERRED = "change_referred", "Change to the course needs re-assessment"

    accreditation = models.ForeignKey(Accreditation, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    at = models.DateTimeField()
    effective_on = models.DateField()
    reason = models.TextField(blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.accreditation}: {self.get_kind_display()} on {self.effective_on}"


class Period(models.Model):
    """The accreditation history as date ranges (both ends inclusive).

    'Was this course accredited on date D' is one query for an active period
    containing D. Suspension and withdrawal end the open period and add the
    next; nothing is ever rewritten, so the answer for a past date never
    changes.
    """

    course = models.ForeignKey("courses.Course", on_delete=models.CASCADE, related_name="accreditation_periods")
    accreditation = models.ForeignKey(Accreditation, on_delete=models.CASCADE, related_name="periods")
    status = models.CharField(max_length=20, choices=PeriodStatus.choices)
    starts_on = models.DateField()
    ends_on = models.DateField()

    class Meta:
        ordering = ["course", "starts_on", "pk"]
        indexes = [models.Index(fields=["course", "status", "starts_on", "ends_on"])]

    def __str__(self):
        return f"{self.accreditation}: {self.get_status_display()} {self.starts_on} to {self.ends_on}"


class Condition(models.Model):
    # Templates name states through this, never by their stored strings:
    # {% if condition.state == condition.STATES.X %}
    STATES = ConditionState

    accreditation = models.ForeignKey(Accreditation, on_delete=models.CASCADE, related_name="conditions")
    text = models.TextField(max_length=2000)
    due_on = models.DateField()
    state = models.CharField(max_length=20, choices=ConditionState.choices, default=ConditionState.OPEN)
    response = models.TextField(blank=True)
    met_at = models.DateTimeField(null=True, blank=True)
    met_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["due_on", "pk"]
        indexes = [models.Index(fields=["state", "due_on"])]

    def __str__(self):
        return self.text[:80]
