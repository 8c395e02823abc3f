"""Builders of test data, one module per app: accounts, awards, judging,
courses (and accreditation), and files."""

from .accounts import (  # noqa: F401
    PASSWORD,
    TOTP_SECRET,
    OrganisationFactory,
    UserFactory,
    make_provider,
    make_user,
)
from .awards import (  # noqa: F401
    make_category,
    make_cycle,
    make_nomination,
)
from .courses import (  # noqa: F401
    ensure_reference_data,
    make_accreditation_people,
    make_course,
    make_course_provider,
)
from .files import (  # noqa: F401
    EXE_BYTES,
    JPEG_BYTES,
    MINIMAL_PDF,
    MP4_BYTES,
    PNG_BYTES,
    docx_bytes,
    image_bytes,
)
from .judging import (  # noqa: F401
    make_eligible,
    make_judge,
    make_judging_world,
    make_panel,
    visit_details,
)
