"""The token count that refuses an over-long document before it is parsed agrees with graphql-core's lexer."""

from graphql import GraphQLError
from graphql.language import Lexer, Source, TokenKind
from hypothesis import given, settings, strategies as st

from backend.graphql.limits import lexical_tokens

PIECES = st.sampled_from([
    "{", "}", "(", ")", "[", "]", ":", "=", "@", "$", "!", "|", "&", "...", "query", "me", "_x1", "on",
    "0", "-12", "3.5", "1e-3", "-0.25E+2", '"text"', '"with \\" quote # and hash"', '""', '"""block "" \\""" text"""',
    "# a comment ) {", "\n", " ", ",", "\t",
])


def lexer_count(document: str) -> int | None:
    """What graphql-core's lexer counts (None when it refuses the text)."""
    lexer, count = Lexer(Source(document)), 0
    try:
        while lexer.advance().kind != TokenKind.EOF:
            count += lexer.token.kind != TokenKind.COMMENT
    except GraphQLError:
        return None
    return count


@settings(max_examples=300, deadline=None)
@given(st.lists(PIECES, max_size=60).map(" ".join))
def test_the_count_is_the_lexers(document):
    expected = lexer_count(document)
    if expected is not None:
        assert lexical_tokens(document, stop_after=10**6) == expected


def test_counting_stops_past_the_limit():
    assert lexical_tokens("{ " + "a " * 10_000 + "}", stop_after=100) == 101
