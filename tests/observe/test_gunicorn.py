"""deploy/gunicorn.conf.py under real gunicorn: two workers, and one /metrics that sums them both."""
from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from prometheus_client.parser import text_string_to_metric_families

ROOT = Path(__file__).resolve().parents[2]
GUNICORN = Path(sys.executable).parent / "gunicorn"
REQUESTS = 60


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(url: str) -> int:
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.status


@pytest.fixture
def gunicorn(tmp_path):
    """gunicorn started as `make run` starts it, on a free port, with its own instance folder and SQLite file."""
    port, instance = free_port(), tmp_path / "instance"
    env = {**os.environ, "PORT": str(port), "WEB_CONCURRENCY": "2", "LMS_INSTANCE_PATH": str(instance),
           "DATABASE_URL": f"sqlite:///{tmp_path / 'lms.sqlite3'}"}
    for name in ("PROMETHEUS_MULTIPROC_DIR", "SECRET_KEY", "REDIS_URL", "LMS_ENV", "METRICS_ALLOW", "METRICS_TOKEN"):
        env.pop(name, None)
    log = (tmp_path / "gunicorn.log").open("w")
    process = subprocess.Popen([str(GUNICORN), "-c", "deploy/gunicorn.conf.py", "lms:create_app()"], cwd=ROOT,
                               env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            with contextlib.suppress(urllib.error.URLError, OSError):
                if get(base + "/healthz") == 200:
                    break
            assert process.poll() is None and time.monotonic() < deadline, (tmp_path / "gunicorn.log").read_text()
            time.sleep(0.2)
        yield base, instance
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)
        log.close()


def healthz_count(base: str) -> float:
    """lms_http_requests_total for /healthz, as one scrape reports it."""
    with urllib.request.urlopen(base + "/metrics", timeout=10) as response:
        text = response.read().decode()
    return sum(sample.value for family in text_string_to_metric_families(text) for sample in family.samples
               if sample.name == "lms_http_requests_total" and sample.labels["endpoint"] == "ops.healthz")


def test_metrics_sum_the_requests_of_every_worker(gunicorn):
    base, instance = gunicorn
    before = healthz_count(base)
    with ThreadPoolExecutor(max_workers=8) as pool:  # both workers busy at once, so both answer some
        statuses = list(pool.map(get, [base + "/healthz"] * REQUESTS))
    assert statuses == [200] * REQUESTS
    assert healthz_count(base) - before == REQUESTS  # whichever worker answers the scrape
    counters = {path.name for path in (instance / "prometheus").glob("counter_*.db")}
    assert len(counters) == 2, counters  # both workers wrote: the sum above is across processes
