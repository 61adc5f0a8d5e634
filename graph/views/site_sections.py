"""Sections other apps add to the site page, as they add evidence to the risk engine (graph/services/evidence_feed.py).

The supply network does not know about audits: the audits app registers, in its AppConfig.ready(), a provider that
takes the request (its `viewer` set by `page()`) and the site, and returns the sections it shows there (findings,
corrective actions, grievances), each read through the tenancy layer on that viewer's behalf.
"""

from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class SiteSection:
    """A section of the site page: the template that draws it and what it draws."""

    template: str
    context: dict = field(default_factory=dict)


SiteSectionProvider = Callable[[object, object], list[SiteSection]]
_providers: list[SiteSectionProvider] = []


def register_site_sections(provider: SiteSectionProvider) -> None:
    """Add a provider (once); called from an AppConfig.ready()."""
    if provider not in _providers:
        _providers.append(provider)


def site_sections(request, site) -> list[SiteSection]:
    return [section for provider in _providers for section in provider(request, site)]
