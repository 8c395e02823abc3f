from django.db import models
from django.db.models import Q

from .registry import CODE_LENGTH, kind_label


class EmailState(models.TextChoices):
    QUEUED = "queued", "Queued"
    SENDING = "sending", "Being sent"
    SENT = "sent", "Sent"
    FAILED = "failed", "Failed"


class OutboundEmail(models.Model):
    """The outbox: every email the service sends is written here first, in the
    same transaction as the change that causes it, and then handed to Celery.

    If the broker is down when the transaction commits, the row waits and the
    periodic sweep sends it, so no email is lost and no web request waits.
    """

    # Templates name states through this: {% if email.state == email.STATES.FAILED %}
    STATES = EmailState

    to = models.EmailField()
    recipient = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="emails_received"
    )
    template = models.CharField(max_length=100)
    subject = models.CharField(max_length=300)
    text_body = models.TextField()
    html_body = models.TextField(blank=True)
    attachments = models.JSONField(default=list, blank=True)
    # It carries a link or code that signs someone in, resets a password or
    # accepts an invitation: its bodies are blanked once it is sent (or has
    # finally failed), so nobody who can read this table can use it.
    holds_secret = models.BooleanField(default=False)
    state = models.CharField(max_length=10, choices=EmailState.choices, default=EmailState.QUEUED)
    attempts = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            # The sweep looks only at unsent rows: a partial index keeps it
            # small however many sent emails accumulate.
            models.Index(
                fields=["state", "created_at"],
                condition=Q(state__in=["queued", "sending"]),
                name="outbox_unsent_idx",
            ),
            models.Index(fields=["recipient", "created_at"]),
        ]

    def __str__(self):
        return f"{self.subject} to {self.to}"


class Reminder(models.Model):
    """The ledger: one row per (kind, object, recipient, milestone).

    The unique constraint is the guarantee: the row is inserted in the same
    transaction that queues the email, so a retried task, a second worker or
    a re-run sweep finds the row and sends nothing. Delivery state and
    attempts live on the email in the outbox.
    """

    # The code of a kind an app declares (notifications.registry): no choices
    # here, so that a new kind needs no migration.
    kind = models.CharField(max_length=CODE_LENGTH)
    object_id = models.PositiveBigIntegerField()
    recipient_email = models.EmailField()
    recipient = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="reminders"
    )
    milestone = models.CharField(max_length=30)
    email = models.ForeignKey(OutboundEmail, null=True, on_delete=models.SET_NULL, related_name="reminders")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "object_id", "recipient_email", "milestone"], name="one_reminder_per_milestone"
            )
        ]
        indexes = [models.Index(fields=["recipient", "created_at"]), models.Index(fields=["kind", "created_at"])]

    def __str__(self):
        return f"{self.get_kind_display()} ({self.milestone}) to {self.recipient_email}"

    def get_kind_display(self) -> str:
        return kind_label(self.kind)
