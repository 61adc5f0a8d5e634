"""Per-request batch loaders that fetch a relation for a whole page of objects at once.

GraphQL resolves one object at a time; naively each `site.links` would be one SQL query (N+1). A connection
marks the objects of its page as *peers*; the first time a loader is asked for one object, it loads the
relation for every peer in one query and caches the answers on the request. Loaded related objects become
peers of each other, so nested relations batch too. Loaders live on the request, never at module level.
"""

from collections import defaultdict

from django.db.models import F, Window
from django.db.models.functions import RowNumber

PEERS_ATTR = "_tributary_peers"


def mark_peers(objects) -> list:
    """Remember that these objects were loaded together, so their relations are loaded together."""
    peers = list(objects)
    for obj in peers:
        setattr(obj, PEERS_ATTR, peers)
    return peers


class Loader:
    """Subclasses implement `batch_load(keys) -> dict[key, value]`; missing keys get `default()`."""

    def __init__(self, viewer):
        self.viewer = viewer
        self.cache: dict = {}

    def key_of(self, obj):
        return obj.pk

    def default(self):
        return None

    def batch_load(self, keys: list) -> dict:
        raise NotImplementedError

    def load(self, obj):
        key = self.key_of(obj)
        if key not in self.cache:
            peers = getattr(obj, PEERS_ATTR, None) or [obj]
            keys = {self.key_of(peer) for peer in peers if self.key_of(peer) not in self.cache}
            keys.add(key)
            loaded = self.batch_load(sorted(k for k in keys if k is not None))
            for k in keys:
                self.cache[k] = loaded.get(k, self.default())
            mark_peers(_flatten(self.cache[k] for k in keys))
        return self.cache[key]


def _flatten(values):
    for value in values:
        if isinstance(value, list):
            yield from value
        elif value is not None and hasattr(value, "pk"):
            yield value


def group_by(rows, key_attr: str) -> dict:
    """Group model rows into lists by one attribute, for loaders of one-to-many relations."""
    groups = defaultdict(list)
    for row in rows:
        groups[getattr(row, key_attr)].append(row)
    return groups


def first_of_each(rows, key_attr: str, order: tuple[str, ...], count: int):
    """The first `count` rows, in `order`, for each value of `key_attr`: one query (a window function), so a loader
    reads no more of a relation than a list field may return (see list_bounds)."""
    ranking = [F(field[1:]).desc() if field.startswith("-") else F(field).asc() for field in order]
    ranked = rows.annotate(place_in_group=Window(RowNumber(), partition_by=F(key_attr), order_by=ranking))
    return ranked.filter(place_in_group__lte=count).order_by(*order)


def get_loader(info, loader_class: type[Loader], viewer):
    """The request's instance of a loader (created on first use)."""
    loaders = info.context.__dict__.setdefault("_tributary_loaders", {})
    if loader_class not in loaders:
        loaders[loader_class] = loader_class(viewer)
    return loaders[loader_class]


def load(info, loader_class: type[Loader], obj):
    """Resolve one relation of `obj` through the request's loader (batched over obj's peers)."""
    from backend.tenancy import viewer_of_request

    return get_loader(info, loader_class, viewer_of_request(info.context)).load(obj)
