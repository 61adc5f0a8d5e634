"""Suggested categories: precision, recall and F1 of the suggester in use and of a keyword baseline, per category and
per language, on the development set's held-out split (the model trained on the training split only), with the
other candidates measured beside them, the load time, the time per text and the memory.

The lexicon was written from the ILO's indicator descriptions and then corrected once by reading the errors on the
training split only; the held-out split was never used to choose a pattern, a weight or the threshold. Training
split scores are printed too, as the optimistic figure they are.

    .venv/bin/python bench/suggest.py [--split heldout|train|all]
"""

import argparse
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from audits.suggestions import DATA_DIR, devset  # noqa: E402
from audits.suggestions.baseline import KeywordSuggester  # noqa: E402
from audits.suggestions.engine import CATEGORIES, LexiconSuggester, ModelSuggester, build  # noqa: E402
from audits.suggestions.evaluation import Report, evaluate  # noqa: E402
from audits.suggestions.lexicon import load_patterns  # noqa: E402

GOAL_MICRO_F1, GOAL_LANGUAGE_F1 = 0.6, 0.5


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", default="heldout", choices=("heldout", "train", "all"))
    arguments = parser.parse_args()
    memory_before = _rss_mb()

    started, cpu_started = time.perf_counter(), time.process_time()
    in_use = build(DATA_DIR)  # as the service loads it: lexicon read, model trained on the whole set
    load_seconds, load_cpu = time.perf_counter() - started, time.process_time() - cpu_started

    records = devset.load(DATA_DIR / "devset.jsonl")
    train = [record for record in records if record.split == "train"]
    measured = records if arguments.split == "all" else [record for record in records if record.split == arguments.split]
    patterns = load_patterns(DATA_DIR / "lexicon.txt")
    chosen = ModelSuggester.trained(patterns, train)
    candidates = {
        "keyword baseline": KeywordSuggester(),
        "lexicon + negation": LexiconSuggester(patterns),
        "linear model, words only": ModelSuggester.trained(patterns, train, use_lexicon=False),
        "linear model, lexicon + words (in use)": chosen,
    }

    started, cpu_started = time.perf_counter(), time.process_time()
    for record in records:
        in_use.suggest(record.text)
    per_text_ms = 1000 * (time.perf_counter() - started) / len(records)
    per_text_cpu_ms = 1000 * (time.process_time() - cpu_started) / len(records)

    reports = {name: evaluate(suggester, measured) for name, suggester in candidates.items()}
    print(f"Development set: {len(records)} texts ({len(train)} train); measured on {arguments.split}: "
          f"{len(measured)} texts; models trained on the train split.\n")
    print("Candidates (micro P / R / F1, then F1 per language and per kind of text)")
    for name, report in reports.items():
        languages = " ".join(f"{key} {score.f1:.2f}" for key, score in report.by_language.items())
        hardness = " ".join(f"{key} {score.f1:.2f}" for key, score in report.by_hardness.items() if key != "negation")
        false_alarms = report.by_hardness.get("negation")
        print(f"  {name:40} {_prf(report.overall)}  | {languages} | {hardness} | "
              f"false suggestions on negations {false_alarms.false_positives if false_alarms else 0}")
    model, baseline = reports["linear model, lexicon + words (in use)"], reports["keyword baseline"]
    _table("Per category", CATEGORIES, model, baseline, "by_category")
    _table("Per language", ("en", "fr", "es", "pt"), model, baseline, "by_language")

    # CPU time beside the wall clock: on a shared machine the wall clock also counts other people's work
    print(f"\nLoad (lexicon + training on all {len(records)} texts): {load_seconds:.2f} s, {load_cpu:.2f} s CPU (goal ≤ 2 s)")
    print(f"Time per text: {per_text_ms:.2f} ms, {per_text_cpu_ms:.2f} ms CPU (goal ≤ 50 ms)")
    print(f"Memory: {_rss_mb():.0f} MB resident at peak, {_rss_mb() - memory_before:.0f} MB for the suggesters (goal ≤ 300 MB)")
    languages_met = all(score.f1 >= GOAL_LANGUAGE_F1 for score in model.by_language.values())
    print(f"Goal: micro-F1 {model.overall.f1:.2f} ≥ {GOAL_MICRO_F1} "
          f"{'met' if model.overall.f1 >= GOAL_MICRO_F1 else 'NOT met'}; every language ≥ {GOAL_LANGUAGE_F1} "
          f"{'met' if languages_met else 'NOT met'}")


def _table(title: str, keys, model: Report, baseline: Report, group: str) -> None:
    print(f"\n{title:36} {'model P / R / F1':>22}   {'keyword baseline P / R / F1':>28}")
    for key in keys:
        ours, theirs = getattr(model, group).get(key), getattr(baseline, group).get(key)
        print(f"  {key:34} {_prf(ours):>22}   {_prf(theirs):>28}")
    print(f"  {'micro':34} {_prf(model.overall):>22}   {_prf(baseline.overall):>28}")


def _prf(score) -> str:
    if score is None:
        return "—"
    return f"{score.precision:.2f} / {score.recall:.2f} / {score.f1:.2f}"


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


if __name__ == "__main__":
    main()
