"""The frame every page shares: who may open it, the navigation, the home page.

A page is a function view wrapped in `page(permission)`: an anonymous visitor goes to the login page, a signed-in
user whose organization or role the permission does not allow gets the 403 page, and the view finds the viewer on
`request.viewer`, to read through `visible()`/`owned()` exactly as the API does (backend/tenancy.py).
"""

from dataclasses import dataclass
from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from backend.permissions import Permission
from backend.tenancy import Viewer, viewer_of_request


@dataclass(frozen=True)
class NavItem:
    """One entry of the header's navigation, shown to the viewers its permission allows."""

    url_name: str
    label: str
    permission: Permission


# In the order the header shows them; the first one a viewer may open is their home page.
NAV = (
    NavItem("graph:dashboard", _("Dashboard"), Permission.READ_NETWORK),
    NavItem("graph:register", _("Risk register"), Permission.READ_NETWORK),
    NavItem("audits:board-grievances", _("Cases"), Permission.READ_NETWORK),
    NavItem("exports:report_list", _("Reports"), Permission.GENERATE_REPORTS),
    NavItem("audits:intake", _("Grievances"), Permission.FILE_GRIEVANCES),
    NavItem("imports:uploads", _("Uploads"), Permission.IMPORT_DATA),
    NavItem("people", _("People"), Permission.MANAGE_PEOPLE),
)


def page(permission: Permission | None = None):
    """Wrap a page view: sign-in required, then `permission` (if any) checked against the viewer."""

    def decorate(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            viewer = viewer_of_request(request)
            if viewer is None:
                return redirect_to_login(request.get_full_path())
            if permission is not None and not permission.allows(viewer):
                return render(request, "backend/forbidden.html", status=403)
            request.viewer = viewer
            return view(request, *args, **kwargs)

        return wrapped

    return decorate


def nav_for(viewer: Viewer | None) -> list[NavItem]:
    """The navigation entries the viewer may open (none for an anonymous visitor)."""
    if viewer is None:
        return []
    return [item for item in NAV if item.permission.allows(viewer)]


@dataclass(frozen=True)
class NavLink:
    """A navigation entry as the header draws it: where it goes, and whether the current page is under it."""

    label: str
    url: str
    current: bool


def navigation(request) -> dict:
    """Template context processor: the viewer and the links of the header's navigation."""
    viewer = viewer_of_request(request)
    links = []
    for item in nav_for(viewer):
        url = reverse(item.url_name)
        links.append(NavLink(label=item.label, url=url, current=request.path.startswith(url)))
    return {"viewer": viewer, "nav_links": links}


@page()
def home(request):
    """The signed-in user's first page: the first navigation entry their organization and role allow."""
    items = nav_for(request.viewer)
    if not items:
        return render(request, "backend/forbidden.html", status=403)
    return redirect(reverse(items[0].url_name))
