"""The audit log in words: names not ids, "field: before → after", empty
parts left out, and a page's queries not growing with its entries."""

import re
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from accounts import audit
from accounts.audit_display import Names, changes, entries
from accounts.models import AuditEvent

from ..conftest import count_queries
from ..factories import make_category, make_cycle, make_user

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")


def rows(response) -> list[list[str]]:
    html = response.content.decode()
    body = html[html.index("<tbody") : html.index("</tbody>")]
    cells = [re.findall(r"<td[^>]*>(.*?)</td>", row, re.S) for row in re.findall(r"<tr[^>]*>(.*?)</tr>", body, re.S)]
    return [[re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", cell)).strip() for cell in row] for row in cells]


def test_audit_log_shows_names_changes_and_no_raw_data(client, site_staff):
    cycle = make_cycle(year=2031)
    category = make_category(cycle)
    criterion = category.criteria.get(name="Outcomes")
    chair = make_user(email="chair@example.org", full_name="Cara Chair")
    audit.record(
        actor=chair,
        action="score.submitted",
        obj=category,
        after={"judge": "chair@example.org", "stage": "written", "scores": {str(criterion.pk): 8}},
        at=datetime(2026, 12, 3, 17, 30, tzinfo=LONDON),
    )
    audit.record(
        actor=site_staff,
        action="panel.activated",
        obj=category,
        before={"state": "draft"},
        after={"state": "active"},
        at=datetime(2026, 12, 3, 17, 31, tzinfo=LONDON),
    )
    audit.record(
        actor=None,
        action="cycle.copied",
        obj=cycle,
        before={},
        after={"from_cycle": cycle.pk, "year": 2032},
        at=datetime(2026, 12, 3, 17, 32, tzinfo=LONDON),
    )

    client.force_login(site_staff)
    response = client.get(reverse("accounts:audit_log"))
    table = rows(response)

    cycle_row, panel_row, score_row = table
    assert score_row[0] == "5:30pm on 3 December 2026"
    assert score_row[1] == "Cara Chair (chair@example.org)"
    assert score_row[2] == "Score submitted"
    assert score_row[4] == "Judge: Cara Chair (chair@example.org) Stage: written Scores: Outcomes: 8"
    assert panel_row[1] == f"{site_staff.full_name} ({site_staff.email})"
    assert panel_row[4] == "State: draft → changed to active"
    assert cycle_row[1] == "System"
    # PostgreSQL keeps a JSON object's keys in its own order.
    assert cycle_row[4] in (f"Year: 2032 Copied from: {cycle}", f"Copied from: {cycle} Year: 2032")
    html = response.content.decode()
    assert "{" not in "".join(cell for row in table for cell in row)
    assert "From {}" not in html and "To {}" not in html


def test_changes_leave_out_empty_parts_and_resolve_deleted_records():
    names = Names([])
    assert changes({"reason": "", "chair": None}, {"chair": "x@example.org", "notes": []}, names)[0].label == "Chair"
    assert len(changes({"reason": ""}, {"notes": []}, names)) == 0
    [line] = changes({}, {"nomination": 999999}, names)
    assert (line.label, line.before, line.after) == ("Nomination", "", "a deleted record (999999)")
    [when] = changes({}, {"starts_at": "2026-07-07T06:00:00+01:00"}, names)
    assert (when.label, when.after) == ("Starts", "6am on 7 July 2026")
    [flag] = changes({}, {"acting_for_conflicted_chair": True}, names)
    assert (flag.label, flag.after) == ("Acting for a conflicted chair", "yes")


def test_entries_name_the_kind_of_record(site_staff):
    cycle = make_cycle(year=2031)
    audit.record(actor=site_staff, action="cycle.changed", obj=cycle, after={"name": "x"})
    [entry] = entries(AuditEvent.objects.select_related("actor"))
    assert (entry.what, entry.record_kind) == ("Cycle changed", "cycle")


def test_audit_log_queries_do_not_grow_with_entries(client, site_staff, django_assert_num_queries):
    cycle = make_cycle(year=2031)
    category = make_category(cycle)
    criterion = category.criteria.first()
    judge = make_user(email="j0@example.org", full_name="Judge Nought")

    def add(n):
        audit.record(
            actor=judge,
            action="score.submitted",
            obj=category,
            after={"judge": f"j{n}@example.org", "scores": {str(criterion.pk): n}, "cycle": cycle.pk},
        )

    client.force_login(site_staff)
    add(0)
    one = count_queries(lambda: client.get(reverse("accounts:audit_log")))
    for n in range(1, 8):
        make_user(email=f"j{n}@example.org", full_name=f"Judge {n}")
        add(n)
    several = count_queries(lambda: client.get(reverse("accounts:audit_log")))
    assert len(rows(client.get(reverse("accounts:audit_log")))) == 8
    assert one == several
    with django_assert_num_queries(several):
        client.get(reverse("accounts:audit_log"))
