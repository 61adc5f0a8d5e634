"""backend/graphql/inputs.py: what a mutation's `perform` and a resolver receive are plain values."""

import graphene
from graphql import Undefined

from backend.graphql.inputs import given_fields, plain
from graph.models import SiteKind


class Dimension(graphene.Enum):
    CHILD_LABOUR = "child_labour"
    FORCED_LABOUR = "forced_labour"


class ExampleInput(graphene.InputObjectType):
    dimension = Dimension()
    dimensions = graphene.List(Dimension)
    name = graphene.String()


def test_an_enum_member_becomes_its_value():
    assert plain(Dimension.CHILD_LABOUR) == "child_labour"


def test_a_choices_member_becomes_the_plain_string_the_model_stores():
    assert type(plain(SiteKind.FARM)) is str and plain(SiteKind.FARM) == "farm"


def test_other_values_stay_as_they_are():
    assert [plain(value) for value in (None, Undefined, "text", 3, 0.5)] == [None, Undefined, "text", 3, 0.5]


def test_enum_members_inside_input_objects_and_lists_become_values_and_the_input_object_stays_one():
    given = ExampleInput._meta.container(dict(dimension=Dimension.FORCED_LABOUR, dimensions=[Dimension.CHILD_LABOUR], name="x"))

    result = plain(given)

    assert isinstance(result, ExampleInput._meta.container)
    assert result == {"dimension": "forced_labour", "dimensions": ["child_labour"], "name": "x"}
    assert result.dimension == "forced_labour"


def test_fields_left_out_stay_left_out():
    result = plain(ExampleInput._meta.container({"name": "x"}))

    assert given_fields(result) == {"name": "x"}
