"""How deep, how costly and how aliased an operation is: one pass over the document, in time linear in its size.

For a field f whose children are C and which returns p items (its list bound, see `list_bounds`):

    cost(f)    = 1 + p × Σ cost(c), c ∈ C
    depth(f)   = 0 for a leaf, else 1 + max depth(c)     (nested selection sets: `{ me { username } }` is 1)
    aliases(f) = [f has an alias] + Σ aliases(c)         (as written, with fragments expanded; not × p)

and a selection set sums (depth: takes the maximum of) its selections. Each fragment is measured once, in an
order where the fragments it spreads come first, and its measure reused wherever it is spread: 10 levels of
fragments each spreading the next 10 times take 10 steps, not 10¹⁰, and measure 10¹⁰ in cost. A spread closing
a cycle, or naming no fragment, adds nothing; an unknown field counts 1 with its children at multiplier 1: the
standard validation rules refuse those documents. Introspection fields (`__schema`, `__type`) count 1.
p comes from the field's argument in the document, or the request's variable, or the argument's default, capped
at the bound's maximum; a field with no bound (not a list) has p = 1.
"""

from dataclasses import dataclass

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLSchema,
    InlineFragmentNode,
    IntValueNode,
    OperationDefinitionNode,
    SelectionSetNode,
    VariableNode,
    get_named_type,
)

from backend.graphql.list_bounds import bounds_of


@dataclass(frozen=True)
class Measure:
    """Depth, estimated cost and aliases of a selection (see the module's formulas)."""

    depth: int = 0
    cost: int = 0
    aliases: int = 0

    def beside(self, other: "Measure") -> "Measure":
        """Two selections side by side in one selection set."""
        return Measure(max(self.depth, other.depth), self.cost + other.cost, self.aliases + other.aliases)


NOTHING = Measure()


def measure_operation(
    schema: GraphQLSchema, document: DocumentNode, operation: OperationDefinitionNode, variables: dict
) -> Measure:
    """The measure of one operation of a document, with the request's variables (page sizes given by variables)."""
    given = variables if isinstance(variables, dict) else {}
    return DocumentMeasure(schema, document, {**variable_defaults(operation), **given}).of_operation(operation)


def variable_defaults(operation: OperationDefinitionNode) -> dict:
    """The integer default values of an operation's variables (the only ones a page size can take)."""
    return {
        definition.variable.name.value: int(definition.default_value.value)
        for definition in operation.variable_definitions or ()
        if isinstance(definition.default_value, IntValueNode)
    }


def spreads_in(selection_set: SelectionSetNode) -> list[str]:
    """Names of the fragments spread anywhere inside a selection set, without recursion."""
    names, stack = [], [selection_set]
    while stack:
        for selection in stack.pop().selections:
            if isinstance(selection, FragmentSpreadNode):
                names.append(selection.name.value)
            elif selection.selection_set is not None:
                stack.append(selection.selection_set)
    return names


def dependency_order(fragments: dict[str, FragmentDefinitionNode]) -> list[str]:
    """Fragment names, each after the fragments it spreads (depth-first, without recursion; cycles cut)."""
    spreads = {name: [s for s in spreads_in(f.selection_set) if s in fragments] for name, f in fragments.items()}
    ordered: list[str] = []
    done: set[str] = set()
    for root in fragments:
        if root in done:
            continue
        path, on_path = [(root, iter(spreads[root]))], {root}
        while path:
            name, pending = path[-1]
            following = next((s for s in pending if s not in done and s not in on_path), None)
            if following is None:
                path.pop()
                on_path.discard(name)
                done.add(name)
                ordered.append(name)
            else:
                path.append((following, iter(spreads[following])))
                on_path.add(following)
    return ordered


class DocumentMeasure:
    """Measures of a document's fragments (each computed once), and of its operations from them."""

    def __init__(self, schema: GraphQLSchema, document: DocumentNode, variables: dict):
        self.schema = schema
        self.bounds = bounds_of(schema)
        self.variables = variables
        fragments = {d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)}
        self.fragments: dict[str, Measure] = {}
        for name in dependency_order(fragments):
            fragment = fragments[name]
            self.fragments[name] = self.of_selections(fragment.selection_set, self.type_named(fragment.type_condition))

    def of_operation(self, operation: OperationDefinitionNode) -> Measure:
        return self.of_selections(operation.selection_set, self.schema.get_root_type(operation.operation))

    def type_named(self, named_type_node):
        return self.schema.get_type(named_type_node.name.value) if named_type_node is not None else None

    def of_selections(self, selection_set: SelectionSetNode, parent_type) -> Measure:
        total = NOTHING
        for selection in selection_set.selections:
            if isinstance(selection, FieldNode):
                part = self.of_field(selection, parent_type)
            elif isinstance(selection, InlineFragmentNode):
                condition = self.type_named(selection.type_condition) if selection.type_condition else parent_type
                part = self.of_selections(selection.selection_set, condition)
            else:
                part = self.fragments.get(selection.name.value, NOTHING)
            total = total.beside(part)
        return total

    def of_field(self, node: FieldNode, parent_type) -> Measure:
        alias = int(node.alias is not None)
        if node.selection_set is None or node.name.value.startswith("__"):
            return Measure(0, 1, alias)
        definition = getattr(parent_type, "fields", {}).get(node.name.value)
        children = self.of_selections(node.selection_set, get_named_type(definition.type) if definition else None)
        items = self.items_asked(node, parent_type, definition)
        return Measure(1 + children.depth, 1 + items * children.cost, alias + children.aliases)

    def items_asked(self, node: FieldNode, parent_type, definition) -> int:
        """p: how many items the field may return, from its bound and the arguments asking for fewer."""
        bound = self.bounds.get((parent_type.name, node.name.value)) if parent_type is not None else None
        if bound is None:
            return 1
        for name in bound.arguments:
            value = self.argument_value(node, definition, name)
            if value is not None:
                return max(1, min(value, bound.maximum))
        return bound.maximum

    def argument_value(self, node: FieldNode, definition, name: str) -> int | None:
        """An integer argument as the field will get it: written, from a variable, or its default (also for a
        variable the request leaves out); None when it is not an integer."""
        written = next((a.value for a in node.arguments or () if a.name.value == name), None)
        if isinstance(written, VariableNode) and written.name.value not in self.variables:
            written = None
        if isinstance(written, IntValueNode):
            value = int(written.value)
        elif isinstance(written, VariableNode):
            value = self.variables[written.name.value]
        elif written is None and definition is not None and name in definition.args:
            value = definition.args[name].default_value
        else:
            return None
        return value if isinstance(value, int) and not isinstance(value, bool) else None
