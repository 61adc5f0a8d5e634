"""Fold labels so that headers and sheet names compare the way people read them."""

import unicodedata


def fold(text: str) -> str:
    """Keep only letters and digits, lower-cased and without accents.

    "Référence du site", "REFERENCE_DU_SITE" and "référence-du-site " all fold to
    "referencedusite". NFKD splits accented letters into letter + combining mark, and the
    marks, spaces and punctuation are dropped because they are not alphanumeric.
    """
    return "".join(ch for ch in unicodedata.normalize("NFKD", text).casefold() if ch.isalnum())
