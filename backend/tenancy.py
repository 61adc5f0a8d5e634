"""The tenancy chokepoint: every read of tenant data goes through `visible()` or `owned()`.

Two questions, kept apart because their answers differ:

- `visible(Model, viewer)`: the rows the viewer may SEE. Each tenant-aware model's queryset implements
  `visible_to(viewer)`: a company sees public and granted registry sites beside its own network, an audit firm
  sees the assignments made to it.
- `owned(Model, viewer)`: the rows the viewer's organization OWNS: those it may change or delete, and the scope
  in which its own references (internal refs, link external refs) must be unique. The model's queryset implements
  `owned_by(organization)`: a company owns its network entries and links, and the assignments it made, not the
  registry sites it sees; an audit firm owns the shares it granted. For a company's own rows (network entries,
  links, scores) the two sets coincide; the name says which question a line asks.

Resolvers, `get_queryset`/`get_node`, dataloaders, mutation lookups and services call these, never
`.filter(organization=…)` by hand (tests/backend/test_tenancy_chokepoint.py enforces it), so the rule of who sees
or owns what is written once per model. A write stamps its owner explicitly (`create(company=viewer.organization)`).
The users of an organization are `organization.users`, the reverse of `User.organization`.
The risk engine's computations keyed by a company (graph/services/risk_*.py) are not reads on a viewer's behalf:
they run for one company, inside a task, on the rows that company owns.
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
    queryset = as_queryset(model_or_queryset)
    if viewer is None:
        return queryset.none()
    if getattr(queryset, SCOPED_FOR, None) == viewer:
        return queryset
    scoped = queryset.visible_to(viewer)
    setattr(scoped, SCOPED_FOR, viewer)
    return scoped


def owned(model_or_queryset, viewer: Viewer | None) -> models.QuerySet:
    """The rows of a model (or a narrower queryset) the viewer's organization owns; nothing for an anonymous viewer."""
    queryset = as_queryset(model_or_queryset)
    if viewer is None:
        return queryset.none()
    return queryset.owned_by(viewer.organization)


def as_queryset(model_or_queryset) -> models.QuerySet:
    """A model, its manager or a queryset, as a queryset."""
    if isinstance(model_or_queryset, models.QuerySet):
        return model_or_queryset
    if isinstance(model_or_queryset, models.Manager):
        return model_or_queryset.all()
    return model_or_queryset._default_manager.all()


def reached_from_visible(model, keys) -> dict:
    """Rows of `model` by primary key, for the two relations whose targets the rules grant through their source.

    The sources come from `visible()`, and the rules already make the targets visible: a supplier operating a site
    you see is visible to you (`SupplierQuerySet.visible_to`), and both ends of one of your links are sites of your
    network (a link adds its sites to it; a site leaves it only when no link of yours uses it). Evaluating the rule
    again for them would cost a page two queries full of subqueries and change nothing. No other relation uses this.
    """
    return model._default_manager.in_bulk(keys)
