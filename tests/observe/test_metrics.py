"""/metrics: requests per route, the pool and the queue, for allowed addresses or the token only."""
from __future__ import annotations

import uuid

import pytest
from prometheus_client.parser import text_string_to_metric_families

from lms.config import SETTINGS, typed
from lms.jobs import jobs
from tests.fixtures.app import dispose, make_test_app

OUTSIDER = {"REMOTE_ADDR": "203.0.113.9"}


def samples(response) -> dict[tuple, float]:
    """The scrape's samples: (name, sorted labels) -> value."""
    assert response.status_code == 200, response.status_code
    assert response.headers["Content-Type"].startswith("text/plain; version=")
    text = response.get_data(as_text=True)
    return {(sample.name, tuple(sorted(sample.labels.items()))): sample.value
            for family in text_string_to_metric_families(text) for sample in family.samples}


def request_counts(client) -> dict[tuple, float]:
    """lms_http_requests_total by (endpoint, method, status)."""
    return {tuple(dict(labels)[key] for key in ("endpoint", "method", "status")): value
            for (name, labels), value in samples(client.get("/metrics")).items() if name == "lms_http_requests_total"}


def test_requests_are_counted_per_route_never_per_path(client):
    before = request_counts(client)  # the registry is the process's: earlier tests' requests are in it
    for _ in range(3):
        client.get("/healthz")
    client.get("/login")
    client.get("/courses/no-such-course/")
    client.get("/no/such/page")
    after = request_counts(client)
    grown = {key: after[key] - before.get(key, 0) for key in after if after[key] != before.get(key, 0)}
    assert grown[("ops.healthz", "GET", "200")] == 3 and grown[("auth.login", "GET", "200")] == 1
    assert grown[("unmatched", "GET", "404")] == 1  # the unknown path has no label of its own
    assert not any("/" in endpoint for endpoint, _, _ in after)


def test_latency_is_a_histogram_per_route(client):
    client.get("/healthz")
    found = samples(client.get("/metrics"))
    assert found[("lms_http_request_duration_seconds_count", (("endpoint", "ops.healthz"),))] >= 1
    assert ("lms_http_request_duration_seconds_bucket", (("endpoint", "ops.healthz"), ("le", "0.05"))) in found


def test_the_pool_and_queue_are_reported(client):
    found = samples(client.get("/metrics"))
    assert found[("lms_db_pool_size", ())] >= 1 and found[("lms_db_pool_checked_out", ())] >= 0
    assert found[("lms_job_queue_up", ())] == 1 and found[("lms_job_queue_pending", ())] == 0


def test_the_queue_depth_counts_waiting_jobs(database_url, tmp_path, monkeypatch):
    monkeypatch.setenv("LMS_INSTANCE_PATH", str(tmp_path / "instance"))  # the SQLite queue file goes here
    app = make_test_app(database_url, JOBS_IMMEDIATE=False, QUEUE_NAME=f"lms-metrics-{uuid.uuid4().hex[:8]}")
    try:
        with app.app_context():
            jobs().deliver_soon([1, 2, 3])  # one batch: one job, waiting for a worker that is not running
        found = samples(app.test_client().get("/metrics"))
        assert found[("lms_job_queue_pending", ())] == 1
    finally:
        dispose(app)


def test_only_the_local_addresses_may_scrape_by_default(client):
    assert client.get("/metrics", environ_base={"REMOTE_ADDR": "::1"}).status_code == 200
    response = client.get("/metrics", environ_base=OUTSIDER)
    assert response.status_code == 404 and "lms_http" not in response.get_data(as_text=True)
    assert "There is nothing at this address" in response.get_data(as_text=True)  # as if there were no such page
    default = next(setting for setting in SETTINGS if setting.name == "METRICS_ALLOW").shown_default
    assert default == "`127.0.0.1,::1`"


def test_the_token_opens_metrics_from_anywhere(app, client):
    app.config["METRICS_TOKEN"] = "scrape-secret"
    assert client.get("/metrics", environ_base=OUTSIDER,
                      headers={"Authorization": "Bearer scrape-secret"}).status_code == 200
    for wrong in ("Bearer scrape-secreT", "Bearer ", "scrape-secret", "Bearer scrape-secret "):
        assert client.get("/metrics", environ_base=OUTSIDER, headers={"Authorization": wrong}).status_code == 404


@pytest.mark.parametrize("address, status", [("10.20.30.40", 200), ("127.0.0.1", 404), ("11.0.0.1", 404)])
def test_metrics_allow_takes_ranges(app, client, address, status):
    app.config.update(typed({"METRICS_ALLOW": "10.0.0.0/8, 192.0.2.7"}, "the test"))
    assert client.get("/metrics", environ_base={"REMOTE_ADDR": address}).status_code == status
