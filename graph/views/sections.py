"""Sections other apps add to the graph pages, as they add evidence to the risk engine (graph/services/evidence_feed.py).

The supply network does not know about audits: the audits app registers, in its AppConfig.ready(), providers for a
page ("dashboard": the cases waiting and overdue; "site": the site's findings, corrective actions and grievances).
A provider takes the request (its `viewer` set by `page()`) and the page's subject (the site; None on the dashboard)
and returns the sections it shows there, each read through the tenancy layer on that viewer's behalf.
"""

from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Section:
    """A section of a page: the template that draws it and what it draws."""

    template: str
    context: dict = field(default_factory=dict)


SectionProvider = Callable[[object, object], list[Section]]
_providers: dict[str, list[SectionProvider]] = {}


def register_sections(page: str, provider: SectionProvider) -> None:
    """Add a provider of sections to a page (once); called from an AppConfig.ready()."""
    providers = _providers.setdefault(page, [])
    if provider not in providers:
        providers.append(provider)


def sections_of(page: str, request, subject=None) -> list[Section]:
    return [section for provider in _providers.get(page, []) for section in provider(request, subject)]
