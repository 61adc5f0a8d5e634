"""Domain operations on the supply network, called by the API, the commands and the tasks alike."""

from graph.services.links import create_link, delete_link, update_link
from graph.services.registry import (
    register_site,
    register_supplier,
    remove_site,
    remove_supplier,
    update_site,
    update_supplier,
)
from graph.services.tiers import active_links, refresh_tiers
from graph.services.traversal import find_paths, walk

__all__ = [
    "active_links", "create_link", "delete_link", "find_paths", "refresh_tiers", "register_site",
    "register_supplier", "remove_site", "remove_supplier", "update_link", "update_site", "update_supplier", "walk",
]
