"""What a report is about: its scope (the company, one supplier or one site) and its period, checked once here
for the API and the shell alike."""

import datetime
from dataclasses import dataclass

from django.utils import timezone

from backend.errors import field_error
from backend.tenancy import Viewer, visible
from exports.models import ReportScope
from graph.models import Site, Supplier

MAX_PERIOD_DAYS = 366 * 5  # a trend by month over at most five years stays a readable chart


@dataclass(frozen=True)
class ReportParameters:
    """The scope and the period of a report; `scope_id` is the supplier's or the site's primary key."""

    scope: str
    scope_id: int | None
    period_from: datetime.date
    period_to: datetime.date

    def as_json(self) -> dict:
        return {"scope": self.scope, "scope_id": self.scope_id, "period_from": self.period_from.isoformat(),
                "period_to": self.period_to.isoformat()}

    @classmethod
    def from_json(cls, data: dict) -> "ReportParameters":
        return cls(scope=data["scope"], scope_id=data["scope_id"],
                   period_from=datetime.date.fromisoformat(data["period_from"]),
                   period_to=datetime.date.fromisoformat(data["period_to"]))


def default_period(today: datetime.date | None = None) -> tuple[datetime.date, datetime.date]:
    """The calendar year so far: 1 January to today."""
    today = today or timezone.localdate()
    return datetime.date(today.year, 1, 1), today


def checked(viewer: Viewer, scope: str, scope_id: int | None, period_from: datetime.date | None,
            period_to: datetime.date | None) -> ReportParameters:
    """The parameters, once the scope names a supplier or site the viewer sees (a foreign one is "not found", like
    a missing one) and the period runs forwards for at most MAX_PERIOD_DAYS."""
    if scope not in ReportScope.values:
        raise field_error("scope", f"The scope must be one of {', '.join(ReportScope.values)}, not '{scope}'.", "invalid")
    if scope == ReportScope.COMPANY:
        scope_id = None
    else:
        model = Supplier if scope == ReportScope.SUPPLIER else Site
        if scope_id is None or not visible(model, viewer).filter(pk=scope_id).exists():
            raise field_error("scope_id", f"No {model.__name__} with this ID exists or it is not visible to you.",
                              "not_found")
    default_from, default_to = default_period()
    period_from, period_to = period_from or default_from, period_to or default_to
    if period_to < period_from:
        raise field_error("period_to", f"The period ends ({period_to}) before it begins ({period_from}).", "invalid")
    if (period_to - period_from).days > MAX_PERIOD_DAYS:
        raise field_error("period_to", f"A report covers at most {MAX_PERIOD_DAYS} days; this period has "
                          f"{(period_to - period_from).days}.", "invalid")
    return ReportParameters(scope, scope_id, period_from, period_to)
