"""The consent pages' rows of the disclosure matrix (awards.views.consent): the
entrant's own record of how a person who uses the service consented, and its
withdrawal. Members of the entrant organisation only, at every stage (after
the announcement a withdrawal is a request)."""

from .disclosure_vocabulary import ALL_STAGES, Surface, everyone_at, simple

CONSENT_SURFACES = [
    Surface(
        "statement consent page",
        simple("awards:person_consent", "N", "statement"),
        everyone_at(ALL_STAGES, ["ellen"]),
    ),
    Surface(
        "statement consent withdrawal page",
        simple("awards:person_consent_withdraw", "N", "statement"),
        everyone_at(ALL_STAGES, ["ellen"]),
    ),
    Surface(
        "images consent page",
        simple("awards:person_consent", "N", "images"),
        everyone_at(ALL_STAGES, ["ellen"]),
    ),
]
