"""Telling the risk engine that evidence about some sites changed."""

from graph.services.risk_jobs import schedule_recompute


def schedule_risk_recompute(site_ids) -> None:
    """Queue the debounced risk recomputation of every company holding these sites (after commit)."""
    schedule_recompute(sorted(set(site_ids)))
