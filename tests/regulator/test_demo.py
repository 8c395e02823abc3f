"""The demo imports the sample directory and gives a category a rating rule, once."""

import pytest
from django.core.management import call_command

from awards.models import Nomination
from regulator.matching import verdicts
from regulator.models import CategoryRatingRule, DirectoryImport, Location

pytestmark = pytest.mark.django_db


def test_seed_demo_imports_the_sample_and_adds_a_rule_once():
    for _ in range(2):
        call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115 - closed with the process
    job = DirectoryImport.objects.get()
    assert (job.original_name, job.state, job.location_count) == ("care_directory_sample.csv", "done", 30)
    assert Location.objects.count() == 30
    rule = CategoryRatingRule.objects.get()
    assert (rule.category.name, rule.minimum_rating, rule.max_age_months) == (
        "Care Home Service of the Year",
        "good",
        36,
    )
    entries = Nomination.objects.exclude(reference="").select_related("category__rating_rule")
    matched = [v for v in verdicts(entries).values() if v.location is not None]
    assert len(matched) >= 5
