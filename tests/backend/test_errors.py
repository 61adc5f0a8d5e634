"""backend/errors.py and backend/graphql/errors.py: a ValidationError becomes the API's `{field, message, code}`
the same way for the HTTP views, the mutations' `errors` and a query's top-level error."""

import graphene
import pytest
from django.core.exceptions import ValidationError
from graphene.utils.str_converters import to_camel_case
from graphql import GraphQLError
from hypothesis import given
from hypothesis import strategies as st

from backend.errors import camel_case, field_error, flatten_validation_error
from backend.graphql.errors import as_graphql_error, validation_errors


class ExampleErrorCode(graphene.Enum):
    INVALID = "invalid"
    REQUIRED = "required"


@given(st.text(alphabet="ab_1", max_size=12))
def test_field_names_are_spelled_as_graphene_spells_them(name):
    assert camel_case(name) == to_camel_case(name)


def test_a_field_error_is_flattened_with_its_camel_case_field_and_upper_case_code():
    error = field_error("supplier_id", "No such supplier.", "not_found")

    assert flatten_validation_error(error) == [
        {"field": "supplierId", "message": "No such supplier.", "code": "NOT_FOUND"}
    ]


def test_an_error_about_the_whole_input_has_no_field():
    assert flatten_validation_error(field_error(None, "Nothing to do.", "invalid")) == [
        {"field": None, "message": "Nothing to do.", "code": "INVALID"}
    ]


def test_a_plain_error_without_code_or_field_is_invalid_and_its_params_are_filled_in():
    error = ValidationError("At most %(limit)s rows.", params={"limit": 5})

    assert flatten_validation_error(error) == [{"field": None, "message": "At most 5 rows.", "code": "INVALID"}]


def test_every_message_of_every_field_is_kept_in_order():
    error = ValidationError({
        "name": [ValidationError("Too long.", code="too_long"), ValidationError("Required.", code="required")],
        "country": ValidationError("Not a country.", code="invalid_country"),
    })

    assert [(item["field"], item["code"]) for item in flatten_validation_error(error)] == [
        ("name", "TOO_LONG"), ("name", "REQUIRED"), ("country", "INVALID_COUNTRY"),
    ]


def test_a_mutation_reports_codes_its_domain_lacks_as_invalid():
    error = ValidationError({
        "name": ValidationError("Required.", code="required"),
        "country": ValidationError("Not a country.", code="invalid_country"),
    })

    assert [item["code"] for item in validation_errors(error, ExampleErrorCode)] == ["REQUIRED", "INVALID"]


def test_a_query_resolver_reports_the_first_problem_as_a_top_level_error_with_its_code():
    @as_graphql_error
    def resolve_paths(root, info, limit):
        raise field_error("limit", f"limit must be between 1 and 50, got {limit}.", "out_of_range")

    with pytest.raises(GraphQLError) as raised:
        resolve_paths(None, None, limit=99)

    assert raised.value.message == "limit must be between 1 and 50, got 99."
    assert raised.value.extensions == {"code": "OUT_OF_RANGE"}
