"""The disclosure policy and the panel chair: a chair who scores a nomination, a chair
who is conflicted, and what the administrator may and may not do instead."""

import html

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse

from accounts.models import AuditEvent
from awards.models import Nomination
from judging import domain as judging
from judging.models import Assignment

from .disclosure_client import get
from .disclosure_world import world_at

pytestmark = pytest.mark.django_db


def test_a_chair_who_scores_a_nomination_sees_the_others_only_after_submitting():
    with world_at("scoring") as world:
        client = Client()
        n, charles, panel = world.objects["N"], world.people["charles"], world.objects["panel"]
        judging.override_assignment(world.people["admin"], n, charles, add=True, reason="A third opinion")
        url = reverse("judging:results", args=[panel.pk])
        ranking = get(client, charles, url)
        n.refresh_from_db()
        n2 = Nomination.objects.get(pk=world.objects["N2"].pk)
        assert [row["reference"] for row in ranking.context["rows"]] == [n2.reference]
        assert ranking.context["withheld_waiting"] == 1
        assert "78.0" not in ranking.content.decode() and "Judith Quayle" not in ranking.content.decode()
        assert (
            "Submit your own scores first"
            in get(client, charles, reverse("judging:shortlist", args=[panel.pk])).content.decode()
        )

        assignment = Assignment.objects.get(nomination=n, judge=charles, stage="written")
        criteria = {c.pk: (5, "") for c in n.category.criteria.filter(stage="written")}
        judging.save_scores(charles, assignment, criteria, submit=True)
        ranking = get(client, charles, url)
        assert n.reference in [row["reference"] for row in ranking.context["rows"]]
        assert "78.0" in ranking.content.decode() and "Judith Quayle" in ranking.content.decode()


def test_a_conflicted_chair_sees_nothing_of_the_entry_and_the_administrator_acts_instead():
    with world_at("visits") as world:
        client = Client()
        n, charles, admin, panel = (
            world.objects["N"],
            world.people["charles"],
            world.people["admin"],
            world.objects["panel"],
        )
        n.refresh_from_db()
        judging.declare_conflict(charles, world.objects["quokka"], kind="personal", note="My cousin manages it")
        ranking = get(client, charles, reverse("judging:results", args=[panel.pk]))
        assert n.reference not in ranking.content.decode() and ranking.context["withheld_conflicted"] == 1
        final = get(client, charles, reverse("judging:final", args=[panel.pk]))
        assert final.context["rows"] == [] and final.context["withheld"] == 1
        assert not final.context["may_sign_off"]
        assert "Wombat House" not in final.content.decode()
        with pytest.raises(PermissionDenied):
            judging.record_final_result(charles, n, award="winner", citation="C", rationale="R")

        final = get(client, admin, reverse("judging:final", args=[panel.pk]))
        (row,) = final.context["rows"]
        assert row[0] == n and row[3] is not None and row[4] is True  # the form, acting for the chair
        n.refresh_from_db()
        judging.save_scores(
            world.people["ivy"],
            Assignment.objects.get(nomination=n, judge=world.people["ivy"], stage="site_visit"),
            {c.pk: (7, "") for c in n.category.criteria.filter(stage="site_visit")},
            submit=True,
        )
        judging.record_final_result(admin, n, award="winner", citation="Avocet", rationale="Siskin")
        judging.sign_off(admin, panel)
        decided = AuditEvent.objects.get(action="final.decided")
        assert (decided.actor, decided.after["acting_for_conflicted_chair"]) == (admin, True)
        assert AuditEvent.objects.get(action="panel.signed_off").after["acting_for_conflicted_chair"] is True


def test_the_administrator_never_takes_an_unconflicted_chairs_decision():
    with world_at("visits") as world:
        n = world.objects["N"]
        with pytest.raises(PermissionDenied):
            judging.record_final_result(world.people["admin"], n, award="winner", citation="C", rationale="R")
        with pytest.raises(PermissionDenied):
            judging.sign_off(world.people["admin"], world.objects["panel"])


def test_a_chair_conflicted_with_a_candidate_leaves_the_shortlist_to_the_administrator():
    with world_at("scoring") as world:
        charles, category = world.people["charles"], world.objects["category"]
        judging.declare_conflict(charles, world.objects["bramble"], kind="financial")
        page = get(Client(), charles, reverse("judging:shortlist", args=[world.objects["panel"].pk]))
        page = html.unescape(page.content.decode())
        assert "An awards administrator decides this panel's shortlist" in page and "Bramble" not in page
        with pytest.raises(PermissionDenied):
            judging.decide_shortlist(charles, category, nomination_ids=None, rationale="")
        decided = judging.decide_shortlist(
            world.people["admin"], category, nomination_ids=None, rationale="", exception="Ivy is away until May"
        )
        assert decided and world.objects["panel"].__class__.objects.get().shortlist_exception == "Ivy is away until May"
