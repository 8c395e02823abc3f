"""The public check link printed on a portfolio: its signed token, the completion
it names, and what it says about that completion today."""

from django.core import signing
from django.utils import timezone

from ..enums import CompletionState
from ..models import Completion

CHECK_SALT = "leaders.completion-check"


def check_token(completion) -> str:
    """The token in a completion's public check link (printed on the portfolio
    PDF): signed, so links cannot be guessed or walked."""
    return signing.dumps(completion.pk, salt=CHECK_SALT, compress=False)


def completion_for_check(token: str):
    """The completion a check link names, or None for a link that was not ours."""
    try:
        pk = signing.loads(token, salt=CHECK_SALT)
    except signing.BadSignature:
        return None
    return Completion.objects.select_related("course__provider", "leader", "credential").filter(pk=pk).first()


def check_state(completion) -> tuple[str, str]:
    """What a check link says about a completion today (a label and a
    sentence) for the reader of a portfolio: only a verified record is confirmed."""
    if completion.is_verified:
        return "Verified", f"Verified on {timezone.localdate(completion.decided_at):%-d %B %Y}."
    if completion.state == CompletionState.SUPERSEDED:
        replacement = completion.corrections.filter(state=CompletionState.VERIFIED).first()
        when = f" on {timezone.localdate(replacement.decided_at):%-d %B %Y}" if replacement else ""
        return "Replaced", f"Replaced by a corrected record{when}: this record no longer stands."
    return "Not verified", "This record is not verified."
