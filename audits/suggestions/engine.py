"""The suggesters: the lexicon alone, the linear model over the lexicon and the words (the one in use), and the
keyword baseline they are measured against (bench/suggest.py). Each takes a text and gives ranked suggestions."""

import math
from dataclasses import dataclass
from pathlib import Path

from audits.suggestions import devset
from audits.suggestions.features import text_features
from audits.suggestions.lexicon import Hit, Pattern, find_hits, load_patterns
from audits.suggestions.model import LinearModel, train
from audits.suggestions.text import LANGUAGES, Word, fold, words

CATEGORIES = (
    "abuse_of_vulnerability", "deception", "restriction_of_movement", "isolation", "physical_sexual_violence",
    "intimidation_threats", "retention_of_identity_documents", "withholding_of_wages", "debt_bondage",
    "abusive_conditions", "excessive_overtime", "below_minimum_age", "hazardous_child_work",
    "worst_forms_child_labour", "young_worker_protections", "freedom_of_association", "discrimination",
    "health_safety", "wages", "working_hours",
)
THRESHOLD = 0.4  # a category is suggested from this confidence on
MAX_SUGGESTIONS = 5
MAX_TEXT = 20_000  # characters read of a text: the rest cannot change a suggestion enough to pay for reading it
MAX_EVIDENCE = 4


@dataclass(frozen=True)
class Evidence:
    """Words of the text that support a suggestion: `text[start:end]` of the text as given."""

    text: str
    start: int
    end: int


@dataclass(frozen=True)
class Suggestion:
    category: str
    confidence: float
    evidence: tuple[Evidence, ...]


@dataclass(frozen=True)
class ReadText:
    """A text as every suggester reads it."""

    original: str
    folded: str
    words: list[Word]
    language: str | None


def read(text: str, language: str | None) -> ReadText:
    if language is not None and language not in LANGUAGES:
        raise ValueError(f"language must be one of {', '.join(LANGUAGES)}, not {language!r}")
    original = text[:MAX_TEXT]
    folded = fold(original)
    return ReadText(original, folded, words(folded), language)


class LexiconSuggester:
    """The lexicon alone: a category's confidence is 1 - Π(1 - 0.8 · weight) over its matches that no negation
    reaches (0.8: one match, however strong, is not certainty; two strong ones give 0.96)."""

    def __init__(self, patterns: tuple[Pattern, ...]):
        self.patterns = patterns

    def suggest(self, text: str, language: str | None = None) -> list[Suggestion]:
        source = read(text, language)
        found: dict[str, list[Hit]] = {}
        for hit in find_hits(self.patterns, source.folded, source.words, source.language):
            if not hit.negated:
                found.setdefault(hit.category, []).append(hit)
        suggestions = []
        for category, hits in found.items():
            confidence = 1.0 - math.prod(1.0 - 0.8 * hit.weight for hit in hits)
            if confidence < THRESHOLD:
                continue
            spans = [Evidence(source.original[hit.start:hit.end], hit.start, hit.end) for hit in hits]
            suggestions.append(Suggestion(category, round(confidence, 3), tuple(_distinct(spans))))
        return _ranked(suggestions)


class ModelSuggester:
    """The linear model (model.py) over the lexicon's verdicts and the word stems; the evidence is the lexicon's
    matches for the category, then the words that add most to its score."""

    def __init__(self, patterns: tuple[Pattern, ...], model: LinearModel, use_lexicon: bool = True):
        self.patterns = patterns
        self.model = model
        self.use_lexicon = use_lexicon

    @classmethod
    def trained(cls, patterns: tuple[Pattern, ...], records: list[devset.Record], use_lexicon: bool = True) -> "ModelSuggester":
        # each training text is read in its own language: four times fewer patterns to run while loading
        rows = [_features(patterns, read(record.text, record.language), use_lexicon).values for record in records]
        model = train(rows, [set(record.labels) for record in records], CATEGORIES)
        return cls(patterns, model, use_lexicon)

    def suggest(self, text: str, language: str | None = None) -> list[Suggestion]:
        source = read(text, language)
        features = _features(self.patterns, source, self.use_lexicon)
        confidences = self.model.confidences(features.values)
        suggestions = []
        for index, category in enumerate(self.model.categories):
            if confidences[index] < THRESHOLD:
                continue
            evidence = self._evidence(source, features, index, category)
            suggestions.append(Suggestion(category, round(float(confidences[index]), 3), evidence))
        return _ranked(suggestions)

    def _evidence(self, source: ReadText, features: "_Features", index: int, category: str) -> tuple[Evidence, ...]:
        spans = [
            Evidence(source.original[hit.start:hit.end], hit.start, hit.end)
            for hit in features.hits if hit.category == category and not hit.negated
        ]
        contributions = self.model.contributions(features.values, index)
        for name in sorted(features.words_of, key=lambda name: -contributions.get(name, 0.0)):
            if len(spans) >= MAX_EVIDENCE or contributions.get(name, 0.0) <= 0:
                break
            word = features.words_of[name][0]
            spans.append(Evidence(source.original[word.start:word.end], word.start, word.end))
        return tuple(_distinct(spans))[:MAX_EVIDENCE]


@dataclass(frozen=True)
class _Features:
    values: dict[str, float]
    words_of: dict[str, list[Word]]
    hits: list[Hit]


def _features(patterns: tuple[Pattern, ...], source: ReadText, use_lexicon: bool) -> _Features:
    hits = find_hits(patterns, source.folded, source.words, source.language) if use_lexicon else []
    features = text_features(source.folded, source.words, hits)
    return _Features(features.values, features.words_of, hits)


def _distinct(spans: list[Evidence]) -> list[Evidence]:
    """Spans in reading order, without one that lies inside another."""
    kept: list[Evidence] = []
    for span in sorted(spans, key=lambda span: (span.start, -span.end)):
        if not any(other.start <= span.start and span.end <= other.end for other in kept):
            kept.append(span)
    return kept


def _ranked(suggestions: list[Suggestion]) -> list[Suggestion]:
    return sorted(suggestions, key=lambda suggestion: (-suggestion.confidence, suggestion.category))[:MAX_SUGGESTIONS]


def build(data_dir: Path, split: str | None = None) -> ModelSuggester:
    """The suggester in use, trained on the development set (one split of it, or all of it)."""
    patterns = load_patterns(data_dir / "lexicon.txt")
    return ModelSuggester.trained(patterns, devset.load(data_dir / "devset.jsonl", split))
