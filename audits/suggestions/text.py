"""Text as the suggester reads it: folded (lower case, accents removed) one character for one, so that a match in
the folded text points at the same characters of the text the person wrote; words with their offsets; the
sub-clauses a negation can reach."""

import re
import unicodedata
from dataclasses import dataclass

LANGUAGES = ("en", "fr", "es", "pt")

WORD = re.compile(r"\w+(?:['’]\w+)?")
# A negation does not reach past a sentence end, a semicolon or one of these joining words (en, fr, es, pt).
CLAUSE_BREAK = re.compile(r"[.;!?:\n]|\b(?:and|but|because|while|et|mais|car|alors|y|pero|porque|mientras|e|mas|porem)\b")

@dataclass(frozen=True)
class Word:
    """One word of the folded text and where it stands."""

    text: str
    start: int
    end: int


def fold(text: str) -> str:
    """Lower case without accents, exactly one character for each character of `text`."""
    return "".join(_fold_char(char) for char in text)


def _fold_char(char: str) -> str:
    base = unicodedata.normalize("NFD", char)[0].lower()
    return base[0] if base else char


def words(folded: str) -> list[Word]:
    return [Word(match.group(0).replace("’", "'"), match.start(), match.end()) for match in WORD.finditer(folded)]


def clause_starts(folded: str) -> list[int]:
    """Offsets where a new sub-clause begins (0 first): a negation before one of them does not reach past it."""
    return [0] + [match.end() for match in CLAUSE_BREAK.finditer(folded)]

