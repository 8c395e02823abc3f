"""The press pack: the winners, citations and published images of a cycle
whose results are approved, as CSV and JSON in a ZIP, for the media partner
ahead of the embargo.

It is built by a Celery worker as a background export (core.export_jobs;
declared in judging.exports): the media partner asks for it
(domain.request_press_pack), follows the job's page, is emailed when it is
ready and downloads it through core's download view, which asks again:

- the permission (judging.press_pack) and that the job is their own;
- the disclosure policy, as the pack was built: what it holds is what
  awards.disclosure lets the media partner see (results_for with
  Audience.MEDIA), and only while the approval it was built from stands. Once
  the results are withdrawn (or approved again, after a correction) the file
  is withheld: the media partner asks for a new pack.
- the consent of people who use the service: a statement or images go in
  only with their consent to the media (awards.domain.consent), and a pack
  made before someone withdrew consent is withheld in the same way.

Each download is recorded (record_press_pack_download), so that if the
results are withdrawn everyone who took the pack is told.
"""

import io
import json
import shutil
import zipfile

from django.utils import timezone
from django.utils.dateparse import parse_datetime

from awards.disclosure import Audience
from awards.models import Consent, Cycle
from core.errors import DomainError
from core.exports import write_csv

PRESS_COLUMNS = ["category", "award", "reference", "service", "organisation", "citation", "images"]
CHUNK = 1024 * 1024

WITHDRAWN = (
    "The results in this press pack have been withdrawn, so it can no longer be downloaded: "
    "do not publish anything from it. Ask for a new press pack once the results are approved again."
)


def approved_cycles():
    """The cycles with a press pack: those whose results are approved."""
    return Cycle.objects.filter(results_approved_at__isnull=False).select_related("programme").order_by("-year")


def parameters(cycle) -> dict:
    """What a press-pack job stores: the cycle, and the approval it is built from."""
    return {"cycle": cycle.pk, "approved_at": cycle.results_approved_at.isoformat()}


def current_cycle(params: dict):
    """The job's cycle while the approval it was asked under still stands, or None."""
    cycle = approved_cycles().filter(pk=params.get("cycle")).first()
    approved = parse_datetime(params.get("approved_at") or "")
    if cycle is None or approved is None or cycle.results_approved_at != approved:
        return None
    return cycle


CONSENT_WITHDRAWN = (
    "Someone withdrew their consent for their words or pictures after this press pack was made, "
    "so it can no longer be downloaded: do not publish anything from it. Ask for a new press pack."
)


def withheld(job) -> str:
    """The disclosure check at each download: the results the pack holds must
    still be approved, as they were when it was built, and no person whose
    statement or images it could hold has withdrawn consent since."""
    cycle = current_cycle(job.parameters)
    if cycle is None:
        return WITHDRAWN
    built_from = job.started_at or job.created_at
    if Consent.objects.filter(nomination__cycle=cycle, withdrawn_at__gte=built_from).exists():
        return CONSENT_WITHDRAWN
    return ""


def image_name(item, image) -> str:
    return f"images/{item.reference}-{image.pk}.{image.kind}"


def _captions(record) -> str:
    return "; ".join(f"{image['file']}: {image['caption']}" for image in record["images"])


def write(cycle, handle) -> int:
    """Writes the ZIP to the binary file `handle`, each image copied in chunks:
    memory stays flat however many images. Returns how many awards it holds."""
    from .views.public import results_for

    by_category = results_for(cycle, Audience.MEDIA)
    embargo = timezone.localtime(cycle.winners_announced).isoformat()
    records = [
        {
            "category": category.name,
            "award": item.award_label,
            "reference": item.reference,
            "service": item.service,
            "organisation": item.organisation,
            "citation": item.citation,
            "images": [{"file": image_name(item, image), "caption": image.public_caption} for image in item.images],
            # Only where the person consented to the media having it.
            **({"statement": item.statement, "statement_by": item.statement_by} if item.statement else {}),
        }
        for category, items in by_category.items()
        for item in items
    ]
    with zipfile.ZipFile(handle, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("README.txt", f"Embargoed until {embargo} (UK time). {cycle}.\n")
        archive.writestr(
            "winners.json",
            json.dumps(
                {"cycle": str(cycle), "embargo_until": embargo, "results": records}, indent=2, ensure_ascii=False
            ),
        )
        with archive.open("winners.csv", "w") as member, io.TextIOWrapper(member, "utf-8-sig", newline="") as text:
            rows = ([*[r[c] for c in PRESS_COLUMNS[:-1]], _captions(r)] for r in records)
            write_csv(text, PRESS_COLUMNS, rows)
        for items in by_category.values():
            for item in items:
                for image in item.images:
                    with image.published_file.open("rb") as source, archive.open(image_name(item, image), "w") as dest:
                        shutil.copyfileobj(source, dest, CHUNK)
    return len(records)


def build(job, handle) -> int:
    """The worker's part: refuses a pack whose results were withdrawn meanwhile."""
    cycle = current_cycle(job.parameters)
    if cycle is None:
        raise DomainError(WITHDRAWN)
    return write(cycle, handle)
