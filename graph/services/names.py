"""How names and addresses of suppliers and sites compare: written differently, the same once normalized.

Entity resolution (imports/services/resolution.py) matches uploaded sites on these forms, and planning a network
batch (network_batch.py) treats a name or an address that differs from the stored one only in case, accents or
punctuation as unchanged, so that the same facility spelt two ways by two lists does not flip (a new legal form,
"Co" → "Company", is a change).
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


NORMALIZED = {"name": normalize_text, "address": normalize_text}


def same_value(attribute: str, stored, given) -> bool:
    """Whether `given` says nothing new of a stored attribute: equal, or, for a name or an address, equal but for
    case, accents and punctuation."""
    if stored == given:
        return True
    normalize = NORMALIZED.get(attribute)
    return normalize is not None and isinstance(stored, str) and isinstance(given, str) and (
        normalize(stored) == normalize(given))
