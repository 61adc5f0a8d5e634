"""Precision, recall and F1 of a suggester on labelled records: per category, per language and overall (micro).

A suggestion counts when its confidence reaches the suggester's threshold (the suggesters only return those);
a record's predicted set is compared with its labels, so a text labelled with nothing (a negation) scores a false
positive for every category suggested for it."""

from collections import Counter
from dataclasses import dataclass

from audits.suggestions.devset import Record


@dataclass(frozen=True)
class Score:
    true_positives: int
    false_positives: int
    false_negatives: int

    @property
    def precision(self) -> float:
        predicted = self.true_positives + self.false_positives
        return self.true_positives / predicted if predicted else 0.0

    @property
    def recall(self) -> float:
        actual = self.true_positives + self.false_negatives
        return self.true_positives / actual if actual else 0.0

    @property
    def f1(self) -> float:
        total = 2 * self.true_positives + self.false_positives + self.false_negatives
        return 2 * self.true_positives / total if total else 0.0


@dataclass(frozen=True)
class Report:
    overall: Score
    by_category: dict[str, Score]
    by_language: dict[str, Score]
    by_hardness: dict[str, Score]
    exact: float  # share of records whose suggested set equals their labels


def evaluate(suggester, records: list[Record]) -> Report:
    counts: dict[tuple[str, str], Counter] = {}
    exact = 0

    def add(group: str, key: str, outcome: str) -> None:
        counts.setdefault((group, key), Counter())[outcome] += 1

    for record in records:
        predicted = {suggestion.category for suggestion in suggester.suggest(record.text)}
        actual = set(record.labels)
        exact += predicted == actual
        outcomes = [("tp", c) for c in predicted & actual] + [("fp", c) for c in predicted - actual]
        outcomes += [("fn", c) for c in actual - predicted]
        for outcome, category in outcomes:
            add("all", "all", outcome)
            add("category", category, outcome)
            add("language", record.language, outcome)
            add("hard", record.hard or "plain", outcome)
        for group, key in (("language", record.language), ("hard", record.hard or "plain"), ("all", "all")):
            counts.setdefault((group, key), Counter())

    def score(counter: Counter) -> Score:
        return Score(counter["tp"], counter["fp"], counter["fn"])

    def grouped(group: str) -> dict[str, Score]:
        return {key: score(counter) for (name, key), counter in sorted(counts.items()) if name == group}

    return Report(
        score(counts.get(("all", "all"), Counter())), grouped("category"), grouped("language"), grouped("hard"),
        exact / len(records) if records else 0.0,
    )
