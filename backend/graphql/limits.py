"""Protection against hostile queries: depth, cost (with pagination multipliers) and alias caps.

The cost of a field is 1 plus the cost of its children multiplied by the page size it asks for (`first` or
`last`; a variable counts as the maximum page size, since validation runs before variables are known).
"""

from django.conf import settings
from graphene.validation import DisableIntrospection, depth_limit_validator
from graphql import GraphQLError, ValidationRule
from graphql.language import FieldNode, FragmentSpreadNode, InlineFragmentNode, IntValueNode, OperationDefinitionNode

MAX_PAGE_SIZE = 100


def page_size(field: FieldNode) -> int:
    """How many rows a field may return: its `first`/`last` value, the maximum for a variable, else 1."""
    for argument in field.arguments or ():
        if argument.name.value in ("first", "last", "limit", "top"):
            if isinstance(argument.value, IntValueNode):
                return max(1, min(int(argument.value.value), MAX_PAGE_SIZE))
            return MAX_PAGE_SIZE
    return 1


def selection_cost(selection_set, fragments, multiplier: int, seen: frozenset = frozenset()) -> int:
    """Σ over fields of multiplier × (1 + cost of the children at multiplier × page size)."""
    if selection_set is None:
        return 0
    total = 0
    for selection in selection_set.selections:
        if isinstance(selection, FieldNode):
            child_multiplier = multiplier * page_size(selection)
            total += multiplier + selection_cost(selection.selection_set, fragments, child_multiplier, seen)
        elif isinstance(selection, InlineFragmentNode):
            total += selection_cost(selection.selection_set, fragments, multiplier, seen)
        elif isinstance(selection, FragmentSpreadNode):
            name = selection.name.value
            if name in fragments and name not in seen:
                total += selection_cost(fragments[name].selection_set, fragments, multiplier, seen | {name})
    return total


class CostLimitRule(ValidationRule):
    """Refuse an operation whose estimated cost exceeds GRAPHQL_MAX_COST."""

    def enter_operation_definition(self, node: OperationDefinitionNode, *_args):
        fragments = {f.name.value: f for f in self.context.document.definitions if hasattr(f, "type_condition")}
        cost = selection_cost(node.selection_set, fragments, 1)
        if cost > settings.GRAPHQL_MAX_COST:
            self.report_error(
                GraphQLError(
                    f"Query cost {cost} exceeds the limit of {settings.GRAPHQL_MAX_COST}; ask for smaller pages "
                    "or fewer nested lists.",
                    node,
                    extensions={"code": "QUERY_TOO_COSTLY"},
                )
            )


class AliasLimitRule(ValidationRule):
    """Refuse a document with more aliases than GRAPHQL_MAX_ALIASES (aliases multiply work cheaply)."""

    def __init__(self, context):
        super().__init__(context)
        self.count = 0

    def enter_field(self, node: FieldNode, *_args):
        if node.alias is not None:
            self.count += 1
            if self.count == settings.GRAPHQL_MAX_ALIASES + 1:
                self.report_error(
                    GraphQLError(
                        f"Too many aliases: at most {settings.GRAPHQL_MAX_ALIASES} are allowed in one query.",
                        node,
                        extensions={"code": "TOO_MANY_ALIASES"},
                    )
                )


def validation_rules() -> list:
    """The extra validation rules of the endpoint; introspection is off when DEBUG is off."""
    rules = [depth_limit_validator(max_depth=settings.GRAPHQL_MAX_DEPTH), CostLimitRule, AliasLimitRule]
    if not settings.DEBUG:
        rules.append(DisableIntrospection)
    return rules
