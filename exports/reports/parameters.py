"""What a report is about: its scope (the company, one supplier or one site) and its period, checked once here
for the API and the shell alike."""

import dataclasses
import datetime
from dataclasses import dataclass

from django.utils import timezone

from backend.errors import field_error
from backend.tenancy import Viewer, visible
from exports.models import DisclosureFramework, ReportScope
from exports.reports.frameworks import FRAMEWORKS, framework_of
from graph.models import Commodity, Site, Supplier

MAX_PERIOD_DAYS = 366 * 5  # a trend by month over at most five years stays a readable chart


@dataclass(frozen=True)
class ReportParameters:
    """The scope and the period of a report; `scope_id` is the supplier's or the site's primary key. A disclosure
    report also names its framework (exports/reports/frameworks.py) and, for the EU FLR evidence pack, the code of
    its commodity."""

    scope: str
    scope_id: int | None
    period_from: datetime.date
    period_to: datetime.date
    framework: str | None = None
    commodity: str | None = None

    def as_json(self) -> dict:
        return {"scope": self.scope, "scope_id": self.scope_id, "period_from": self.period_from.isoformat(),
                "period_to": self.period_to.isoformat(), "framework": self.framework, "commodity": self.commodity}

    @classmethod
    def from_json(cls, data: dict) -> "ReportParameters":
        return cls(scope=data["scope"], scope_id=data["scope_id"],
                   period_from=datetime.date.fromisoformat(data["period_from"]),
                   period_to=datetime.date.fromisoformat(data["period_to"]),
                   framework=data.get("framework"), commodity=data.get("commodity"))


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
    check_period(period_from, period_to)
    return ReportParameters(scope, scope_id, period_from, period_to)


def with_framework(parameters: ReportParameters, disclosure: bool, framework: str | None,
                   commodity: str | None) -> ReportParameters:
    """The parameters of a disclosure report with its framework and commodity checked; other reports take none."""
    if disclosure:
        return checked_disclosure(parameters, framework, commodity)
    if framework or commodity:
        raise field_error("framework" if framework else "commodity",
                          "Only disclosure reports take a framework or a commodity.", "invalid")
    return parameters


def checked_disclosure(parameters: ReportParameters, framework: str | None,
                       commodity: str | None) -> ReportParameters:
    """A disclosure covers the whole company in one framework; the EU FLR evidence pack names a commodity of the
    reference list (the other frameworks take none)."""
    if framework is None:
        raise field_error("framework", f"A disclosure report needs a framework: one of {', '.join(FRAMEWORKS)}.",
                          "invalid")
    framework_of(framework)
    if parameters.scope != ReportScope.COMPANY:
        raise field_error("scope", "A disclosure report covers the whole company.", "invalid")
    if framework == DisclosureFramework.EU_FLR:
        if not commodity or not Commodity.objects.filter(code=commodity).exists():
            raise field_error("commodity", f"The EU FLR evidence pack needs the code of a commodity of the reference "
                              f"list (commodities query), not '{commodity or ''}'.", "invalid")
    elif commodity:
        raise field_error("commodity", f"Only the EU_FLR evidence pack is per commodity, not {framework}.", "invalid")
    return dataclasses.replace(parameters, framework=framework, commodity=commodity)


def check_period(period_from: datetime.date, period_to: datetime.date) -> None:
    """A period runs forwards, for at most MAX_PERIOD_DAYS."""
    if period_to < period_from:
        raise field_error("period_to", f"The period ends ({period_to}) before it begins ({period_from}).", "invalid")
    if (period_to - period_from).days > MAX_PERIOD_DAYS:
        raise field_error("period_to", f"A report covers at most {MAX_PERIOD_DAYS} days; this period has "
                          f"{(period_to - period_from).days}.", "invalid")
