"""Score descriptors and the easy-read version of criteria, as awards
administrators set them up: the rule that every score is described once,
the typed format, the audit of each change, and that (like a criterion's
name and guidance) they stay editable once judges have scored."""

import pytest
from django import forms
from django.urls import reverse

from accounts.models import AuditEvent
from awards import domain
from awards.forms import CriterionForm, descriptors_as_text, parse_descriptors
from awards.models import Criterion, descriptor_problem
from core.errors import DomainError
from judging import domain as judging_domain

from ..factories import make_category, make_cycle, make_eligible, make_judging_world
from ..judging.helpers import score_all

pytestmark = pytest.mark.django_db

BANDS = [
    {"low": 0, "high": 0, "text": "Not shown"},
    {"low": 1, "high": 5, "text": "Some evidence"},
    {"low": 6, "high": 10, "text": "Strong evidence"},
]


def band(low, high, text="Meaning"):
    return {"low": low, "high": high, "text": text}


@pytest.mark.parametrize(
    ("bands", "max_score", "problem"),
    [
        ([], 10, ""),
        (BANDS, 10, ""),
        ([band(0, 3)], 3, ""),
        ([band(i, i) for i in range(6)], 5, ""),
        ([band(1, 10)], 10, "Describe every score from 0 to 10: 0 has no description"),
        ([band(0, 2), band(5, 10)], 10, "Describe every score from 0 to 10: 3 to 4 has no description"),
        ([band(0, 8)], 10, "Describe every score from 0 to 10: 9 to 10 has no description"),
        ([band(0, 9)], 10, "Describe every score from 0 to 10: 10 has no description"),
        ([band(0, 5), band(5, 10)], 10, "Score 5 is described more than once"),
        ([band(0, 12)], 10, "The highest score is 10, so no band may go beyond it"),
        ([band(0, 0), band(4, 1)], 4, "The band 4 to 1 runs backwards: write the lower score first"),
        ([band(0, 4, "  ")], 4, "Write what 0 to 4 means"),
    ],
)
def test_every_score_from_0_to_the_maximum_is_described_once(bands, max_score, problem):
    assert descriptor_problem(bands, max_score) == problem


def test_typed_lines_become_bands_and_back():
    typed = "0: Not shown\n\n 1 - 5 :  Some   evidence\n6 to 10= Strong evidence\n"
    assert parse_descriptors(typed) == BANDS
    assert parse_descriptors("6–10: Strong evidence") == [band(6, 10, "Strong evidence")]
    assert descriptors_as_text(list(reversed(BANDS))) == "0: Not shown\n1-5: Some evidence\n6-10: Strong evidence"
    with pytest.raises(forms.ValidationError) as refused:
        parse_descriptors("0: Not shown\nStrong evidence")
    assert refused.value.messages == [
        "Line 2 of what each score means must start with a score or a range and a colon, "
        "then the meaning, like 0: No evidence or 1-3: Some evidence"
    ]
    with pytest.raises(forms.ValidationError):
        parse_descriptors("3:")


def test_the_criterion_knows_what_each_score_means():
    criterion = Criterion(name="Involvement", max_score=10, score_descriptors=BANDS)
    assert criterion.descriptor_for(0) == "Not shown"
    assert criterion.descriptor_for(7) == "Strong evidence"
    assert criterion.descriptor_levels() == [
        ("0", "Not shown"),
        ("1 to 5", "Some evidence"),
        ("6 to 10", "Strong evidence"),
    ]
    assert Criterion(name="Bare").descriptor_for(3) == ""


def criterion_post(**overrides):
    data = {
        "stage": "written",
        "name": "Involvement",
        "guidance": "People who use the service shape how it is run.",
        "weight": 2,
        "max_score": 10,
        "order": 0,
        "score_descriptors": "0: Not shown\n1-5: Some evidence\n6-10: Strong evidence",
        "easy_read_name": "People have a say",
        "easy_read_guidance": "Do people help decide how the service is run?",
    }
    return {**data, **overrides}


def test_an_administrator_adds_and_edits_descriptors_and_easy_read(client, awards_admin):
    category = make_category(make_cycle())
    client.force_login(awards_admin)
    added = client.post(
        reverse("awards:manage_criterion_create", args=[category.pk]),
        {f"criterion-{k}": v for k, v in criterion_post().items()},
    )
    assert added["Location"] == reverse("awards:manage_category", args=[category.pk])
    criterion = Criterion.objects.get(name="Involvement")
    assert (criterion.score_descriptors, criterion.easy_read_name, criterion.easy_read_guidance) == (
        BANDS,
        "People have a say",
        "Do people help decide how the service is run?",
    )
    event = AuditEvent.objects.get(action="criterion.created", object_id=str(criterion.pk))
    assert event.after["score_descriptors"] == BANDS and event.after["easy_read_name"] == "People have a say"

    edit_url = reverse("awards:manage_criterion", args=[criterion.pk])
    page = client.get(edit_url).content.decode()
    assert "1-5: Some evidence" in page  # shown back as typed
    saved = client.post(edit_url, criterion_post(score_descriptors="0-4: Weak\n5-10: Strong"))
    assert saved["Location"] == reverse("awards:manage_category", args=[category.pk])
    criterion.refresh_from_db()
    assert criterion.score_descriptors == [band(0, 4, "Weak"), band(5, 10, "Strong")]
    changed = AuditEvent.objects.get(action="criterion.changed", object_id=str(criterion.pk))
    assert changed.before == {"score_descriptors": BANDS}  # what was replaced, and only that
    assert changed.after == {"score_descriptors": [band(0, 4, "Weak"), band(5, 10, "Strong")]}

    listing = client.get(reverse("awards:manage_category", args=[category.pk])).content.decode()
    assert "Easy read: People have a say" in listing
    assert listing.count("No easy-read version yet") == 3  # the category's other three criteria


def test_descriptors_that_leave_a_score_out_come_back_with_the_typing(client, awards_admin):
    category = make_category(make_cycle())
    criterion = category.criteria.first()
    client.force_login(awards_admin)
    response = client.post(
        reverse("awards:manage_criterion", args=[criterion.pk]),
        criterion_post(score_descriptors="0-4: Weak\n6-10: Strong"),
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors == {"score_descriptors": ["Describe every score from 0 to 10: 5 has no description"]}
    assert form["score_descriptors"].value() == "0-4: Weak\n6-10: Strong"
    page = response.content.decode()
    assert "There is a problem" in page and 'href="#id_score_descriptors"' in page
    criterion.refresh_from_db()
    assert criterion.score_descriptors == []  # nothing half-written


@pytest.mark.parametrize(
    ("overrides", "errors"),
    [
        (
            {"easy_read_name": ""},
            {"easy_read_name": ["Enter the easy-read name as well as the easy-read guidance"]},
        ),
        (
            {"easy_read_guidance": ""},
            {"easy_read_guidance": ["Enter the easy-read guidance: this criterion has guidance"]},
        ),
        ({"score_descriptors": "0-3: Weak\n4-10: Strong", "max_score": 3}, None),
    ],
)
def test_easy_read_comes_with_its_guidance_and_bands_follow_the_maximum(overrides, errors):
    category = make_category(make_cycle())
    form = CriterionForm(criterion_post(**overrides), instance=Criterion(category=category))
    assert form.is_valid() is False
    if errors:
        assert form.errors == errors
    else:
        assert form.errors == {
            "score_descriptors": ["The highest score is 3, so no band may go beyond it"],
        }


def test_no_easy_read_needs_no_easy_read_guidance():
    category = make_category(make_cycle())
    form = CriterionForm(
        criterion_post(easy_read_name="", easy_read_guidance="", score_descriptors=""),
        instance=Criterion(category=category),
    )
    assert form.is_valid(), form.errors
    assert form.cleaned_data["score_descriptors"] == []


def test_the_domain_refuses_bad_descriptors_whatever_calls_it(awards_admin):
    category = make_category(make_cycle())
    criterion = category.criteria.first()
    criterion.score_descriptors = [band(0, 4)]
    with pytest.raises(DomainError, match="5 to 10 has no description"):
        domain.save_criterion(awards_admin, criterion)
    criterion.score_descriptors = []
    criterion.easy_read_guidance = "Plain words"
    with pytest.raises(DomainError, match="easy-read name as well"):
        domain.save_criterion(awards_admin, criterion)
    assert not AuditEvent.objects.filter(action__startswith="criterion.").exists()


def test_wording_stays_editable_once_scored_but_the_criterion_cannot_be_deleted(client, awards_admin):
    """Follows the existing rule: scoring stops a criterion's deletion, never
    its wording; the audit keeps what each change replaced."""
    world = make_judging_world()
    nomination = make_eligible(world["category"], 1)[0]
    judging_domain.auto_assign(world["admin"], world["category"])
    score_all(nomination.assignments.filter(stage="written").first(), 6)
    criterion = world["category"].criteria.get(name="Person-centred care")
    client.force_login(world["admin"])
    response = client.post(
        reverse("awards:manage_criterion", args=[criterion.pk]),
        criterion_post(name="Person-centred care", easy_read_name="Care that fits you", easy_read_guidance="Plain"),
    )
    assert response.status_code == 302
    criterion.refresh_from_db()
    assert (criterion.easy_read_name, criterion.score_descriptors) == ("Care that fits you", BANDS)
    client.post(reverse("awards:manage_criterion_delete", args=[criterion.pk]))
    assert Criterion.objects.filter(pk=criterion.pk).exists()


def test_next_years_cycle_keeps_descriptors_and_easy_read(awards_admin):
    cycle = make_cycle()
    category = make_category(cycle)
    Criterion.objects.filter(category=category, name="Outcomes").update(
        score_descriptors=BANDS, easy_read_name="What got better", easy_read_guidance="What is better now?"
    )
    new = domain.copy_cycle(awards_admin, cycle, cycle.year + 1)
    copied = Criterion.objects.get(category__cycle=new, name="Outcomes")
    assert (copied.score_descriptors, copied.easy_read_name, copied.easy_read_guidance) == (
        BANDS,
        "What got better",
        "What is better now?",
    )
