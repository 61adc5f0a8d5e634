"""Suggested categories for free text (grievance and finding descriptions): which ILO forced-labour indicators,
child-labour categories or other labour standards a text points at, each with a confidence and the words behind it.

Runs in-process with no outside service: a lexicon (data/lexicon.txt) and a linear model trained at first use from
the development set in data/ (docs/suggestions.md says why this one). No Django in here: audits/services/
suggestions.py is the domain's door to it. If the data cannot be read or the model cannot be built, suggestions
are unavailable (logged once) and everything else works without them.
"""

import functools
import logging
from pathlib import Path

from audits.suggestions.engine import Evidence, ModelSuggester, Suggestion, build

DATA_DIR = Path(__file__).parent / "data"

logger = logging.getLogger(__name__)

__all__ = ["DATA_DIR", "Evidence", "Suggestion", "suggest", "suggester"]


def suggester() -> ModelSuggester | None:
    """The suggester in use, built once per process and data folder; None when it cannot be built."""
    return _built(DATA_DIR)


@functools.lru_cache(maxsize=2)
def _built(data_dir: Path) -> ModelSuggester | None:
    try:
        return build(data_dir)
    except Exception:  # fail open: whatever stops the model loading must not stop a grievance being filed
        logger.exception("suggestions unavailable: the suggester could not be built from %s", data_dir)
        return None


def suggest(text: str, language: str | None = None) -> list[Suggestion] | None:
    """Ranked suggestions for a text; None when suggestions are unavailable (the suggester could not be built).

    `language` is one of en, fr, es, pt, or None to read the text in all four; ValueError for any other."""
    model = suggester()
    return None if model is None else model.suggest(text, language)
