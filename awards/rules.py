"""Who may do what with awards data (django-rules predicates)."""

import rules

from accounts.rules import is_awards_admin


@rules.predicate
def is_nomination_member(user, nomination):
    """A member of the organisation that made the nomination."""
    if not user.is_authenticated or nomination is None:
        return False
    return nomination.organisation.memberships.filter(user=user).exists()


@rules.predicate
def is_draft(user, nomination):
    return nomination is not None and nomination.is_draft


rules.add_perm("awards.manage", is_awards_admin)
rules.add_perm("awards.view_nomination", is_nomination_member | is_awards_admin)
rules.add_perm("awards.edit_nomination", is_nomination_member & is_draft)
rules.add_perm("awards.submit_nomination", is_nomination_member & is_draft)
rules.add_perm("awards.withdraw_nomination", is_nomination_member | is_awards_admin)
rules.add_perm("awards.decide_eligibility", is_awards_admin)
# Consent of a person who uses the service: recorded by the entrant while the
# nomination is a draft, withdrawn by the entrant at any time.
rules.add_perm("awards.record_consent", is_nomination_member & is_draft)
rules.add_perm("awards.withdraw_consent", is_nomination_member)
rules.add_perm("awards.grant_extension", is_awards_admin)
