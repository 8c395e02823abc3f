"""What the parts of the benchmark share: the project root, the names of the
baseline pages, finding a person by email and consuming a streamed export."""

from pathlib import Path

from django.conf import settings

ROOT = Path(settings.BASE_DIR)
SIGNED_IN_BASELINE = "baseline, signed in"
# Not a target: a page with the whole layout (header, navigation, footer) and
# no data of its own, to show how much of the 3x budget the layout alone takes.
LAYOUT_ONLY = "layout only, signed in"


def _consume(client, url) -> int:
    response = client.get(url)
    if response.status_code != 200:
        raise RuntimeError(f"{url}: {response.status_code} {response.get('Location', '')}")
    return sum(len(chunk) for chunk in response.streaming_content)


def _user(email):
    from accounts.models import User

    return User.objects.get(email=email)
