"""What the linear model reads of a text: the lexicon's verdict for each category, and the text's word stems, alone
and in pairs, marked when a negation reaches them (Das and Chen's NOT_ marking), so that "keep our passports" and
"we keep our passports ourselves" are different evidence."""

from dataclasses import dataclass

from audits.suggestions.lexicon import Hit, is_negation, says_self_held
from audits.suggestions.text import Word, clause_starts

STEM_LENGTH = 6  # a crude stem shared by the four languages: "passeports", "passeport" and "passport" meet as "passep"/"passpo"


@dataclass(frozen=True)
class TextFeatures:
    """A text's features by name with their values, and the words behind each word feature (for the evidence)."""

    values: dict[str, float]
    words_of: dict[str, list[Word]]


def text_features(folded: str, folded_words: list[Word], hits: list[Hit]) -> TextFeatures:
    values: dict[str, float] = {}
    for hit in hits:
        name = f"neg:{hit.category}" if hit.negated else f"lex:{hit.category}"
        values[name] = max(values.get(name, 0.0), hit.weight)
    words_of: dict[str, list[Word]] = {}
    stems = _marked_stems(folded, folded_words)
    for index, (stem, word) in enumerate(stems):
        words_of.setdefault(f"w:{stem}", []).append(word)
        if index:
            words_of.setdefault(f"b:{stems[index - 1][0]}_{stem}", []).append(word)
    scale = 1.0 / max(len(words_of), 1) ** 0.5  # unit length, so long texts do not outvote the lexicon
    for name in words_of:
        values[name] = scale
    return TextFeatures(values, words_of)


def _marked_stems(folded: str, folded_words: list[Word]) -> list[tuple[str, Word]]:
    """Each word's stem, prefixed "not_" from a negation word to the end of its clause, or in a whole clause that
    says the workers hold the thing themselves."""
    starts = set(clause_starts(folded))
    clause_of, clause = [], 0
    boundaries = sorted(starts)
    for word in folded_words:
        while clause + 1 < len(boundaries) and boundaries[clause + 1] <= word.start:
            clause += 1
        clause_of.append(clause)
    clauses: dict[int, list[Word]] = {}
    for index, word in enumerate(folded_words):
        clauses.setdefault(clause_of[index], []).append(word)
    self_held = {clause for clause, members in clauses.items() if says_self_held(members)}
    marked, negated_clause = [], None
    for index, word in enumerate(folded_words):
        if is_negation(word.text):
            negated_clause = clause_of[index]
            continue
        negated = clause_of[index] == negated_clause or clause_of[index] in self_held
        stem = word.text[:STEM_LENGTH]
        marked.append((f"not_{stem}" if negated else stem, word))
    return marked
