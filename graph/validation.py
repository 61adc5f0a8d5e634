"""Field checks for registry data; each raises a ValidationError naming the field, the value and the rule."""

import re

import pycountry

from backend.errors import field_error

OS_ID_PATTERN = re.compile(r"^[A-Z]{2}[0-9]{7}[A-Z0-9]{6}$")


def country_code(value: str, field: str = "country") -> str:
    """An ISO 3166-1 alpha-2 code, upper-cased; INVALID_COUNTRY otherwise."""
    code = (value or "").strip().upper()
    if len(code) != 2 or pycountry.countries.get(alpha_2=code) is None:
        raise field_error(field, f"'{value}' is not an ISO 3166-1 alpha-2 country code (e.g. IN, CI, TR).", "invalid_country")
    return code


def subdivision_code(country: str, value: str, field: str = "subdivision") -> str:
    """An ISO 3166-2 code belonging to `country`, or '' when empty; INVALID_SUBDIVISION otherwise."""
    code = (value or "").strip().upper()
    if not code:
        return ""
    subdivision = pycountry.subdivisions.get(code=code)
    if subdivision is None or subdivision.country_code != country:
        raise field_error(field, f"'{value}' is not an ISO 3166-2 subdivision of {country} (e.g. {country}-XX).", "invalid_subdivision")
    return code


def os_id(value: str | None, field: str = "osId") -> str | None:
    """An Open Supply Hub ID (two letters, seven digits, six letters or digits), or None when empty."""
    if not value:
        return None
    code = value.strip().upper()
    if not OS_ID_PATTERN.match(code):
        raise field_error(field, f"'{value}' is not an Open Supply Hub ID (15 characters, e.g. IN2019067X1K87E).", "invalid")
    return code


def unit_interval(value, field: str):
    """A number in [0, 1], or None; OUT_OF_RANGE otherwise."""
    if value is None:
        return None
    if not 0 <= float(value) <= 1:
        raise field_error(field, f"{field} must be between 0 and 1 (a share), got {value}.", "out_of_range")
    return value


def coordinates(latitude, longitude) -> None:
    """Latitude in [-90, 90] and longitude in [-180, 180]; both or neither."""
    if (latitude is None) != (longitude is None):
        raise field_error("latitude" if latitude is None else "longitude", "Give both latitude and longitude, or neither.", "required")
    if latitude is not None and not -90 <= latitude <= 90:
        raise field_error("latitude", f"Latitude must be between -90 and 90, got {latitude}.", "out_of_range")
    if longitude is not None and not -180 <= longitude <= 180:
        raise field_error("longitude", f"Longitude must be between -180 and 180, got {longitude}.", "out_of_range")


def non_negative(value, field: str):
    if value is not None and value < 0:
        raise field_error(field, f"{field} cannot be negative, got {value}.", "out_of_range")
    return value


def required_text(value: str | None, field: str, max_length: int) -> str:
    text = (value or "").strip()
    if not text:
        raise field_error(field, f"{field} is required.", "required")
    if len(text) > max_length:
        raise field_error(field, f"{field} is longer than {max_length} characters.", "invalid")
    return text


def date_range(valid_from, valid_to) -> None:
    if valid_from and valid_to and valid_from > valid_to:
        raise field_error("validTo", f"validTo ({valid_to}) is before validFrom ({valid_from}).", "invalid")
