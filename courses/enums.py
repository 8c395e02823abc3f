from django.db import models


class DeliveryMode(models.TextChoices):
    IN_PERSON = "in_person", "In person"
    ONLINE = "online", "Online"
    BLENDED = "blended", "Blended"


class CourseState(models.TextChoices):
    DRAFT = "draft", "Draft"
    LISTED = "listed", "Listed"
    WITHDRAWN = "withdrawn", "Withdrawn"


class AccreditationStatus(models.TextChoices):
    """Kept on the course by the accreditation app, which owns the history."""

    NONE = "none", "Not accredited"
    ACCREDITED = "accredited", "Accredited"
    CONDITIONS = "conditions", "Accredited with conditions"
    SUSPENDED = "suspended", "Accreditation suspended"
    WITHDRAWN = "withdrawn", "Accreditation withdrawn"


class CourseChangeState(models.TextChoices):
    PENDING = "pending", "Waiting for the Academy"
    ACCEPTED = "accepted", "Accepted"
    REFERRED = "referred", "Needs re-assessment"
    # The provider's later edit made it moot: back to the accepted values, or
    # saved directly once the course was no longer under accreditation.
    WITHDRAWN = "withdrawn", "No longer needed"


# What an accreditation vouches for: changing any of these on an accredited
# course is a change request that an assessor accepts or sends to
# re-assessment; until then the register shows the accepted version.


class ImportState(models.TextChoices):
    QUEUED = "queued", "Waiting to start"
    VALIDATING = "validating", "Checking rows"
    WRITING = "writing", "Saving courses"
    DONE = "done", "Finished"
    FAILED = "failed", "Not imported"


# Each workflow's moves (core.states.move): each state may become those listed.
# A provider lists, withdraws and relists its courses as it needs.
COURSE_TRANSITIONS = {
    CourseState.DRAFT: [CourseState.LISTED, CourseState.WITHDRAWN],
    CourseState.LISTED: [CourseState.DRAFT, CourseState.WITHDRAWN],
    CourseState.WITHDRAWN: [CourseState.DRAFT, CourseState.LISTED],
}

# A change waiting for the Academy is accepted, referred for re-assessment, or
# made moot by the provider's later edit; a decided change stays decided.
COURSE_CHANGE_TRANSITIONS = {
    CourseChangeState.PENDING: [CourseChangeState.ACCEPTED, CourseChangeState.REFERRED, CourseChangeState.WITHDRAWN],
    CourseChangeState.ACCEPTED: [],
    CourseChangeState.REFERRED: [],
    CourseChangeState.WITHDRAWN: [],
}

# A course import: claimed by one worker, checked whole, written whole or not at all.
IMPORT_TRANSITIONS = {
    ImportState.QUEUED: [ImportState.VALIDATING],
    ImportState.VALIDATING: [ImportState.WRITING, ImportState.FAILED],
    ImportState.WRITING: [ImportState.DONE, ImportState.FAILED],
    ImportState.DONE: [],
    ImportState.FAILED: [],
}
