"""Demo: the synthetic sample of the regulator's directory imported, and a
category of the open cycle with a rating rule (safe to run again)."""

from pathlib import Path

from django.core.files.base import ContentFile

from awards.models import Category

from . import importer
from .enums import ImportState, Rating
from .models import CategoryRatingRule, DirectoryImport

SAMPLE = Path(__file__).resolve().parent / "samples" / "care_directory_sample.csv"
RULE_CATEGORY = "Care Home Service of the Year"


def seed_regulator(cycle) -> DirectoryImport:
    job = DirectoryImport.objects.filter(original_name=SAMPLE.name, state=ImportState.DONE).first()
    if job is None:
        job = DirectoryImport(original_name=SAMPLE.name)
        job.file.save(f"regulator/demo-{SAMPLE.name}", ContentFile(SAMPLE.read_bytes()), save=False)
        job.save()
        job = importer.run(job.pk)
    category = Category.objects.filter(cycle=cycle, name=RULE_CATEGORY).first()
    if category is not None:
        CategoryRatingRule.objects.get_or_create(
            category=category, defaults={"minimum_rating": Rating.GOOD, "max_age_months": 36}
        )
    return job
