"""The committed schema.graphql is the schema the server runs, and every type, field, argument and enum value in
it is described."""

from pathlib import Path

from graphql import GraphQLEnumType, GraphQLInputObjectType, GraphQLInterfaceType, GraphQLObjectType, print_schema

from backend.schema import schema

SCHEMA_FILE = Path(__file__).resolve().parents[2] / "schema.graphql"


def own_types():
    return [t for name, t in schema.graphql_schema.type_map.items() if not name.startswith("__")]


def test_the_committed_schema_is_the_printed_schema():
    assert SCHEMA_FILE.read_text(encoding="utf-8") == print_schema(schema.graphql_schema), "run `make schema`"


def test_every_field_argument_and_enum_value_is_described():
    undescribed = []
    for graphql_type in own_types():
        if isinstance(graphql_type, (GraphQLObjectType, GraphQLInterfaceType, GraphQLInputObjectType)):
            for field_name, field in graphql_type.fields.items():
                if not (field.description or "").strip():
                    undescribed.append(f"{graphql_type.name}.{field_name}")
                for arg_name, arg in getattr(field, "args", {}).items():
                    if not (arg.description or "").strip():
                        undescribed.append(f"{graphql_type.name}.{field_name}({arg_name})")
        if isinstance(graphql_type, GraphQLEnumType):
            undescribed += [f"{graphql_type.name}.{name}" for name, value in graphql_type.values.items()
                            if not (value.description or "").strip()]
    assert undescribed == []
