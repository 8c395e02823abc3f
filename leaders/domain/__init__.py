"""Leaders' completions and DASS appointments: one function per change.

After every change that can affect the DASS requirement, the leader's
appointments are refreshed in the same transaction (qualifying completion and
deadline), so the compliance dashboard never disagrees with the records.

- completions: profiles, recording, verifying, rejecting and withdrawing completions
- appointments: DASS appointments, the compliance refresh, following accreditation changes
- checks: the public check link on a portfolio
"""

from .appointments import (
    change_appointment,
    end_appointment,
    follow_accreditation_changes,
    local_authorities,
    qualifying_completions,
    record_appointment,
    refresh_leader,
    refresh_leaders_of_course,
    revoke_credentials_for_cause,
)
from .checks import CHECK_SALT, check_state, check_token, completion_for_check
from .completions import (
    CERTIFICATE_KINDS,
    EARLIEST_COMPLETION,
    MAX_CERTIFICATE,
    completions_to_verify,
    duplicates_of,
    not_withdrawable,
    record_completion,
    reject_completion,
    save_leader_profile,
    verify_completion,
    withdraw_completion,
)

__all__ = [
    "CERTIFICATE_KINDS",
    "CHECK_SALT",
    "EARLIEST_COMPLETION",
    "MAX_CERTIFICATE",
    "change_appointment",
    "check_state",
    "check_token",
    "completion_for_check",
    "completions_to_verify",
    "duplicates_of",
    "end_appointment",
    "follow_accreditation_changes",
    "local_authorities",
    "not_withdrawable",
    "qualifying_completions",
    "record_appointment",
    "record_completion",
    "refresh_leader",
    "refresh_leaders_of_course",
    "reject_completion",
    "revoke_credentials_for_cause",
    "save_leader_profile",
    "verify_completion",
    "withdraw_completion",
]
