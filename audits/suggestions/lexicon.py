"""The lexicon (data/lexicon.txt) and its negation rules: which stretches of a text point at which category.

A pattern's match counts unless its clause negates it: a negation word shortly before it in the same clause
("nobody takes our passports", "on ne garde pas nos papiers") or a word saying the workers hold the thing themselves
("we keep our passports ourselves", "guardamos nuestros pasaportes nosotros mismos"). A match that begins with a negation
word is an indicator phrased negatively ("not allowed to leave", "sin agua") and is not negated again.
"""

import re
from dataclasses import dataclass
from pathlib import Path

from audits.suggestions.text import LANGUAGES, Word, clause_starts

GAPS = {"{g}": r"(?:\W+\w+){0,5}?\W+", "{G}": r"(?:\W+\w+){0,10}?\W+"}
NEGATION_WINDOW = 6  # words before a match that a negation word reaches across

NEGATIONS = frozenset(
    {
        "not", "no", "never", "nobody", "none", "nothing", "neither", "nor", "without", "cannot", "nowhere", "nulle",
        "ne", "pas", "jamais", "personne", "aucun", "aucune", "sans", "rien", "ni",
        "nunca", "nadie", "ningun", "ninguna", "ninguno", "jamas", "sin", "tampoco",
        "nao", "ninguem", "nenhum", "nenhuma", "sem", "nem",
    }
)
# Words saying the workers themselves hold or do the thing: they negate the whole clause, wherever they stand.
# "memes", "mismos" and "mesmos" also mean "same", so they count only after a pronoun ("nous-memes", "ellos mismos").
SELF_HELD = frozenset({"ourselves", "themselves", "myself", "own", "proprios", "proprias", "propios", "propias"})
SELF_AFTER_PRONOUN = frozenset({"memes", "meme", "mismos", "mismas", "mismo", "mesmos", "mesmas", "mesmo"})
PRONOUNS = frozenset({"nous", "vous", "eux", "elles", "moi", "nosotros", "nosotras", "ellos", "ellas", "yo", "nos", "eles", "elas", "eu"})


@dataclass(frozen=True)
class Pattern:
    category: str
    language: str
    weight: float
    regex: re.Pattern


@dataclass(frozen=True)
class Hit:
    """One match of a pattern: where it stands in the text and whether its clause negates it."""

    category: str
    weight: float
    start: int
    end: int
    negated: bool


def load_patterns(path: Path) -> tuple[Pattern, ...]:
    """Read the lexicon file; a malformed line fails loudly with its number (the lexicon is ours, not input)."""
    patterns = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        category, language, weight, expression = line.split(" ", 3)
        if language not in LANGUAGES:
            raise ValueError(f"{path.name} line {number}: unknown language {language!r}")
        for gap, regex in GAPS.items():
            expression = expression.replace(gap, regex)
        try:
            compiled = re.compile(rf"\b(?:{expression})\b")
        except re.error as error:
            raise ValueError(f"{path.name} line {number}: {error}") from error
        patterns.append(Pattern(category, language, float(weight), compiled))
    return tuple(patterns)


def is_negation(word: str) -> bool:
    return word in NEGATIONS or word.endswith("n't") or word.startswith("n'")


def says_self_held(clause: list[Word]) -> bool:
    return any(
        word.text in SELF_HELD or (word.text in SELF_AFTER_PRONOUN and index and clause[index - 1].text in PRONOUNS)
        for index, word in enumerate(clause)
    )


def find_hits(patterns: tuple[Pattern, ...], folded: str, folded_words: list[Word], language: str | None) -> list[Hit]:
    """Every match of the lexicon in the folded text, in the given language (every language when it is unknown)."""
    starts = clause_starts(folded)
    hits = []
    for pattern in patterns:
        if language is not None and pattern.language != language:
            continue
        for match in pattern.regex.finditer(folded):
            negated = _negated(folded_words, starts, match.start(), match.end())
            hits.append(Hit(pattern.category, pattern.weight, match.start(), match.end(), negated))
    return hits


def _negated(folded_words: list[Word], starts: list[int], start: int, end: int) -> bool:
    clause_start = max(offset for offset in starts if offset <= start)
    clause_end = min((offset for offset in starts if offset > end), default=None)
    inside = [word.text for word in folded_words if word.start >= start and word.end <= end]
    clause = [
        word for word in folded_words
        if word.start >= clause_start and (clause_end is None or word.end <= clause_end)
    ]
    if says_self_held(clause):
        return True
    if inside and is_negation(inside[0]):
        return False
    before = [word.text for word in clause if word.end <= start][-NEGATION_WINDOW:]
    return any(is_negation(word) for word in before)
