"""The debounce of risk recomputations (graph/services/risk_jobs.py) under concurrency, on PostgreSQL with real
commits: changes made through the API from several threads race computations run by several others, and no
change is lost (the stored scores end equal to a full computation's); a change is never kept waiting by a
computation that is running, even one that took the same site; a change made while a computation runs is kept
for the next one."""

import random
import threading
import time
from contextlib import contextmanager

import pytest
from django.db import connection, connections, transaction
from graphql_relay import to_global_id

from backend import dispatch
from backend.models import OutboxMessage
from factories import add_link, add_site
from graph.models import PendingRecompute, RiskScore
from graph.services import risk_jobs
from graph.services.risk import compute_risk
from graph.tasks import recompute_company_risk

OVERRIDE = """mutation($site: ID!, $value: Float) {
  inherentRiskOverrideSet(siteId: $site, dimension: FORCED_LABOUR, reason: "Set by the concurrency test",
                          value: $value) { errors { code message } } }"""
SITES = 12
CHANGERS, CHANGES_EACH, COMPUTERS = 4, 12, 2

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def network(postgres, analyst, company):
    """Twelve sites in a ladder (each supplies the next two), the last two supplying the company; scored."""
    sites = [add_site(analyst, f"Site {i}", country="IN", kind="farm" if i < 4 else "facility") for i in range(SITES)]
    for i, site in enumerate(sites):
        for buyer in sites[i + 1:i + 3]:
            add_link(analyst, site, buyer, share=0.4)
    for site in sites[-2:]:
        add_link(analyst, site, None, share=0.5)
    PendingRecompute.objects.all().delete()
    OutboxMessage.objects.all().delete()
    compute_risk(company)
    return sites


def stored_scores(company) -> dict:
    return {row[0]: row[1:] for row in RiskScore.objects.filter(company=company).values_list(
        "site_id", "child_labour", "forced_labour", "own_forced_labour", "inherent_forced_labour")}


def in_thread(function):
    """`function` on a thread of its own, with its own database connection, closed at the end."""
    def run():
        try:
            function()
        finally:
            connections.close_all()

    thread = threading.Thread(target=run)
    thread.start()
    return thread


def test_no_change_is_lost_when_changes_and_computations_race(api, analyst, company, network, settings):
    # given eager mode as in production: each change's recomputation runs after its response on the background
    # thread, while two other threads run the recomputation task in a loop, as more workers would
    settings.EAGER_TASKS_IN_REQUESTS = "background"
    done, failures = threading.Event(), []

    def change(seed: int):
        client, chance = api(analyst), random.Random(seed)
        for _ in range(CHANGES_EACH):
            site = chance.choice(network)
            result = client(OVERRIDE, {"site": to_global_id("Site", site.pk), "value": round(chance.random(), 3)})
            if result.get("errors") or result["data"]["inherentRiskOverrideSet"]["errors"]:
                failures.append(result)

    def compute():
        while not done.is_set():
            recompute_company_risk.apply(args=[company.pk], throw=True)
            time.sleep(0.01)

    computers = [in_thread(compute) for _ in range(COMPUTERS)]
    changers = [in_thread(lambda seed=seed: change(seed)) for seed in range(CHANGERS)]
    # when four threads make twelve changes each through the API
    for thread in changers:
        thread.join(timeout=300)
    done.set()
    for thread in computers:
        thread.join(timeout=300)
    # then every change succeeded, was taken by a computation, and the scores stored by all those incremental
    # computations are a full computation's
    assert failures == []
    assert_scores_are_a_full_computations(company)


@contextmanager
def computation_running(company):
    """Inside: a computation on its own thread has taken the company's pending changes (none: it computes in
    full) and is still running; it finishes on leaving."""
    taken, finish = threading.Event(), threading.Event()

    def computation():
        with transaction.atomic():
            pending = risk_jobs.take_pending(company.pk)
            taken.set()
            assert finish.wait(timeout=60)
            compute_risk(company, changed_site_ids=pending)

    thread = in_thread(computation)
    try:
        assert taken.wait(timeout=30)
        yield
    finally:
        finish.set()
        thread.join(timeout=60)


def assert_scores_are_a_full_computations(company):
    dispatch.background.drain()
    assert not PendingRecompute.objects.exists() and not OutboxMessage.objects.exists()
    incremental = stored_scores(company)
    compute_risk(company)
    full = stored_scores(company)
    assert incremental.keys() == full.keys()
    for site_id, values in full.items():
        assert incremental[site_id] == pytest.approx(values, abs=1e-9), site_id


def test_a_change_does_not_wait_for_a_running_computation_that_took_the_same_site(api, analyst, company, network,
                                                                                  settings):
    # given recomputations that run after the response, on the background thread, and a computation that has
    # taken a site's pending change and is still running
    settings.EAGER_TASKS_IN_REQUESTS = "background"
    site = network[0]
    PendingRecompute.objects.create(company=company, site_id=site.pk)
    with computation_running(company):
        # when the same site changes again, with a lock timeout so that waiting shows up as an error
        with connection.cursor() as cursor:
            cursor.execute("SET lock_timeout = '3s'")
        try:
            result = api(analyst)(OVERRIDE, {"site": to_global_id("Site", site.pk), "value": 0.9})
        finally:
            with connection.cursor() as cursor:
                cursor.execute("RESET lock_timeout")
    # then the change committed at once, and its recomputation, once the running one was over, took it
    assert "errors" not in result and result["data"]["inherentRiskOverrideSet"]["errors"] == []
    assert_scores_are_a_full_computations(company)


def test_a_change_made_while_a_computation_runs_is_kept_for_the_next_one(api, analyst, company, network, settings):
    # given a computation that has taken the first site's pending change and is still running
    settings.EAGER_TASKS_IN_REQUESTS = "background"
    first, second = network[0], network[5]
    PendingRecompute.objects.create(company=company, site_id=first.pk)
    with computation_running(company):
        # when a second site changes and commits meanwhile
        result = api(analyst)(OVERRIDE, {"site": to_global_id("Site", second.pk), "value": 0.7})
        assert result["data"]["inherentRiskOverrideSet"]["errors"] == []
    # then, the computation over, the second change was kept for the next one, which took it
    assert_scores_are_a_full_computations(company)


def test_a_second_computation_of_the_company_waits_for_the_one_running(api, analyst, company, network, settings):
    # given a full computation running (as `recompute_risk` runs one: nothing pending to take), and a site's
    # change committed meanwhile
    settings.EAGER_TASKS_IN_REQUESTS = "background"
    with computation_running(company):
        PendingRecompute.objects.create(company=company, site_id=network[5].pk)
        # when a computation of the company starts for that change
        second = in_thread(lambda: recompute_company_risk.apply(args=[company.pk], throw=True))
        # then it does not run alongside the first (it would start from scores the first is replacing)
        second.join(timeout=2)
        assert second.is_alive(), "a second computation of the company ran while the first was running"
    # and once the first is over it runs, taking the change
    second.join(timeout=60)
    assert_scores_are_a_full_computations(company)
