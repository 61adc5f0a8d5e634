"""The suggester on its own (no database): negations, indicators named without their keyword, the four languages,
evidence that points at the words as written, determinism, failing open, and the goal on the held-out split."""

import logging

import numpy as np
import pytest

import audits.suggestions as suggestions
from audits.suggestions import DATA_DIR, devset
from audits.suggestions.engine import ModelSuggester, build
from audits.suggestions.evaluation import evaluate
from audits.suggestions.lexicon import load_patterns


def categories(text: str, language: str | None = None) -> list[str]:
    found = suggestions.suggest(text, language)
    assert found is not None, "the suggester should load from the repository's data"
    return [suggestion.category for suggestion in found]


@pytest.mark.parametrize("text", [
    "We keep our passports ourselves.",
    "Nobody at the plantation has ever taken our passports.",
    "Le patron ne garde pas nos passeports.",
    "Guardamos nuestros pasaportes nosotros mismos.",
    "Ninguém retém os nossos documentos.",
])
def test_a_negated_indicator_is_not_suggested(text):
    # Given a text that denies the retention of documents; when suggesting; then it is not suggested
    assert "retention_of_identity_documents" not in categories(text)


def test_the_same_words_without_the_negation_are_suggested():
    # Given the affirmative of the negated text above; then retention is the first suggestion
    assert categories("The supervisor keeps our passports.")[0] == "retention_of_identity_documents"


@pytest.mark.parametrize("text, expected", [
    ("The supervisor keeps our cards in his office.", "retention_of_identity_documents"),
    ("The recruitment fee is taken from each month's pay.", "debt_bondage"),
    ("We were told the job was in a shop in the city, but they sent us to a quarry.", "deception"),
    ("The foreman collected everyone's phones on the first night.", "isolation"),
])
def test_an_indicator_named_without_its_keyword_is_suggested(text, expected):
    assert expected in categories(text)


@pytest.mark.parametrize("language, text, expected", [
    ("en", "The manager threatened to report us to immigration if we complained.", "intimidation_threats"),
    ("fr", "Les ouvriers dorment à trente dans un hangar insalubre, sans eau potable.", "abusive_conditions"),
    ("es", "Una niña de doce años trabaja en la cosecha de café.", "below_minimum_age"),
    ("pt", "Os salários estão atrasados há quatro meses e ninguém explica quando vamos receber.", "withholding_of_wages"),
])
def test_each_language(language, text, expected):
    # Given a text in each of the four languages; then its category is suggested, told the language or not
    assert expected in categories(text, language)
    assert expected in categories(text)


def test_suggestions_are_ranked_with_evidence_pointing_at_the_words_as_written():
    text = "Le contremaître a confisqué nos passeports et nous menace de nous dénoncer à la police."
    found = suggestions.suggest(text)
    confidences = [suggestion.confidence for suggestion in found]
    assert confidences == sorted(confidences, reverse=True) and all(0 < c <= 1 for c in confidences)
    by_category = {suggestion.category: suggestion for suggestion in found}
    assert {"retention_of_identity_documents", "intimidation_threats"} <= set(by_category)
    for suggestion in found:
        assert suggestion.evidence
        for evidence in suggestion.evidence:
            assert text[evidence.start:evidence.end] == evidence.text
    assert any("confisqué" in e.text for e in by_category["retention_of_identity_documents"].evidence)


def test_an_unknown_language_is_refused():
    with pytest.raises(ValueError, match="language"):
        suggestions.suggest("Some text", "de")


def test_the_model_is_built_the_same_every_time():
    first, second = build(DATA_DIR), build(DATA_DIR)
    assert first.model.vocabulary == second.model.vocabulary
    assert np.array_equal(first.model.weights, second.model.weights)


@pytest.mark.parametrize("breakage", ["missing folder", "broken lexicon"])
def test_the_suggester_fails_open_and_logs_when_it_cannot_load(breakage, tmp_path, monkeypatch, caplog):
    # Given a data folder that is missing, or whose lexicon is not valid
    if breakage == "broken lexicon":
        (tmp_path / "lexicon.txt").write_text("deception en 1.0 (unclosed\n", encoding="utf-8")
        (tmp_path / "devset.jsonl").write_text((DATA_DIR / "devset.jsonl").read_text(encoding="utf-8"), encoding="utf-8")
        data_dir = tmp_path
    else:
        data_dir = tmp_path / "nowhere"
    monkeypatch.setattr(suggestions, "DATA_DIR", data_dir)
    # When suggesting; then there are no suggestions (None, not an exception) and the failure is logged
    with caplog.at_level(logging.ERROR, logger="audits.suggestions"):
        assert suggestions.suggest("The boss keeps our passports.") is None
    assert "suggestions unavailable" in caplog.text


def test_the_goal_is_met_on_the_held_out_split():
    # Given the model trained on the training split only; when measured on the held-out split
    records = devset.load(DATA_DIR / "devset.jsonl")
    train = [record for record in records if record.split == "train"]
    held_out = [record for record in records if record.split == "heldout"]
    model = ModelSuggester.trained(load_patterns(DATA_DIR / "lexicon.txt"), train)
    report = evaluate(model, held_out)
    # Then micro-F1 is at least 0.6 and every language's F1 at least 0.5, and no negation gets more than 2 suggestions
    assert report.overall.f1 >= 0.6
    assert set(report.by_language) == {"en", "fr", "es", "pt"}
    assert all(score.f1 >= 0.5 for score in report.by_language.values())
    assert report.by_hardness["negation"].false_positives <= 2
