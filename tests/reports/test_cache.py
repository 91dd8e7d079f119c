"""The report cache: shared through Redis by every server, stable keys across processes, and a Redis outage
that costs speed, not pages."""
import logging
import os
import subprocess
import sys

import pytest
import redis

from lms.reports.cache import cached
from tests.fixtures.app import dispose, make_test_app
from tests.helpers import signed_in_client
from tests.reports.test_cost import grow


@pytest.fixture
def servers(database_url):
    """``servers(n, **config)``: n apps on the test's database, as n app servers would be, with the cache on."""
    built = []

    def build(count: int, **config):
        apps = [make_test_app(database_url, REPORT_CACHE_SECONDS=60, **config) for _ in range(count)]
        built.extend(apps)
        return apps

    yield build
    for app in built:
        dispose(app)


def figures(app, key: tuple, value):
    """What ``cached(key, ...)`` gives on ``app``, and whether it had to compute it."""
    computed = []
    with app.app_context():
        given = cached(key, lambda: computed.append(key) or value)
    return given, bool(computed)


def test_a_figure_computed_by_one_server_is_served_by_another(servers, redis_keys):
    url, prefix = redis_keys
    first, second = servers(2, REDIS_URL=url, QUEUE_NAME=prefix)
    assert figures(first, ("overview", {"Europe", "Africa"}), {"rate": 41.5}) == ({"rate": 41.5}, True)
    assert figures(second, ("overview", {"Africa", "Europe"}), {"rate": 0}) == ({"rate": 41.5}, False)
    assert figures(second, ("overview", None), None) == (None, True)
    assert figures(first, ("overview", None), "recomputed") == (None, False)  # None is a figure too
    stored = redis.Redis.from_url(url).keys(f"{prefix}-reports:*")
    assert len(stored) == 2


def test_a_dashboard_computed_on_one_server_is_shown_by_another(servers, redis_keys, quiz_content, make_user):
    url, prefix = redis_keys
    first, second = servers(2, REDIS_URL=url, QUEUE_NAME=prefix)  # successful sign-ins write no limit counters
    coordinator = make_user("coordinator")
    browsers = [signed_in_client(app, coordinator) for app in (first, second)]
    table = "/reports/?export=csv&table=course"
    shown = browsers[0].get(table).get_data()
    grow(first, 20)  # 20 more learners: the cached figures are now a little old
    assert browsers[1].get(table).get_data() == shown
    second.config["REPORT_CACHE_SECONDS"] = 0
    assert browsers[1].get(table).get_data() != shown


def test_cache_keys_are_the_same_in_every_process():
    """Another process has another hash seed: keys built with hash(), or from a set's order, would differ."""
    script = ("from datetime import date; from lms.reports.cache import cache_key;"
              "from lms.reports.filters import Filters;"
              "print(cache_key(('overview', Filters(course_id=1, region='Europe', date_from=date(2026, 1, 1)),"
              " {'Africa', 'Europe', 'Asia', 'Americas'})))")
    keys = {subprocess.run([sys.executable, "-c", script], env={**os.environ, "PYTHONHASHSEED": str(seed)},
                           capture_output=True, text=True, check=True).stdout for seed in (1, 2)}
    assert len(keys) == 1 and len(keys.pop().strip()) == 64


def test_without_redis_each_process_keeps_its_own(servers):
    first, second = servers(2)
    assert figures(first, ("weeks",), 3) == (3, True)
    assert figures(first, ("weeks",), 4) == (3, False)
    assert figures(second, ("weeks",), 4) == (4, True)


def test_a_redis_outage_computes_the_figures_and_warns_once(servers, closed_port, caplog):
    (app,) = servers(1, REDIS_URL=f"redis://127.0.0.1:{closed_port}/0")
    with caplog.at_level(logging.WARNING):
        results = [figures(app, ("weeks",), n) for n in range(3)]
    assert results == [(0, True), (1, True), (2, True)]
    warnings = [r.getMessage() for r in caplog.records if "report cache unreachable" in r.getMessage()]
    assert len(warnings) == 1, warnings
