"""What the parts of the benchmark share: the project root, the names of the
baseline pages and finding a person by email."""

from pathlib import Path

from django.conf import settings

ROOT = Path(settings.BASE_DIR)
SIGNED_IN_BASELINE = "baseline, signed in"
# Not a target: a page with the whole layout (header, navigation, footer) and
# no data of its own, to show how much of a page's budget the layout alone takes.
LAYOUT_ONLY = "layout only, signed in"


def _user(email):
    from accounts.models import User

    return User.objects.get(email=email)
