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
BATCH = 8


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(url: str) -> int:
    # Long: during a HUP a request waits in the listen queue while new workers import the app.
    with urllib.request.urlopen(url, timeout=60) as response:
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
        yield base, instance, process
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)
        log.close()


def worker_pids(master: int) -> set[int]:
    """The gunicorn workers now running under ``master`` (read from /proc)."""
    pids = set()
    for entry in Path("/proc").glob("[0-9]*"):
        with contextlib.suppress(OSError):
            if int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1]) == master:
                pids.add(int(entry.name))
    return pids


def counter_files(instance: Path) -> set[str]:
    """The metric files of the workers that have counted a request (one per worker process)."""
    return {path.name for path in (instance / "prometheus").glob("counter_*.db")}


def healthz_count(base: str) -> float:
    """lms_http_requests_total for /healthz, as one scrape reports it."""
    with urllib.request.urlopen(base + "/metrics", timeout=10) as response:
        text = response.read().decode()
    return sum(sample.value for family in text_string_to_metric_families(text) for sample in family.samples
               if sample.name == "lms_http_requests_total" and sample.labels["endpoint"] == "ops.healthz")


def test_metrics_sum_the_requests_of_every_worker(gunicorn):
    base, instance, _process = gunicorn
    before, statuses = healthz_count(base), []
    with ThreadPoolExecutor(max_workers=BATCH) as pool:  # until both workers have answered some
        while len(counter_files(instance)) < 2 and len(statuses) < 100 * BATCH:
            statuses += pool.map(get, [base + "/healthz"] * BATCH)
    assert len(counter_files(instance)) == 2, counter_files(instance)
    assert statuses == [200] * len(statuses)
    assert healthz_count(base) - before == len(statuses)  # N requests counted N, whichever worker answers


def test_hup_replaces_the_workers_without_dropping_a_request(gunicorn):
    base, instance, process = gunicorn
    old = worker_pids(process.pid)
    before = healthz_count(base)
    with ThreadPoolExecutor(max_workers=4) as pool:
        answers = [pool.submit(get, base + "/healthz") for _ in range(20)]
        os.kill(process.pid, signal.SIGHUP)  # the graceful restart of docs/operations.md
        deadline = time.monotonic() + 30
        while (len(worker_pids(process.pid)) != 2 or worker_pids(process.pid) & old) and time.monotonic() < deadline:
            answers.append(pool.submit(get, base + "/healthz"))
            time.sleep(0.05)
        answers += [pool.submit(get, base + "/healthz") for _ in range(20)]
        statuses = [answer.result() for answer in answers]
    new = worker_pids(process.pid)
    assert len(new) == 2 and not new & old and statuses == [200] * len(statuses)
    assert healthz_count(base) - before == len(statuses)  # the old workers' counts stay in the sums
    live = {path.name for path in (instance / "prometheus").glob("gauge_livesum_*.db")}
    assert not {f"gauge_livesum_{pid}.db" for pid in old} & live  # child_exit marked them dead
