"""The map of sites by risk: one circle per country at its centroid, on a plain world outline.

The projection is equirectangular in a 360 × 180 box: x = longitude + 180, y = 90 − latitude (degrees), so the
outline (graph/static/graph/world.svg) and the circles share one coordinate system. A circle's area grows with the
country's number of sites, r = MIN_RADIUS + (MAX_RADIUS − MIN_RADIUS) · √(sites / most sites in one country), and it
is coloured by the band of the country's highest score.

Both data files come from the countryinfo 1.0.1 package (MIT licence): `country_centroids.json` holds its `latlng`
of each ISO 3166-1 country (rounded to 0.01°), world.svg its country outlines with every point rounded to 1° and
repeated points dropped (53 KB, served once and cached).
"""

import json
import math
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pycountry

CENTROIDS_FILE = Path(__file__).parent / "country_centroids.json"
MIN_RADIUS = 2.0
MAX_RADIUS = 7.0
# The box drawn: the Antarctic south of 60° S holds no supplier, so the map stops there (y = 150).
VIEW_BOX = (0, 0, 360, 150)


@dataclass(frozen=True)
class MapPoint:
    country: str
    name: str
    x: float
    y: float
    radius: float
    sites: int
    band: str
    href: str


@cache
def centroids() -> dict[str, tuple[float, float]]:
    """ISO alpha-2 → (latitude, longitude) of the country's centroid."""
    return {code: (lat, lng) for code, (lat, lng) in json.loads(CENTROIDS_FILE.read_text()).items()}


def country_name(code: str) -> str:
    country = pycountry.countries.get(alpha_2=code)
    return country.name if country else code


def project(latitude: float, longitude: float) -> tuple[float, float]:
    return round(longitude + 180.0, 2), round(90.0 - latitude, 2)


def map_points(countries: list[tuple[str, int, str, str]]) -> tuple[list[MapPoint], list[str]]:
    """Circles for (country, sites, band, link) rows, the largest drawn first so small ones stay on top; and the
    countries without a known centroid (listed beside the map instead)."""
    known = centroids()
    most = max((sites for _, sites, _, _ in countries), default=0)
    points, unplaced = [], []
    for code, sites, band, href in countries:
        if code not in known:
            unplaced.append(code)
            continue
        x, y = project(*known[code])
        radius = MIN_RADIUS + (MAX_RADIUS - MIN_RADIUS) * math.sqrt(sites / most) if most else MIN_RADIUS
        points.append(MapPoint(code, country_name(code), x, y, round(radius, 2), sites, band, href))
    points.sort(key=lambda point: -point.radius)
    return points, unplaced
