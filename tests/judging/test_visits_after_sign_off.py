"""A signed-off panel's visits stay as they were: scheduling or moving one
would add site-visit assignments to final judging work (found by the panel
lifecycle machine with another example order)."""

from datetime import timedelta

import pytest

from awards.models import Nomination
from core.errors import DomainError
from judging import domain
from judging.enums import PanelState, Stage
from judging.models import Assignment, Panel

from ..factories import make_eligible, visit_details

pytestmark = pytest.mark.django_db


def test_a_signed_off_panel_refuses_new_and_moved_visits(admin, category, cycle, judges, panel):
    nomination = make_eligible(category, 1)[0]
    Nomination.objects.filter(pk=nomination.pk).update(state="shortlisted")
    start = cycle.site_visits_start + timedelta(days=1)
    visit = domain.schedule_visit(admin, nomination, judges[:2], **visit_details(start))
    Panel.objects.filter(pk=panel.pk).update(state=PanelState.SIGNED_OFF)

    with pytest.raises(DomainError, match="The panel has signed off: reopen the panel before changing its visits"):
        domain.reschedule_visit(admin, visit, [judges[0], judges[2]], **visit_details(start + timedelta(days=1)))
    visit.delete()
    with pytest.raises(DomainError, match="The panel has signed off"):
        domain.schedule_visit(admin, nomination, [judges[0], judges[2]], **visit_details(start))

    visit_work = Assignment.objects.filter(nomination=nomination, stage=Stage.SITE_VISIT)
    holders = set(visit_work.values_list("judge", flat=True))
    assert holders == {judges[0].pk, judges[1].pk}
