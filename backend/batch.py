"""What a set-based domain operation returns: for each row of the batch, what it did or why not.

Shared by the set-based services of every app (audits' findings and grievances, graph's network batch) so that
mutations and imports read one result shape. A GraphQL mutation calls an operation with a batch of one and turns
a refusal into the mutation's `errors` (`BatchResult.raise_refused`); an import calls it with thousands of rows,
indexed by their row numbers, and turns each refusal into a problem of that row. Under the default policy
(ALL_OR_NOTHING) the caller writes nothing when anything is refused; REJECT_FAILED_ROWS writes the rows that passed.
"""

from dataclasses import dataclass, field
from enum import StrEnum

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError


class Outcome(StrEnum):
    CREATED = "created"
    UPDATED = "updated"
    UNCHANGED = "unchanged"


class ErrorPolicy(StrEnum):
    ALL_OR_NOTHING = "all_or_nothing"
    REJECT_FAILED_ROWS = "reject_failed_rows"


@dataclass(frozen=True, slots=True)  # an import holds one per row and entity
class Credit:
    """Row `index` creates, updates or leaves unchanged one object of `entity` ("finding", "link", ...)."""

    index: int
    entity: str
    outcome: Outcome


@dataclass(frozen=True, slots=True)
class Refusal:
    """Row `index` breaks a rule: `field` names the input field (None for the whole row), `code` the rule;
    `value` is the value refused, when it is not simply the row's input for `field` (an import shows it)."""

    index: int
    field: str | None
    code: str
    message: str
    value: object = None


@dataclass
class BatchResult:
    credits: list[Credit] = field(default_factory=list)
    refusals: list[Refusal] = field(default_factory=list)

    def credit(self, index: int, entity: str, outcome: Outcome) -> None:
        self.credits.append(Credit(index, entity, outcome))

    def refuse(self, index: int, field_name: str | None, code: str, message: str, value=None) -> None:
        self.refusals.append(Refusal(index, field_name, code, message, value))

    def refuse_error(self, index: int, error: ValidationError) -> None:
        """Record every message of a service's ValidationError as refusals of row `index`."""
        mapping = error.error_dict if hasattr(error, "error_dict") else {NON_FIELD_ERRORS: error.error_list}
        for name, errors in mapping.items():
            for item in errors:
                message = item.message % item.params if item.params else item.message
                self.refuse(index, None if name == NON_FIELD_ERRORS else name, item.code or "invalid", str(message))

    @property
    def refused_rows(self) -> set[int]:
        return {refusal.index for refusal in self.refusals}

    def count(self, outcome: Outcome, entity: str | None = None) -> int:
        return sum(1 for c in self.credits if c.outcome == outcome and (entity is None or c.entity == entity))

    def raise_refused(self) -> None:
        """Raise the refusals as one ValidationError keyed by field (how a mutation reports a batch of one)."""
        if not self.refusals:
            return
        errors: dict[str, list[ValidationError]] = {}
        for refusal in self.refusals:
            errors.setdefault(refusal.field or NON_FIELD_ERRORS, []).append(
                ValidationError(refusal.message, code=refusal.code))
        raise ValidationError(errors)
