"""How names and addresses of suppliers and sites compare: written differently, the same once normalized.

Entity resolution (imports/services/resolution.py) matches uploaded sites on these forms, and planning a network
batch (network_batch.py) treats what differs from the stored value only in form as unchanged, so that the same
facility spelt two ways by two lists does not flip: a site's name in case, accents, punctuation or legal form (the
form by which resolution found it), its address in case, accents or punctuation, a supplier's name in case,
accents or punctuation (a new legal form of a company, "Co" → "Company", is a change).
"""

import unicodedata

LEGAL_FORMS = frozenset(
    "ag bv co company corp corporation gmbh inc jsc limited llc ltd ltda nv plc pt pte pvt private sa sarl sas "
    "spa srl tbk".split()
)


def normalize_text(text: str | None) -> str:
    """Lower-case words without accents or punctuation, single-spaced: "Rue  du Moulin, 3" → "rue du moulin 3"."""
    decomposed = unicodedata.normalize("NFKD", text or "").casefold()
    kept = "".join(" " if not ch.isalnum() else ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(kept.split())


def normalize_name(text: str | None) -> str:
    """normalize_text without legal forms: "Sunrise Garments Pvt. Ltd." → "sunrise garments"."""
    return " ".join(word for word in normalize_text(text).split() if word not in LEGAL_FORMS)


SITE_FORMS = {"name": normalize_name, "address": normalize_text}
SUPPLIER_FORMS = {"name": normalize_text}


def same_value(attribute: str, stored, given, forms: dict) -> bool:
    """Whether `given` says nothing new of a stored attribute: equal, or equal once normalized by the attribute's
    function in `forms` (SITE_FORMS, SUPPLIER_FORMS)."""
    if stored == given:
        return True
    normalize = forms.get(attribute)
    return normalize is not None and isinstance(stored, str) and isinstance(given, str) and (
        normalize(stored) == normalize(given))
