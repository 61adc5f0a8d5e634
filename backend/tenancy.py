"""The tenancy chokepoint: every read of tenant data goes through `visible()`.

Each tenant-aware model's queryset implements `visible_to(viewer)`. Resolvers, `get_queryset`/`get_node`,
dataloaders and mutation lookups call `visible()`, never `.filter(organization=…)` by hand, so the rule of who
sees what is written once per model and enforced everywhere.
"""

from dataclasses import dataclass

from django.db import models

from backend.models import Organization, User


@dataclass(frozen=True)
class Viewer:
    """Who is asking: the authenticated user, their organization and role."""

    user: User
    organization: Organization

    @property
    def role(self) -> str:
        return self.user.role

    @classmethod
    def of(cls, user) -> "Viewer | None":
        """The viewer for an authenticated user that belongs to an organization, else None."""
        if user is None or not user.is_authenticated or user.organization_id is None:
            return None
        return cls(user=user, organization=user.organization)


def viewer_of_request(request) -> "Viewer | None":
    """The viewer of an HTTP request, computed once and kept on the request."""
    if not hasattr(request, "_tributary_viewer"):
        request._tributary_viewer = Viewer.of(getattr(request, "user", None))
    return request._tributary_viewer


SCOPED_FOR = "_tributary_scoped_for"


def visible(model_or_queryset, viewer: Viewer | None) -> models.QuerySet:
    """The rows of a model (or a narrower queryset) the viewer may see; nothing for an anonymous viewer.

    Idempotent: a queryset that `visible()` itself returned for this viewer comes back as it is (a connection
    scopes its resolver's queryset again in `get_queryset`; the rule would otherwise be compiled twice). Any
    further `filter()` or `order_by()` makes a new queryset without the mark, which is scoped again.
    """
    if isinstance(model_or_queryset, models.QuerySet):
        queryset = model_or_queryset
    elif isinstance(model_or_queryset, models.Manager):
        queryset = model_or_queryset.all()
    else:
        queryset = model_or_queryset._default_manager.all()
    if viewer is None:
        return queryset.none()
    if getattr(queryset, SCOPED_FOR, None) == viewer:
        return queryset
    scoped = queryset.visible_to(viewer)
    setattr(scoped, SCOPED_FOR, viewer)
    return scoped


def reached_from_visible(model, keys) -> dict:
    """Rows of `model` by primary key, for the two relations whose targets the rules grant through their source.

    The sources come from `visible()`, and the rules already make the targets visible: a supplier operating a site
    you see is visible to you (`SupplierQuerySet.visible_to`), and both ends of one of your links are sites of your
    network (a link adds its sites to it; a site leaves it only when no link of yours uses it). Evaluating the rule
    again for them would cost a page two queries full of subqueries and change nothing. No other relation uses this.
    """
    return model._default_manager.in_bulk(keys)
