"""Enums of the supply-network API."""

import enum

import graphene

from graph.models import EvidenceLevel, SiteKind

SiteKindEnum = graphene.Enum.from_enum(SiteKind, description=lambda v: v.label if v else "Kind of site.")
EvidenceLevelEnum = graphene.Enum.from_enum(EvidenceLevel, description=lambda v: v.label if v else "How a link is known.")


class GraphErrorCode(graphene.Enum):
    """Why a supply-network mutation was refused."""

    INVALID = "invalid"
    REQUIRED = "required"
    NOT_FOUND = "not_found"
    UNIQUE = "unique"
    SELF_LOOP = "self_loop"
    OUT_OF_RANGE = "out_of_range"
    INVALID_COUNTRY = "invalid_country"
    INVALID_SUBDIVISION = "invalid_subdivision"
    IN_USE = "in_use"
    NOT_EDITABLE = "not_editable"

    @property
    def description(self):
        return {
            "INVALID": "The value is not acceptable.",
            "REQUIRED": "A required value is missing.",
            "NOT_FOUND": "The ID does not exist or is not visible to you.",
            "UNIQUE": "The value is already used by another entry.",
            "SELF_LOOP": "A link from a site to itself.",
            "OUT_OF_RANGE": "A number outside its allowed range (e.g. a share outside 0–1).",
            "INVALID_COUNTRY": "Not an ISO 3166-1 alpha-2 country code.",
            "INVALID_SUBDIVISION": "Not an ISO 3166-2 subdivision of the country.",
            "IN_USE": "Deleting it would orphan data that still refers to it.",
            "NOT_EDITABLE": "A shared registry entry that only its registrant can change.",
        }[self.name]


def sort_field_enum(name: str, noun: str, fields: list[str]) -> type[graphene.Enum]:
    """A `<X>SortField` enum whose values are ORM sort keys (see sorters.py) and describe themselves."""
    python_enum = enum.Enum(name, {field.upper(): field for field in fields})
    return graphene.Enum.from_enum(
        python_enum,
        description=lambda value: f"Fields a list of {noun} can be sorted by." if value is None
        else f"Sort by {value.value.replace('_', ' ')}{' (your propagated score)' if value.value.endswith('risk') else ''}.",
    )


SiteSortField = sort_field_enum(
    "SiteSortField", "sites", ["name", "country", "tier", "created_at", "child_labour_risk", "forced_labour_risk"]
)
SupplierSortField = sort_field_enum("SupplierSortField", "suppliers", ["name", "country", "created_at"])
SupplyLinkSortField = sort_field_enum("SupplyLinkSortField", "supply links", ["share", "created_at"])
