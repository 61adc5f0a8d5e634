"""Matching an upload's header to a kind's columns (imports/columns.py).

Headers are matched after folding (case, spaces, accents and punctuation ignored), against each column's key,
label and aliases; a user's mapping (imports/mapping.py) wins over the aliases.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from imports.columns import KINDS, ImportKind
from imports.mapping import user_mapping_of
from imports.reading.folding import fold


@dataclass
class HeaderMapping:
    """How the header of an upload lines up with a kind's columns.

    `columns` maps a 0-based column index to a column key; `unknown` lists headers that match
    nothing and `ignored` those the user chose to skip. Empty header cells are not columns:
    values under them are for the validator to flag. `duplicates` maps a key that several
    headers matched to all their indexes (the first one is used).
    """

    columns: dict[int, str] = field(default_factory=dict)
    unknown: list[tuple[int, str]] = field(default_factory=list)
    ignored: list[tuple[int, str]] = field(default_factory=list)
    missing_required: list[str] = field(default_factory=list)
    missing_one_of: list[tuple[str, ...]] = field(default_factory=list)
    duplicates: dict[str, list[int]] = field(default_factory=dict)


def map_headers(
    header: Sequence[str], kind: str | ImportKind, user_mapping: Mapping | None = None
) -> HeaderMapping:
    """Match each header to a column of `kind`.

    `user_mapping` (see `user_mapping_of`) maps header text to a column key, or to None to ignore that
    column; it is matched after folding too and wins over the aliases.
    """
    kind = KINDS[kind] if isinstance(kind, str) else kind
    by_name = {name: column.key for column in kind.columns for name in column.folded_names()}
    known_keys = {column.key for column in kind.columns}
    overrides = {fold(text): key for text, key in user_mapping_of(user_mapping).headers.items()}
    for key in overrides.values():
        if key is not None and key not in known_keys:
            raise ValueError(f"{key!r} is not a column of {kind.key}")
    mapping = HeaderMapping()
    indexes_by_key: dict[str, list[int]] = {}
    for index, text in enumerate(header):
        folded = fold(text)
        key = overrides[folded] if folded in overrides else by_name.get(folded)
        if folded in overrides and key is None:
            mapping.ignored.append((index, text))
        elif key is None:
            if folded:
                mapping.unknown.append((index, text))
        else:
            indexes_by_key.setdefault(key, []).append(index)
    for key, indexes in indexes_by_key.items():
        mapping.columns[indexes[0]] = key
        if len(indexes) > 1:
            mapping.duplicates[key] = indexes
    mapping.columns = dict(sorted(mapping.columns.items()))
    derived = {key for key, unless in kind.derivable.items() if not any(other in indexes_by_key for other in unless)}
    mapping.missing_required = [
        c.key for c in kind.columns if c.required and c.key not in indexes_by_key and c.key not in derived
    ]
    mapping.missing_one_of = [
        group for group in kind.one_of_required if not any(key in indexes_by_key for key in group)
    ]
    return mapping


def confidential_headers(kind: ImportKind, header: Sequence[str], mapping: HeaderMapping) -> frozenset[str | None]:
    """The columns, by header text as problems name them, whose values no problem may keep: every header read as
    a confidential column (the first and its duplicates), and None, a column without a header, in a kind that has
    confidential columns, since an unnamed column may be one of them."""
    keys = {index: key for key, indexes in mapping.duplicates.items() for index in indexes} | mapping.columns
    hidden = {header[index] for index, key in keys.items() if kind.column(key).confidential}
    return frozenset(hidden | {None} if kind.confidential else hidden)
