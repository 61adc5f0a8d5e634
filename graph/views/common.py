"""What the graph pages share: the dimension a page shows, and the link to a register filtered by one value."""

from urllib.parse import urlencode

from django.contrib import messages
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

DIMENSIONS = {"child_labour": gettext_lazy("Child labour"), "forced_labour": gettext_lazy("Forced labour")}
DEFAULT_DIMENSION = "forced_labour"
BAND_LABELS = {"low": gettext_lazy("Low"), "medium": gettext_lazy("Medium"), "high": gettext_lazy("High"),
               "severe": gettext_lazy("Severe")}


def dimension_of(request) -> str:
    """The `dimension` query parameter (child_labour or forced_labour); an unknown one is said and the default used."""
    given = request.GET.get("dimension", DEFAULT_DIMENSION)
    if given in DIMENSIONS:
        return given
    messages.error(request, _("Unknown dimension “%(value)s”: choose child_labour or forced_labour. Showing forced labour.")
                   % {"value": given})
    return DEFAULT_DIMENSION


def register_url(**filters) -> str:
    """The risk register filtered by the given parameters (e.g. country="IN", band="high")."""
    query = urlencode({name: value for name, value in filters.items() if value not in (None, "")})
    return reverse("graph:register") + (f"?{query}" if query else "")


def optional_url(name: str) -> str:
    """The URL of a page another app provides, or "" while that app does not provide it."""
    try:
        return reverse(name)
    except NoReverseMatch:
        return ""
