from django.db import models


class Sector(models.TextChoices):
    PUBLIC = "public", "Public"
    PRIVATE = "private", "Private"
    VOLUNTARY = "voluntary", "Voluntary"
    COMMUNITY = "community", "Community or user-led"


class Region(models.TextChoices):
    NORTH_EAST = "north_east", "North East"
    NORTH_WEST = "north_west", "North West"
    YORKSHIRE = "yorkshire", "Yorkshire and the Humber"
    EAST_MIDLANDS = "east_midlands", "East Midlands"
    WEST_MIDLANDS = "west_midlands", "West Midlands"
    EAST_OF_ENGLAND = "east_of_england", "East of England"
    LONDON = "london", "London"
    SOUTH_EAST = "south_east", "South East"
    SOUTH_WEST = "south_west", "South West"
    WALES = "wales", "Wales"
    SCOTLAND = "scotland", "Scotland"
    NORTHERN_IRELAND = "northern_ireland", "Northern Ireland"


class OrganisationKind(models.TextChoices):
    CARE_PROVIDER = "care_provider", "Care provider"
    COURSE_PROVIDER = "course_provider", "Course provider"
    LOCAL_AUTHORITY = "local_authority", "Local authority"
    ACADEMY = "academy", "Skills academy"


class MembershipRole(models.TextChoices):
    ADMIN = "admin", "Organisation admin"
    MEMBER = "member", "Member"


class JoinRequestState(models.TextChoices):
    PENDING = "pending", "Waiting for a decision"
    APPROVED = "approved", "Approved"
    REFUSED = "refused", "Refused"
    WITHDRAWN = "withdrawn", "Withdrawn"


# The moves of a request to join an organisation (core.states.move).
JOIN_REQUEST_TRANSITIONS = {
    JoinRequestState.PENDING: [JoinRequestState.APPROVED, JoinRequestState.REFUSED, JoinRequestState.WITHDRAWN],
    JoinRequestState.APPROVED: [],
    JoinRequestState.REFUSED: [],
    JoinRequestState.WITHDRAWN: [],
}


class SiteRole(models.TextChoices):
    AWARDS_ADMIN = "awards_admin", "Awards administrator"
    ACADEMY_STAFF = "academy_staff", "Academy staff"
    JUDGE = "judge", "Judge"
    MEDIA_PARTNER = "media_partner", "Media partner"

    @classmethod
    def requiring_mfa(cls) -> frozenset[str]:
        """Roles that see unpublished results or personal data: the media
        partner reads results under embargo."""
        return frozenset({cls.AWARDS_ADMIN, cls.ACADEMY_STAFF, cls.JUDGE, cls.MEDIA_PARTNER})
