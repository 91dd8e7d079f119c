"""gunicorn's settings for `make run` and production: `gunicorn -c deploy/gunicorn.conf.py "lms:create_app()"`.

Not ./gunicorn.conf.py, which gunicorn would load for any app started from the repository. This file must
not import the app: the master then never holds its code, and `kill -HUP <master>` starts new workers on
the code now on disk while the old ones finish the requests in hand (a graceful restart).
"""
import os
import shutil
from pathlib import Path


def _whole(name: str, default: int) -> int:
    """An environment variable that must be a whole number ≥ 1; a clear message instead of a traceback."""
    value = os.environ.get(name) or str(default)
    if not value.strip().isdigit() or int(value) < 1:
        raise SystemExit(f"{name} = {value!r} in the environment: expected a whole number, 1 or more")
    return int(value)


ROOT = Path(__file__).resolve().parent.parent
INSTANCE = Path(os.environ.get("LMS_INSTANCE_PATH") or ROOT / "instance")

bind = f"127.0.0.1:{_whole('PORT', 8000)}"  # behind the proxy, on this host only
# Sync workers: each answers one request at a time, so SQLite's single writer and the pool stay simple.
# Two suit the embedded default on a small machine; see docs/operations.md for sizing.
worker_class = "sync"
workers = _whole("WEB_CONCURRENCY", 2)
timeout = 30  # a worker silent this long is killed and replaced (the longest page, a big report, takes seconds)
graceful_timeout = 30  # on HUP or TERM, requests in hand get this long to finish
keepalive = 2  # gunicorn's default, stated: sync workers close each connection after its answer anyway

# The app writes one access line per request itself (JSON, with its request id and user); gunicorn's own
# would be a second, poorer line for the same request.
accesslog = None
errorlog = "-"
control_socket = str(INSTANCE / "gunicorn.ctl")  # gunicorn 27+: one per server, not one per user account

# Metrics from every worker, summed at scrape time (lms/observe/metrics.py). Set here, in the master,
# before any worker imports prometheus_client.
METRICS_DIR = Path(os.environ.setdefault("PROMETHEUS_MULTIPROC_DIR", str(INSTANCE / "prometheus")))

if os.environ.get("LOG_FORMAT", "json") == "json":
    # gunicorn's own lines (start, worker boots and timeouts) in the app's JSON fields (lms/observe/logs.py).
    logconfig_dict = {
        "version": 1,
        "disable_existing_loggers": False,
        "root": {"level": "INFO", "handlers": []},
        "loggers": {"gunicorn.error": {"level": "INFO", "handlers": ["json"], "propagate": False}},
        "handlers": {"json": {"class": "logging.StreamHandler", "formatter": "json", "stream": "ext://sys.stderr"}},
        "formatters": {"json": {"()": "pythonjsonlogger.orjson.OrjsonFormatter", "fmt": "{message}{levelname}{name}",
                                "style": "{", "rename_fields": {"levelname": "level", "name": "logger"},
                                "timestamp": "time"}},
    }


def on_starting(server):
    """Once per master start (not on HUP): last run's metric files would be counted again, so remove them."""
    shutil.rmtree(METRICS_DIR, ignore_errors=True)
    METRICS_DIR.mkdir(parents=True)


def child_exit(server, worker):
    """A worker has gone: its live gauges (the pool) stop counting; its counters stay in the sums."""
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)
