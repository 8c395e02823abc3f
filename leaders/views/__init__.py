"""Leaders' portfolios, completions, credentials, DASS appointments and the
academy's compliance dashboard."""

from .appointments import (  # noqa: F401
    appointment_change,
    appointment_form,
    dashboard,
)
from .credentials import (  # noqa: F401
    check,
    credential_verify,
    issuer,
    revoke_credential,
    status_list,
)
from .portfolio import (  # noqa: F401
    certificate,
    completion_check,
    credential_download,
    portfolio,
    portfolio_pdf,
    profile,
    record_completion,
    withdraw_completion,
)
from .verification import (  # noqa: F401
    reject_completion,
    verification_queue,
    verify_completion,
)
