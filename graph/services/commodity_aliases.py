"""Reading a commodity as people write it: its code, its name, or a word of graph/data/commodity_aliases.json.

The alias table holds Open Supply Hub's sectors and common product types ("Apparel" → garments, "Textiles" →
fabric, "Shoes" → footwear) and names known to stand for no commodity (a sector such as "Packaging": null).
Values are compared after folding (graph/countries.py's `fold_name`). An unknown value gets the nearest
accepted values as suggestions, so that "Apparell" or "garment" is never a dead end.
"""

import difflib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from graph.countries import fold_name

ALIASES_FILE = Path(__file__).resolve().parent.parent / "data" / "commodity_aliases.json"
MAX_SUGGESTIONS = 3


@cache
def _aliases() -> dict[str, str | None]:
    """Folded alias → commodity code, or None for a known sector without a commodity."""
    aliases = json.loads(ALIASES_FILE.read_text(encoding="utf-8"))["aliases"]
    return {fold_name(name): code for name, code in aliases.items()}


@dataclass(frozen=True)
class CommodityReading:
    """How a value reads: `known` when it is a commodity or a word of the alias table, with the commodity's
    `code` (None for a known sector that no commodity stands for)."""

    known: bool
    code: str | None = None


class CommodityNames:
    """Reads values against the accepted commodities (code, label) pairs: the stored list, or a test's."""

    def __init__(self, options: Sequence[tuple[str, str]]) -> None:
        self.codes = {code for code, _label in options}
        self.by_name = {fold_name(name): code for code, label in options for name in (code, label)}
        self.by_name.update({alias: code for alias, code in _aliases().items()
                             if alias not in self.by_name and (code is None or code in self.codes)})

    def read(self, value: str) -> CommodityReading:
        if value in self.codes:
            return CommodityReading(True, value)
        folded = fold_name(value)
        if folded in self.by_name:
            return CommodityReading(True, self.by_name[folded])
        return CommodityReading(False)

    def suggestions(self, value: str) -> list[str]:
        """The commodity codes nearest to `value`, nearest first."""
        candidates = {name: code for name, code in self.by_name.items() if code is not None}
        close = difflib.get_close_matches(fold_name(value), list(candidates), n=10, cutoff=0.6)
        return list(dict.fromkeys(candidates[name] for name in close))[:MAX_SUGGESTIONS]

    def unknown_message(self, value: str, label: str) -> str:
        suggestions = self.suggestions(value)
        hint = f" Nearest: {', '.join(suggestions)}." if suggestions else ""
        return (f"'{value}' is not one of the accepted values for {label}: give a commodity's code or name, or a "
                f"sector of the alias table (Apparel → garments…).{hint}")
