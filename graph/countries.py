"""Country names as people write them, to ISO 3166-1 alpha-2 codes: the one place that reads a country.

Accepted: an alpha-2 or alpha-3 code, every name pycountry knows for a country (its short, official and common
names), and the names people use that ISO does not list (graph/data/country_aliases.json: Turkey, UAE, Viet Nam,
South Korea, Ivory Coast…). Names are compared after folding: case, accents, spaces and punctuation are ignored,
so "BANGLADESH", "côte d'ivoire" and "U.A.E." are read. Imports (imports/services/cells.py) and the reference
data loaders (graph/services/reference.py) both read countries through `country_code_of`.
"""

import difflib
import json
import unicodedata
from functools import cache
from pathlib import Path

import pycountry

ALIASES_FILE = Path(__file__).parent / "data" / "country_aliases.json"
MAX_SUGGESTIONS = 3


def fold_name(text: str) -> str:
    """Letters and digits only, lower-cased and without accents: "Côte d'Ivoire" → "cotedivoire"."""
    return "".join(ch for ch in unicodedata.normalize("NFKD", text).casefold() if ch.isalnum())


@cache
def _codes_by_name() -> dict[str, str]:
    """Folded name → alpha-2 code, for every ISO name and alias (an alias never overrides an ISO name)."""
    aliases = json.loads(ALIASES_FILE.read_text(encoding="utf-8"))["aliases"]
    names = {fold_name(name): code for name, code in aliases.items()}
    for country in pycountry.countries:
        for name in (country.alpha_2, country.alpha_3, country.name, getattr(country, "official_name", None),
                     getattr(country, "common_name", None)):
            if name:
                names[fold_name(name)] = country.alpha_2
    return names


@cache
def _display_names() -> dict[str, str]:
    """Folded name → the name suggestions show (the country's short ISO name), for every name of a country."""
    iso_names = {country.alpha_2: country.name for country in pycountry.countries}
    return {folded: iso_names[code] for folded, code in _codes_by_name().items() if len(folded) > 3}


def country_code_of(value: str) -> str | None:
    """The alpha-2 code of a country written as a code or a name, or None when it names no country."""
    return _codes_by_name().get(fold_name(str(value)))


def country_suggestions(value: str) -> list[str]:
    """The countries whose names are nearest to `value` (at most MAX_SUGGESTIONS, nearest first)."""
    names = _display_names()
    close = difflib.get_close_matches(fold_name(str(value)), list(names), n=10, cutoff=0.7)
    return list(dict.fromkeys(names[folded] for folded in close))[:MAX_SUGGESTIONS]


def unknown_country_message(value: str) -> str:
    """What to tell the person who wrote `value` for a country, with the nearest names when there are some."""
    suggestions = country_suggestions(value)
    hint = f" Did you mean {' or '.join(suggestions)}?" if suggestions else ""
    return f"'{value}' is not a country: use its ISO code (FR, CI…) or its name (France, Ivory Coast…).{hint}"
