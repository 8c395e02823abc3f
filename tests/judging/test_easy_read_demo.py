"""The demo: its lived-experience judge scores in easy read, and the demo
criteria describe every score and have an easy-read version (seed_demo is
safe to run twice, and never overwrites an administrator's edits)."""

import pytest
from django.core.management import call_command

from awards.demo import EASY_READ, SCORE_DESCRIPTORS
from awards.models import Criterion
from judging.demo import EASY_READ_JUDGE
from judging.models import JudgeProfile

pytestmark = pytest.mark.django_db


def seed():
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115 - closed with the process


def test_the_demo_judge_with_lived_experience_scores_in_easy_read():
    seed()
    edited = Criterion.objects.filter(name="Involvement", easy_read_name="People have a say").first()
    Criterion.objects.filter(pk=edited.pk).update(easy_read_name="Your say")  # an administrator's edit
    seed()
    profile = JudgeProfile.objects.get(user__email=EASY_READ_JUDGE)
    assert (profile.prefers_easy_read, profile.has_lived_experience) == (True, True)
    assert list(JudgeProfile.objects.filter(prefers_easy_read=True).values_list("user__email", flat=True)) == [
        EASY_READ_JUDGE
    ]
    open_cycle = Criterion.objects.filter(category__cycle__results_approved_at__isnull=True)
    assert open_cycle.count() == 4 * len(EASY_READ)
    for criterion in open_cycle.exclude(pk=edited.pk):
        assert criterion.score_descriptors == SCORE_DESCRIPTORS
        assert (criterion.easy_read_name, criterion.easy_read_guidance) == EASY_READ[criterion.name]
        assert criterion.clean() is None  # every score 0 to 10 described once
    assert Criterion.objects.get(pk=edited.pk).easy_read_name == "Your say"
