"""The labelled development set (data/devset.jsonl, provenance in data/README.md)."""

import json
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Record:
    id: str
    language: str
    text: str
    labels: tuple[str, ...]
    split: str  # "train" or "heldout"
    hard: str | None  # "negation", "keyword_free" or None


def load(path: Path, split: str | None = None) -> list[Record]:
    records = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        row = json.loads(line)
        record = Record(row["id"], row["language"], row["text"], tuple(row["labels"]), row["split"], row.get("hard"))
        if split is None or record.split == split:
            records.append(record)
    return records
