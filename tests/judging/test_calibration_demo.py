"""The demo: calibration examples for the open cycle's first category, most
of its judges' scores on them (the demo judge with lived experience is left
to score them), and a lived-experience divergence threshold for the cycle.
seed_demo is safe to run twice."""

import pytest
from django.core.management import call_command

from awards.models import Cycle
from judging.demo import CALIBRATION_EXAMPLES, CALIBRATION_LEAN
from judging.domain.calibration import calibration_table
from judging.models import CalibrationExample, CalibrationScore, JudgingSettings

pytestmark = pytest.mark.django_db


def seed():
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115 - closed with the process


def test_the_demo_has_calibration_examples_scored_by_most_judges():
    seed()
    seed()
    open_cycle = Cycle.objects.get(results_approved_at__isnull=True)
    examples = CalibrationExample.objects.filter(category__cycle=open_cycle)
    assert sorted(examples.values_list("title", flat=True)) == sorted(title for title, _ in CALIBRATION_EXAMPLES)
    scorers = set(CalibrationScore.objects.values_list("judge__email", flat=True))
    assert scorers == set(CALIBRATION_LEAN)
    table = {row["judge"].email: row["offset"] for row in calibration_table(examples.first().category)}
    assert table["judge@demo.test"] is None
    assert table["amira.judge@demo.test"].offset > 0 > table["ben.judge@demo.test"].offset
    assert JudgingSettings.objects.get(cycle=open_cycle).lived_experience_divergence_threshold == 15
