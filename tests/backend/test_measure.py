"""The measure of a document with fragments, each measured once, equals the measure of the same document with
every spread written out in full (property test), and it takes as many steps as the document has fragments."""

from graphql import get_operation_ast, parse
from hypothesis import given, settings
from hypothesis import strategies as st

from backend.graphql.measure import measure_operation
from backend.schema import schema

FIELDS = (
    "me {{ username }}",
    "a{n}: me {{ username }}",
    "sites(first: {n}) {{ totalCount edges {{ node {{ name }} }} }}",
    "upstream(depth: 2) {{ sites {{ distance site {{ name }} }} }}",
    "b{n}: suppliers(first: 3) {{ edges {{ node {{ sites(first: {n}) {{ name }} }} }} }}",
)


@st.composite
def documents(draw):
    """An operation and up to four fragments on Query; fragment i spreads only fragments after it (no cycles)."""
    count = draw(st.integers(0, 4))

    def body(spreadable: range) -> list[str]:
        items = [FIELDS[draw(st.integers(0, len(FIELDS) - 1))].format(n=draw(st.integers(1, 9)))
                 for _ in range(draw(st.integers(1, 3)))]
        items += [f"...F{draw(st.sampled_from(spreadable))}" for _ in range(draw(st.integers(0, 3)))] if spreadable else []
        return items

    fragments = {f"F{i}": body(range(i + 1, count)) for i in range(count)}
    return body(range(count)), fragments


def written_out(items: list[str], fragments: dict) -> str:
    """The selections with every spread replaced by an inline fragment holding the fragment's selections."""
    return " ".join(
        f"... on Query {{ {written_out(fragments[item[3:]], fragments)} }}" if item.startswith("...") else item
        for item in items
    )


def measure(text: str):
    document = parse(text)
    return measure_operation(schema.graphql_schema, document, get_operation_ast(document), {})


@settings(max_examples=60, deadline=None)
@given(documents())
def test_fragments_measured_once_equal_fragments_written_out(document):
    operation, fragments = document
    with_fragments = "{ " + " ".join(operation) + " }" + "".join(
        f"\nfragment {name} on Query {{ {' '.join(items)} }}" for name, items in fragments.items()
    )
    assert measure(with_fragments) == measure("{ " + written_out(operation, fragments) + " }")


def test_a_fan_out_is_measured_in_full():
    """10 fragments each spreading the next 10 times: 10⁹ copies of the last one's `me { username }`."""
    fan_out = "\n".join(
        ["{ ...F0 }", *(f"fragment F{i} on Query {{ {' '.join([f'...F{i + 1}'] * 10)} }}" for i in range(9)),
         "fragment F9 on Query { me { username } }"]
    )
    measured = measure(fan_out)
    assert (measured.cost, measured.depth) == (2 * 10**9, 1)
