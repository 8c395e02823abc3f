"""The judging world every judging test starts from (tests.factories.make_judging_world),
and its parts as named fixtures."""

import pytest

from judging import domain

from ..factories import make_eligible, make_judging_world


@pytest.fixture
def world():
    """See make_judging_world: one category, its active panel of four judges
    from four sectors (the first chairs it) and an awards administrator."""
    return make_judging_world()


@pytest.fixture
def admin(world):
    return world["admin"]


@pytest.fixture
def category(world):
    return world["category"]


@pytest.fixture
def cycle(world):
    return world["cycle"]


@pytest.fixture
def judges(world):
    return world["judges"]


@pytest.fixture
def panel(world):
    return world["panel"]


@pytest.fixture
def scored(world):
    nominations = make_eligible(world["category"], 2)
    domain.auto_assign(world["admin"], world["category"])
    return nominations
