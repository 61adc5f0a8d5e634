"""Enums of the imports API."""

import graphene

from imports.models import Kind, Phase, Status

ImportKindEnum = graphene.Enum.from_enum(Kind, description=lambda v: v.label if v else "A kind of spreadsheet import.")
ImportStatusEnum = graphene.Enum.from_enum(Status, description=lambda v: v.label if v else "Where an import job stands.")
ImportPhaseEnum = graphene.Enum.from_enum(Phase, description=lambda v: v.label if v else "What a running job is doing.")


class ImportProblemSeverity(graphene.Enum):
    """How much a problem matters."""

    ERROR = "error"
    WARNING = "warning"

    @property
    def description(self):
        if self == ImportProblemSeverity.ERROR:
            return "The row (or file) is rejected: nothing can be committed until it is fixed."
        return "Reported only: nothing is rejected (e.g. a column that is not imported)."


class ImportErrorCode(graphene.Enum):
    """Why an imports mutation was refused."""

    INVALID = "invalid"
    REQUIRED = "required"
    NOT_FOUND = "not_found"
    TOO_LARGE = "too_large"
    KIND_NOT_ALLOWED = "kind_not_allowed"
    HAS_PROBLEMS = "has_problems"
    NEEDS_REVIEW = "needs_review"
    BUSY = "busy"
    NOT_A_CANDIDATE = "not_a_candidate"

    @property
    def description(self):
        return {
            "INVALID": "The value is not acceptable.",
            "REQUIRED": "A required value is missing.",
            "NOT_FOUND": "The ID does not exist or is not visible to you.",
            "TOO_LARGE": "The file is larger than the upload limit (50 MB).",
            "KIND_NOT_ALLOWED": "Your kind of organization does not import this kind of file.",
            "HAS_PROBLEMS": "The file has problems (see the job's problems); upload a corrected file.",
            "NEEDS_REVIEW": "Some uploaded sites wait for a decision (see resolutionCandidates).",
            "BUSY": "The job is being validated or committed right now.",
            "NOT_A_CANDIDATE": "The site chosen is not one of the candidates offered for that row.",
        }[self.name]
