"""The audits world as fixtures (tests/support/audits_world.py builds it; import its constants from there)."""

import pytest

from support.audits_world import people_of_every_kind, with_the_mill, with_work_on_the_mill


@pytest.fixture
def people(make_org, make_user):
    """Organizations of every kind, each with an analyst, an admin and a viewer."""
    return people_of_every_kind(make_org, make_user)


@pytest.fixture
def world(people):
    """The mill S (public, OS ID) in A's and C's networks; A's private farm P; F assigned to S by A."""
    return with_the_mill(people)


@pytest.fixture
def full_world(world):
    """The world with F's work on S, W's grievance about S, A's corrective actions and referral."""
    return with_work_on_the_mill(world)
