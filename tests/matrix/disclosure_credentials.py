"""The disclosure matrix's rows for the awards' signed credentials
(judging.award_credentials): the page, the signed JSON and the PDF
certificate of N's award, issued at the announcement."""

from django.urls import reverse

from .disclosure_cast import PEOPLE
from .disclosure_vocabulary import Show, Surface, everyone_at


def award_credential_url(name):
    """A page or file of N's award credential, once issued (at the announcement)."""

    def url(world):
        from awards.models import AwardCredential

        credential = AwardCredential.objects.filter(nomination=world.objects["N"]).order_by("pk").first()
        return reverse(name, args=[credential.uuid]) if credential else None

    url.route = name
    return url


CREDENTIAL_SURFACES = [
    # N's award credential: public where the entrant consented, from the
    # announcement; while postponed, administrators only; once the results
    # are withdrawn, a page saying only that it was revoked, naming nobody.
    Surface(
        "award credential",
        award_credential_url("winners:credential"),
        {**everyone_at(["announced", "corrected"], PEOPLE), "postponed": {"admin"}},
        [Show(["Wombat House", "Avocet"], PEOPLE, ["announced"])],
    ),
    Surface(
        "award credential JSON",
        award_credential_url("winners:credential_document"),
        {"announced": set(PEOPLE), "postponed": {"admin"}, "corrected": {"admin"}},
        [Show(["Wombat House", "Avocet"], PEOPLE, ["announced"])],
        kind="json",
    ),
    Surface(
        "award certificate",
        award_credential_url("winners:certificate"),
        {"announced": set(PEOPLE), "postponed": {"admin"}, "corrected": {"admin"}},
        kind="binary",
    ),
]
