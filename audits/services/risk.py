"""Telling the risk engine that evidence about some sites changed."""


def schedule_risk_recompute(site_ids) -> None:
    """Queue the debounced risk recomputation of every company holding these sites (after commit).

    The risk jobs live in the supply-network app; when it is installed without them (an older deployment),
    there is nothing to schedule and the next full recomputation picks the evidence up.
    """
    try:
        from graph.services.risk_jobs import schedule_recompute
    except ImportError:
        return
    schedule_recompute(sorted(set(site_ids)))
