"""Staff actions on sent email."""

from django.db import transaction

from accounts import audit
from core.errors import DomainError
from core.permissions import require

from .mail import hand_to_worker
from .models import EmailState, OutboundEmail


@transaction.atomic
def resend(staff, email: OutboundEmail) -> OutboundEmail:
    """Puts a failed email back in the queue, once."""
    require(staff, "notifications.view_ledger")
    if email.holds_secret:
        raise DomainError(
            "This email held a sign-in, reset or invitation link, which is not kept: "
            "ask the person to request a new one"
        )
    updated = OutboundEmail.objects.filter(pk=email.pk, state=EmailState.FAILED).update(
        state=EmailState.QUEUED, attempts=0, last_error=""
    )
    if not updated:
        raise DomainError("Only a failed email can be sent again")
    audit.record(actor=staff, action="email.resent", obj=email, after={"to": email.to, "subject": email.subject})
    transaction.on_commit(lambda: hand_to_worker(email.pk))
    return OutboundEmail.objects.get(pk=email.pk)
