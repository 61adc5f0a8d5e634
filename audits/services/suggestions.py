"""Suggested categories for the domain: for a text given by a person, for the description of a grievance or
finding the viewer can already see, and the record of what a person chose when shown suggestions.

The suggester (audits/suggestions/) only ever reads a description: never a reporter's name or contact, which a
grievance holds apart. Suggestions never set a category: the person's choice does, through the existing mutations,
and `record_decision` keeps what they were shown beside what they chose."""

from dataclasses import dataclass

from audits import suggestions as suggester
from audits.models import SuggestionDecision
from audits.suggestions.text import LANGUAGES
from audits.taxonomy import Category
from backend.errors import field_error

MAX_QUERY_TEXT = 10_000  # characters of text a person may send to be read (a finding's description holds as much)
MAX_SUGGESTED = 20  # categories a client may say it showed: there are 20 in the taxonomy


@dataclass(frozen=True)
class Suggested:
    """Suggestions for one text; `available` is false when the suggester could not be loaded (fail open)."""

    available: bool
    suggestions: tuple[suggester.Suggestion, ...]


def suggest_for_text(text: str, language: str | None = None) -> Suggested:
    """Suggestions for a text a person typed; the text's length and the language are checked first."""
    if len(text) > MAX_QUERY_TEXT:
        raise field_error("text", f"The text has {len(text):,} characters; at most {MAX_QUERY_TEXT:,} are read.", "too_long")
    if language is not None and language not in LANGUAGES:
        raise field_error("language", f"Language {language!r} is not one of {', '.join(LANGUAGES)}.", "invalid")
    return _suggested(text, language)


def suggest_for_description(description: str) -> Suggested:
    """Suggestions for a stored description, in whichever of the four languages it is written."""
    return _suggested(description[:MAX_QUERY_TEXT], None)


def _suggested(text: str, language: str | None) -> Suggested:
    found = suggester.suggest(text, language)
    return Suggested(available=found is not None, suggestions=tuple(found or ()))


def record_decision(viewer, subject, suggested: list[str] | None) -> SuggestionDecision | None:
    """Record that the viewer, shown `suggested` (best first), chose the category `subject` (a grievance or a
    finding, just filed or changed) now has; nothing when no suggestions were shown (`suggested` is None)."""
    if suggested is None:
        return None
    if len(suggested) > MAX_SUGGESTED:
        raise field_error("suggested_categories", f"At most {MAX_SUGGESTED} suggested categories, not {len(suggested)}.", "invalid")
    for position, category in enumerate(suggested):
        if category not in Category.values:
            raise field_error("suggested_categories", f"Suggested category {position + 1} ({category!r}) is not in the taxonomy.", "invalid")
    kind = "grievance" if subject._meta.model_name == "grievance" else "finding"
    return SuggestionDecision.objects.create(
        organization=viewer.organization, decided_by=viewer.user, suggested=list(dict.fromkeys(suggested)),
        chosen=subject.category, accepted=subject.category in suggested, **{kind: subject},
    )


MAX_IMPORT_NOTES = 500  # rows of one upload that get a suggestion: reading a description costs about a millisecond


class ImportNotes:
    """The suggestion an import's dry run reports for a row with a description and no category: the category code
    and confidence only (the description, which may hold a worker's words, is not repeated in the report), and
    never written as the row's category."""

    def __init__(self) -> None:
        self.left = MAX_IMPORT_NOTES

    def note(self, category: str | None, description: str | None) -> str | None:
        if category is not None or not description or self.left <= 0:
            return None
        self.left -= 1
        found = suggest_for_description(description).suggestions
        if not found:
            return None
        best = found[0]
        return (f"suggested category: {best.category} ({best.confidence:.2f}), {Category(best.category).label}; "
                "fill in the category to confirm it or choose another")
