"""The demo: its lived-experience judge has access needs shared with the
administrator and visit hosts, and a supporter recorded on a scorecard in each
cycle (seed_demo is safe to run twice)."""

import pytest
from django.core.management import call_command

from judging.demo import ACCESS_NEEDS_JUDGE
from judging.models import JudgeProfile, ScoringSupport

pytestmark = pytest.mark.django_db


def seed():
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115 - closed with the process


def test_the_demo_judge_has_access_needs_and_a_supporter():
    seed()
    seed()
    profile = JudgeProfile.objects.get(user__email=ACCESS_NEEDS_JUDGE)
    assert profile.has_lived_experience is True
    assert profile.access_need_kinds == ["easy_read", "step_free", "extra_time", "supporter"]
    assert (profile.share_access_needs_with_admin, profile.share_access_needs_with_hosts) == (True, True)
    supports = ScoringSupport.objects.filter(assignment__judge__email=ACCESS_NEEDS_JUDGE)
    assert supports.count() == 2
    assert {s.assignment.submitted_at is None for s in supports} == {True, False}  # a draft and a submitted one
    assert {s.supporter_name for s in supports} == {"Sam Okafor"}
    assert ScoringSupport.objects.count() == 2
