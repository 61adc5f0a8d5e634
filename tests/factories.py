"""Building small supply networks for tests through the same services the API uses."""

from backend.tenancy import Viewer
from graph import services
from graph.models import Commodity


def commodity(code: str = "cotton") -> Commodity:
    return Commodity.objects.get(code=code)


def add_site(user, name: str, country: str = "IN", **extra):
    internal_ref = extra.pop("internal_ref", None)
    data = {"name": name, "country": country, "kind": extra.pop("kind", "facility"), **extra}
    return services.register_site(Viewer.of(user), data, commodities=[commodity()], internal_ref=internal_ref)


def add_link(user, upstream, downstream=None, share=None, code: str = "cotton"):
    data = {"upstream": upstream, "downstream": downstream, "commodity": commodity(code), "share": share,
            "evidence_level": "declared"}
    return services.create_link(Viewer.of(user), data)


def chain(user, names: list[str], country: str = "IN") -> list:
    """A straight chain names[0] → names[1] → … → the company; returns the sites, most upstream first."""
    sites = [add_site(user, name, country) for name in names]
    for upstream, downstream in zip(sites, sites[1:]):
        add_link(user, upstream, downstream, share=0.5)
    add_link(user, sites[-1], None, share=0.5)
    return sites
