"""Accreditation of courses: applications, assessment rounds, decisions,
conditions, renewal, suspension, withdrawal. One function per change, each
checking permission and state, writing the audit record in the same
transaction and queueing email after commit.

- _common: the hooks apps above follow, evidence limits, history events, email to providers
- applications: the provider's application, its answers and evidence, submission
- assessment: the assessor, outcomes, returning an application, the decision
- standing: suspension, reinstatement, withdrawal, conditions
- course_sync: a course's accreditation history and the copy kept on the course
- course_changes: changes to accredited courses, accepted or referred
"""

from ..models import Assessment
from ._common import (
    AFTER_COURSE_ACCREDITATION_CHANGED,
    AFTER_WITHDRAWN_FOR_CAUSE,
    DEFAULT_YEARS,
    EVIDENCE_KINDS,
    MAX_EVIDENCE_FILE,
    _email_provider,
    add_years,
    provider_recipients,
)
from .applications import add_evidence, save_answers, start_application, submit_application, unanswered_criteria
from .assessment import (
    accreditation_dates,
    assign_assessor,
    check_decision,
    check_return,
    decide,
    record_assessment,
    return_application,
)
from .course_changes import accept_course_change, current_accreditation, refer_course_change
from .course_sync import accredited_on, sync_changed_courses, sync_course
from .standing import mark_condition_met, reinstate, submit_condition_response, suspend, withdraw

__all__ = [
    "AFTER_COURSE_ACCREDITATION_CHANGED",
    "AFTER_WITHDRAWN_FOR_CAUSE",
    "DEFAULT_YEARS",
    "EVIDENCE_KINDS",
    "MAX_EVIDENCE_FILE",
    "Assessment",
    "_email_provider",
    "accept_course_change",
    "accreditation_dates",
    "accredited_on",
    "add_evidence",
    "add_years",
    "assign_assessor",
    "check_decision",
    "check_return",
    "current_accreditation",
    "decide",
    "mark_condition_met",
    "provider_recipients",
    "record_assessment",
    "refer_course_change",
    "reinstate",
    "return_application",
    "save_answers",
    "start_application",
    "submit_application",
    "submit_condition_response",
    "suspend",
    "sync_changed_courses",
    "sync_course",
    "unanswered_criteria",
    "withdraw",
]
