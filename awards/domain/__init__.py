"""Every change to programmes, cycles and nominations goes through these functions.

Each checks permission (awards.rules) and state (awards.enums), writes its
audit record in the same transaction, and queues email to go after commit.
Views only call them.

- _common: locking, the nomination's state transition, email to the provider
- consent: how a person who uses the service consented, to which uses; withdrawal
- drafting: service details, answers, statement, consent, evidence, images
- submission: completeness, submitting and withdrawing
- administration: eligibility and extensions
- setup: programmes, cycles, categories, questions and criteria
"""

from core.uploads import MB

from ._common import EVIDENCE_KINDS, MAX_EVIDENCE_FILE, MAX_EVIDENCE_TOTAL, email_provider, transition
from .administration import decide_eligibility, grant_extension
from .consent import record_consent, uses_by_nomination, uses_for, withdraw_consent
from .drafting import (
    add_evidence,
    remove_evidence,
    save_answers,
    save_image_publication,
    save_publication_consent,
    save_service_details,
    save_statement,
    set_image_publication,
    start_nomination,
)
from .setup import (
    copy_cycle,
    delete_criterion,
    delete_question,
    save_category,
    save_criterion,
    save_cycle,
    save_programme,
    save_question,
)
from .submission import Section, sections, submit_nomination, withdraw_nomination

__all__ = [
    "EVIDENCE_KINDS",
    "MAX_EVIDENCE_FILE",
    "MAX_EVIDENCE_TOTAL",
    "MB",
    "Section",
    "add_evidence",
    "copy_cycle",
    "decide_eligibility",
    "delete_criterion",
    "delete_question",
    "email_provider",
    "grant_extension",
    "record_consent",
    "remove_evidence",
    "save_answers",
    "save_category",
    "save_criterion",
    "save_cycle",
    "save_image_publication",
    "save_programme",
    "save_publication_consent",
    "save_question",
    "save_service_details",
    "save_statement",
    "sections",
    "set_image_publication",
    "start_nomination",
    "submit_nomination",
    "transition",
    "uses_by_nomination",
    "uses_for",
    "withdraw_consent",
    "withdraw_nomination",
]
