"""Disclosure reports built in-process, without a job: what the report jobs, the benchmark (bench/reports.py) and
tests call (`build_disclosure_pdf(organization, "UK_MSA", date_from, date_to)`). The parameters are checked as for
`reportGenerate`."""

import datetime

from backend.tenancy import Viewer
from exports.reports import parameters
from exports.reports.disclosure_gather import gather_disclosure
from exports.reports.disclosure_render import render_disclosure
from exports.reports.disclosure_xlsx import workbook_bytes
from exports.reports.parameters import ReportParameters


def disclosure_parameters(viewer: Viewer, framework: str, period_from: datetime.date | None = None,
                          period_to: datetime.date | None = None, commodity: str | None = None) -> ReportParameters:
    """The checked parameters of the viewer's company's disclosure in `framework` over the period."""
    company = parameters.checked(viewer, "company", None, period_from, period_to)
    return parameters.checked_disclosure(company, framework, commodity)


def disclosure_pdf(viewer: Viewer, parameters: ReportParameters) -> bytes:
    return render_disclosure(gather_disclosure(viewer, parameters))


def disclosure_workbook(viewer: Viewer, parameters: ReportParameters) -> bytes:
    return workbook_bytes(gather_disclosure(viewer, parameters))


def build_disclosure_pdf(organization, framework: str = "UK_MSA", period_from: datetime.date | None = None,
                         period_to: datetime.date | None = None, commodity: str | None = None) -> bytes:
    """The disclosure PDF of a company (an Organization) as the company as a whole sees its data."""
    viewer = Viewer(user=None, organization=organization)
    return disclosure_pdf(viewer, disclosure_parameters(viewer, framework, period_from, period_to, commodity))


def build_disclosure_workbook(organization, framework: str = "UK_MSA", period_from: datetime.date | None = None,
                              period_to: datetime.date | None = None, commodity: str | None = None) -> bytes:
    """The same report's figures as an XLSX workbook."""
    viewer = Viewer(user=None, organization=organization)
    return disclosure_workbook(viewer, disclosure_parameters(viewer, framework, period_from, period_to, commodity))
