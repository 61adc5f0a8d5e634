"""What the endpoint refuses before running a document, and with which error code.

In this order, so that a hostile document is refused by a check that takes time linear in its size:
1. the parser's limits: GRAPHQL_MAX_QUERY_LENGTH code points and GRAPHQL_MAX_TOKENS tokens (GRAPHQL_PARSE_FAILED).
   graphql-core's parser, pure Python, takes about 25 µs a token, so the token limit is what bounds the time a
   document costs before anything else can refuse it: 1,500 tokens (a formatted query of 6–8 KB) parse in
   about 35 ms. The tokens are counted first by one regular-expression scan (about 1 ms), so a longer document is
   refused without being parsed;
2. the operation's depth, estimated cost and aliases, measured through its fragments once each (`measure`):
   QUERY_TOO_DEEP, QUERY_TOO_COSTLY, TOO_MANY_ALIASES;
3. every standard rule of the GraphQL specification (GRAPHQL_VALIDATION_FAILED), with introspection refused when
   DEBUG is off (INTROSPECTION_DISABLED; `__typename` is allowed) and no "did you mean" suggestions either.
   Checking that fields of the same name can be merged is quadratic in how often a name repeats: graphql-core
   meters that work and aborts past a budget, GRAPHQL_MAX_MERGE_WORK units (a comparison of two fields costs 2;
   real queries spend none); an aborted validation is QUERY_TOO_COMPLEX.
"""

import re

from django.conf import settings
from graphene_django.settings import graphene_settings
from graphql import (
    DocumentNode,
    GraphQLError,
    GraphQLSchema,
    NoSchemaIntrospectionCustomRule,
    OperationDefinitionNode,
    get_operation_ast,
    parse,
    specified_rules,
    validate,
)
from graphql.validation.rules import overlapping_fields_can_be_merged
from graphql.validation.validate import ValidationAbortedError

from backend.graphql.measure import Measure, measure_operation

LARGEST_COST_SHOWN = 10**12
# GraphQL's lexical tokens (block strings, strings, comments, names, numbers, punctuators); commas and white
# space are not tokens, and neither are comments, which are matched only so that nothing inside them counts.
LEXICAL_TOKEN = re.compile(
    r'"""(?:\\"""|[^"]|"(?!""))*"""|"(?:\\.|[^"\\\n\r])*"|#[^\n\r]*'
    r"|[_A-Za-z][_0-9A-Za-z]*|-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?|\.\.\.|[!$&():=@\[\]{|}]"
)


class IntrospectionDisabledRule(NoSchemaIntrospectionCustomRule):
    """graphql-core's rule refusing `__schema` and `__type` (not `__typename`), with our error code."""

    def report_error(self, error: GraphQLError) -> None:
        super().report_error(coded(error, "INTROSPECTION_DISABLED"))


def coded(error: GraphQLError, code: str) -> GraphQLError:
    """The same error with `extensions.code` set, unless it has a code already."""
    if (error.extensions or {}).get("code"):
        return error
    return GraphQLError(
        error.message, error.nodes, error.source, error.positions, error.path, error.original_error,
        extensions={**(error.extensions or {}), "code": code},
    )


def standard_rules() -> list:
    """The specification's rules, and the introspection refusal when DEBUG is off."""
    return [*specified_rules, *(() if settings.DEBUG else (IntrospectionDisabledRule,))]


def lexical_tokens(query: str, stop_after: int) -> int:
    """How many tokens the parser would read (counting stops once past `stop_after`)."""
    count = 0
    for token in LEXICAL_TOKEN.finditer(query):
        if token.group()[0] != "#":
            count += 1
            if count > stop_after:
                break
    return count


def parse_query(query) -> DocumentNode:
    """The parsed document, or a GraphQLError (GRAPHQL_PARSE_FAILED) saying what is wrong with the text."""
    if not isinstance(query, str):
        raise GraphQLError("The query must be a string of GraphQL.", extensions={"code": "GRAPHQL_PARSE_FAILED"})
    limit = settings.GRAPHQL_MAX_TOKENS
    if len(query) <= settings.GRAPHQL_MAX_QUERY_LENGTH and lexical_tokens(query, limit) > limit:
        raise GraphQLError(
            f"Syntax Error: Document contains more than {limit} tokens. Parsing aborted.",
            extensions={"code": "GRAPHQL_PARSE_FAILED"},
        )
    try:
        return parse(
            query, max_source_length=settings.GRAPHQL_MAX_QUERY_LENGTH, max_lexical_tokens=settings.GRAPHQL_MAX_TOKENS
        )
    except GraphQLError as error:
        raise coded(error, "GRAPHQL_PARSE_FAILED") from None


def limit_errors(measure: Measure, operation: OperationDefinitionNode) -> list[GraphQLError]:
    """The limits an operation's measure exceeds, each as an error naming the figure and the limit."""
    errors = []
    if measure.depth > settings.GRAPHQL_MAX_DEPTH:
        errors.append(GraphQLError(
            f"Query depth {measure.depth} exceeds the limit of {settings.GRAPHQL_MAX_DEPTH} nested selections.",
            operation, extensions={"code": "QUERY_TOO_DEEP"},
        ))
    if measure.cost > settings.GRAPHQL_MAX_COST:
        shown = f"{measure.cost:,}" if measure.cost <= LARGEST_COST_SHOWN else f"over {LARGEST_COST_SHOWN:,}"
        errors.append(GraphQLError(
            f"Query cost {shown} exceeds the limit of {settings.GRAPHQL_MAX_COST:,} (each field counts 1, times the "
            "items of every list around it); ask for smaller pages or fewer nested lists.",
            operation, extensions={"code": "QUERY_TOO_COSTLY"},
        ))
    if measure.aliases > settings.GRAPHQL_MAX_ALIASES:
        errors.append(GraphQLError(
            f"Too many aliases: {measure.aliases}, at most {settings.GRAPHQL_MAX_ALIASES} are allowed in one query.",
            operation, extensions={"code": "TOO_MANY_ALIASES"},
        ))
    return errors


def checked_document(
    schema: GraphQLSchema, query, operation_name: str | None, variables
) -> tuple[DocumentNode | None, list[GraphQLError]]:
    """The document of a request and the errors that refuse it (none: it may run)."""
    try:
        document = parse_query(query)
    except GraphQLError as error:
        return None, [error]
    operation = get_operation_ast(document, operation_name)
    if operation is not None:
        errors = limit_errors(measure_operation(schema, document, operation, variables), operation)
        if errors:
            return document, errors
    overlapping_fields_can_be_merged.MAX_COMPLEXITY_BUDGET = settings.GRAPHQL_MAX_MERGE_WORK  # read as it starts
    errors = validate(
        schema, document, standard_rules(), graphene_settings.MAX_VALIDATION_ERRORS, hide_suggestions=not settings.DEBUG
    )
    return document, [validation_error(error) for error in errors]


def validation_error(error: GraphQLError) -> GraphQLError:
    """A standard rule's error with its code; an aborted validation says why it may have stopped."""
    if isinstance(error, ValidationAbortedError):
        return GraphQLError(
            f"{error.message} The document is too complex to check: too many errors, fields of the same name "
            "repeated too often, or fragments nested too deeply.",
            extensions={"code": "QUERY_TOO_COMPLEX"},
        )
    return coded(error, "GRAPHQL_VALIDATION_FAILED")
