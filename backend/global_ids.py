"""Tributary IDs as the API shows them (base64 of "Type:pk", Relay's convention), decoded without the GraphQL
packages, so that services (an import naming a site by its ID, say) can read them too."""

import binascii
from base64 import b64decode
from typing import NamedTuple


class GlobalId(NamedTuple):
    type_name: str
    pk: int


def decode_global_id(global_id: str) -> GlobalId | None:
    """The type name and primary key inside a global ID, or None for anything that is not base64 of "Type:pk"
    with a decimal pk."""
    try:
        text = b64decode(global_id.encode("ascii")).decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError, binascii.Error):
        return None
    type_name, separator, pk = text.partition(":")
    if not separator or not (pk.isascii() and pk.isdigit()):
        return None
    return GlobalId(type_name, int(pk))
