"""Suggested categories in the API: the suggestIndicators query, the suggestions of a grievance or finding, and the
optional suggestedCategories argument through which grievanceFile, findingCreate and findingUpdate record what the
person was shown beside what they chose (audits/services/suggestions.py)."""

import graphene

from audits.graphql.enums import FindingCategoryEnum
from audits.graphql.types.common import CategoryResolvers
from audits.services import suggestions as services
from audits.suggestions.engine import MAX_EVIDENCE, MAX_SUGGESTIONS
from audits.suggestions.text import LANGUAGES
from backend.graphql.errors import as_graphql_error
from backend.graphql.list_bounds import BoundedList
from backend.graphql.permissions import require_viewer


class SuggestionEvidenceType(graphene.ObjectType):
    """Words of the text that support a suggestion."""

    class Meta:
        name = "SuggestionEvidence"

    text = graphene.String(required=True, description="The words, as written in the text.")
    start = graphene.Int(required=True, description="Where they begin in the text (0-based character offset).")
    end = graphene.Int(required=True, description="Where they end (exclusive character offset).")


class CategorySuggestionType(CategoryResolvers, graphene.ObjectType):
    """One suggested category: a suggestion for a person to confirm or reject, never a category by itself."""

    class Meta:
        name = "CategorySuggestion"

    category = graphene.Field(FindingCategoryEnum, required=True, description="The suggested category.")
    category_label = graphene.String(required=True, description="The category's name.")
    confidence = graphene.Float(required=True, description="How confident the suggester is, from 0 to 1.")
    evidence = BoundedList(
        graphene.NonNull(SuggestionEvidenceType), MAX_EVIDENCE, required=True,
        description=f"The words of the text that support it, in reading order (at most {MAX_EVIDENCE}).",
    )


class SuggestionsType(graphene.ObjectType):
    """Suggested categories for a text, best first."""

    class Meta:
        name = "Suggestions"

    available = graphene.Boolean(
        required=True, description="False when the suggester could not be loaded: then there are no suggestions.")
    suggestions = BoundedList(
        graphene.NonNull(CategorySuggestionType), MAX_SUGGESTIONS, required=True,
        description=f"Suggested categories, most confident first (at most {MAX_SUGGESTIONS}).",
    )


def suggestions_field(noun: str):
    """The `suggestions` field of a grievance or finding: read from its description, which whoever sees the object
    already sees (and which never holds the reporter's identity, kept apart)."""

    def resolve(root, info):
        return services.suggest_for_description(root.description)

    return graphene.Field(
        SuggestionsType, required=True, resolver=resolve,
        description=f"Categories suggested from the {noun}'s description, for a person to confirm or reject.",
    )


def suggested_categories_argument():
    """The optional argument of the mutations that set a category: what suggestions the person was shown."""
    return graphene.List(
        graphene.NonNull(FindingCategoryEnum),
        description=f"The categories suggested to the person, best first (at most {services.MAX_SUGGESTED}), when "
                    "suggestions were shown: recorded with the category they chose.",
    )


class SuggestionQueries(graphene.ObjectType):
    suggest_indicators = graphene.Field(
        SuggestionsType, required=True,
        text=graphene.String(required=True, description=f"The text (at most {services.MAX_QUERY_TEXT:,} characters)."),
        language=graphene.String(description=f"Its language, one of {', '.join(LANGUAGES)}; leave out to read it in all four."),
        description="Categories suggested for a text (a grievance or finding description being written): ILO "
                    "forced-labour indicators, child-labour categories and other labour standards, each with a "
                    "confidence and the words behind it. Nothing is stored.",
    )

    @staticmethod
    @as_graphql_error
    def resolve_suggest_indicators(root, info, text, language=None):
        require_viewer(info)
        return services.suggest_for_text(text, language)
