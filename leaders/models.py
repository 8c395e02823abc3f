"""Leaders: their profiles, the courses they completed, Directors of Adult
Social Services appointments and the credentials issued for completions.

These models moved here from courses and accreditation; their tables keep
their old names (migration leaders 0001 moved them without touching data).
"""

import uuid

from django.conf import settings
from django.db import models

from accounts.enums import Sector

from .enums import AppointmentKind, CompletionState


class LeaderProfile(models.Model):
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="leader_profile")
    job_title = models.CharField(max_length=200)
    employer = models.ForeignKey(
        "accounts.Organisation", null=True, blank=True, on_delete=models.SET_NULL, related_name="leaders"
    )
    sector = models.CharField(max_length=20, choices=Sector.choices)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        db_table = "courses_leaderprofile"

    def __str__(self):
        return f"{self.user} ({self.job_title})"


class Completion(models.Model):
    """A course a leader completed: a registered course, or one described by hand."""

    # Templates name states through this, never by their stored strings:
    # {% if completion.state == completion.STATES.X %}
    STATES = CompletionState

    leader = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="completions")
    course = models.ForeignKey(
        "courses.Course", null=True, blank=True, on_delete=models.PROTECT, related_name="completions"
    )
    course_title = models.CharField("course title", max_length=200, blank=True)
    provider_name = models.CharField("course provider", max_length=200, blank=True)
    completed_on = models.DateField("date completed")
    certificate = models.FileField(max_length=300, blank=True)
    certificate_name = models.CharField(max_length=200, blank=True)
    certificate_mimetype = models.CharField(max_length=100, blank=True)
    state = models.CharField(max_length=20, choices=CompletionState.choices, default=CompletionState.SELF_DECLARED)
    # A verified completion is never edited: a correction is a new completion
    # that replaces it once verified. A rejected or withdrawn correction can be
    # followed by another, so one completion may have several (one pending at a time).
    supersedes = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="corrections")
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    rejection_reason = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "courses_completion"
        ordering = ["-completed_on", "-pk"]
        indexes = [
            models.Index(fields=["leader", "state"]),
            models.Index(fields=["course", "state"]),
            models.Index(fields=["state", "created_at"]),
        ]

    def __str__(self):
        return f"{self.title} completed {self.completed_on}"

    @property
    def title(self) -> str:
        return self.course.title if self.course_id else self.course_title

    @property
    def provider_label(self) -> str:
        return self.course.provider.name if self.course_id else self.provider_name

    @property
    def is_pending(self) -> bool:
        return self.state == CompletionState.SELF_DECLARED

    @property
    def is_verified(self) -> bool:
        return self.state == CompletionState.VERIFIED


class DassAppointment(models.Model):
    """A Director of Adult Social Services appointment.

    `deadline` and `qualifying_completion` are kept up to date by
    leaders.domain whenever an appointment, a completion or a course's
    accreditation changes; the status itself depends on today's date and is
    computed from them (leaders.compliance).
    """

    leader = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="dass_appointments")
    local_authority = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="dass_appointments"
    )
    appointed_on = models.DateField()
    ended_on = models.DateField(null=True, blank=True)
    kind = models.CharField(max_length=20, choices=AppointmentKind.choices, default=AppointmentKind.SUBSTANTIVE)
    deadline = models.DateField()
    qualifying_completion = models.ForeignKey(
        Completion, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    completion_verified = models.BooleanField(default=False)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "accreditation_dassappointment"
        ordering = ["-appointed_on", "-pk"]
        indexes = [
            models.Index(fields=["deadline", "completion_verified"]),
            models.Index(fields=["local_authority", "appointed_on"]),
            models.Index(fields=["leader", "appointed_on"]),
        ]

    def __str__(self):
        return f"{self.leader} at {self.local_authority} from {self.appointed_on}"


class IssuedCredential(models.Model):
    """A credential issued for a completion; revocable."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    completion = models.OneToOneField(Completion, on_delete=models.PROTECT, related_name="credential")
    document = models.JSONField()
    issued_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revocation_reason = models.TextField(blank=True)
    # Its bit in the public revocation list (leaders.credentials.status_list):
    # chosen at random, so a position tells nobody when or to whom it was issued.
    status_index = models.PositiveIntegerField(null=True, blank=True, unique=True)

    class Meta:
        db_table = "accreditation_issuedcredential"

    def __str__(self):
        return f"Credential {self.uuid}"
