"""Chaos test (PostgreSQL): stop and restart PostgreSQL while 150 diplomats use the app.

    .venv/bin/python load/chaos.py                         # 45 s of load, PostgreSQL down for 5 s at 15 s
    .venv/bin/python load/chaos.py --seconds 30 --outage 3 # CI
    .venv/bin/python load/chaos.py --restart               # one `pg_ctlcluster ... restart` instead

It runs load/locustfile.py against a private PostgreSQL-backed server (load/server.py) and, once the load is
steady, stops PostgreSQL with `pg_ctlcluster --skip-systemctl-redirect VERSION main stop -m fast`, polls
/readyz while it is down, starts it again and polls until /readyz answers 200. Then it checks:

- /readyz answered 503 (quickly, not a timeout) every time it was polled while the database was down;
- /readyz answered 200 again within 30 s of PostgreSQL being back;
- every failed request was in flight during the outage: it started before /readyz was healthy again and
  ended after the stop began (nothing failed before the stop or after the recovery);
- requests succeeded again after the recovery, with the same gunicorn workers (none restarted or booted);
- the database holds every acknowledged completion and submission; a row nobody saw acknowledged is only
  accepted for a write that failed during the outage (its answer lost); no attempt is half-written.

PostgreSQL is started again at the end whatever happens (try/finally). Exit status 1 if any check fails.
"""
from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import run as load_run
import server as load_server

RECOVERY_LIMIT = 30.0  # seconds from PostgreSQL back to /readyz 200


def pg_version() -> str:
    return max(p.name for p in Path("/etc/postgresql").iterdir())


def pg_ctl(action: str, *extra: str) -> float:
    """Run pg_ctlcluster; returns when it finished."""
    subprocess.run(["pg_ctlcluster", "--skip-systemctl-redirect", pg_version(), "main", action, *extra],
                   check=True, timeout=90, capture_output=True)
    return time.time()


def pg_ready() -> bool:
    ready = subprocess.run(["pg_isready", "-q", "-h", "127.0.0.1", "-p", "5432"], check=False, timeout=10)
    return ready.returncode == 0


def ensure_postgres_running() -> None:
    if pg_ready():
        return
    print("[chaos] starting PostgreSQL again", flush=True)
    try:
        pg_ctl("start")
    except Exception as exc:
        print(f"[chaos] pg_ctlcluster start: {exc}", flush=True)
    for _ in range(60):
        if pg_ready():
            return
        time.sleep(1)
    print("[chaos] WARNING: PostgreSQL is still not accepting connections", flush=True)


def health(url: str) -> tuple[int | None, float]:
    """(status or None on a timeout/connection error, seconds taken)."""
    t0 = time.time()
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, time.time() - t0
    except urllib.error.HTTPError as exc:
        return exc.code, time.time() - t0
    except (urllib.error.URLError, OSError):
        return None, time.time() - t0


class Poller(threading.Thread):
    """Polls /readyz every 0.25 s, keeping (time, status, seconds)."""

    def __init__(self, url: str):
        super().__init__(daemon=True)
        self.url, self.samples, self.stopped = url, [], threading.Event()

    def run(self):
        while not self.stopped.is_set():
            status, took = health(self.url)
            self.samples.append((time.time(), status, took))
            self.stopped.wait(0.25)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=int, default=45, help="load duration (default 45)")
    parser.add_argument("--at", type=float, default=15, help="stop PostgreSQL this many seconds in (default 15)")
    parser.add_argument("--outage", type=float, default=5, help="seconds PostgreSQL stays down (default 5)")
    parser.add_argument("--restart", action="store_true", help="use `pg_ctlcluster restart` (no chosen outage)")
    parser.add_argument("--users", type=int, default=150)
    parser.add_argument("--workers", type=int, default=4)
    args = parser.parse_args(argv)
    if args.at + args.outage + 10 > args.seconds:
        parser.error("--seconds must leave at least 10 s of load after the outage")
    if not pg_ready():
        print("[chaos] PostgreSQL is not running on 127.0.0.1:5432", flush=True)
        return 1
    checks: dict[str, bool] = {}
    try:
        with tempfile.TemporaryDirectory(prefix="lms-chaos-") as work, \
                load_server.serve(postgres=True, users=args.users, workers=args.workers) as srv:
            readyz = srv.base_url + "/readyz"
            load = load_run.LocustRun(srv.base_url, args.seconds, args.users, 50, Path(work)).start()
            poller = Poller(readyz)
            try:
                time.sleep(args.at)
                workers_before = srv.worker_pids()
                poller.start()
                time.sleep(1)
                t_stop = time.time()
                if args.restart:
                    print("[chaos] pg_ctlcluster restart", flush=True)
                    t_back = pg_ctl("restart", "-m", "fast")
                    t_down_end = t_back
                else:
                    print(f"[chaos] stopping PostgreSQL for {args.outage:g} s", flush=True)
                    t_down = pg_ctl("stop", "-m", "fast")
                    time.sleep(args.outage)
                    t_down_end = time.time()
                    t_back = pg_ctl("start")
                print(f"[chaos] PostgreSQL stopped at +{t_stop - load.started:.1f} s, back at "
                      f"+{t_back - load.started:.1f} s", flush=True)
                t_healthy = None
                deadline = t_back + RECOVERY_LIMIT
                while time.time() < deadline:
                    ok_after = [t for t, status, _ in poller.samples if t > t_back and status == 200]
                    if ok_after:
                        t_healthy = ok_after[0]
                        break
                    time.sleep(0.1)
                time.sleep(2)
                poller.stopped.set()
            finally:
                ensure_postgres_running()
                code = load.wait()
            results = load.results()
            label = "chaos"
            overall = load_run.summarise(load.stats(), label)

            # /readyz while down and after
            if args.restart:  # no chosen outage: between the restart's start and end, 200 or 503, never worse
                down = [(t, s, took) for t, s, took in poller.samples if t_stop <= t and t + took <= t_back]
                checks["/readyz 200 or 503 during the restart"] = all(s in (200, 503) for _, s, _ in down)
            else:
                down = [(t, s, took) for t, s, took in poller.samples if t_down <= t and t + took <= t_down_end]
                checks["/readyz 503 while down"] = bool(down) and all(s == 503 for _, s, _ in down)
            print(f"[chaos] /readyz while PostgreSQL was down: {len(down)} polls, statuses "
                  f"{sorted({s for _, s, _ in down}, key=str)}, slowest {max((x for *_, x in down), default=0):.2f} s")
            recovery = None if t_healthy is None else t_healthy - t_back
            print(f"[chaos] /readyz 200 again {recovery:.1f} s after PostgreSQL was back" if recovery is not None
                  else "[chaos] /readyz never answered 200 again")
            checks["/readyz 200 within 30 s"] = recovery is not None and recovery <= RECOVERY_LIMIT

            # failures only in flight during the outage
            window_end = (t_healthy or t_back + RECOVERY_LIMIT) + 0.5
            failures = results.get("failures", [])
            outside = [f for f in failures if not (f["t0"] <= window_end and f["t1"] >= t_stop)]
            for group, n in load_run.failure_summary(results).items():
                print(f"[chaos] failed x{n}: {group}")
            print(f"[chaos] {len(failures)} failed requests, {len(outside)} outside the outage "
                  f"(+{t_stop - load.started:.1f} s .. +{window_end - load.started:.1f} s)")
            for f in outside[:10]:
                print(f"[chaos] outside the outage at +{f['t0'] - load.started:.1f} s: {f['name']}: {f['error'][:120]}")
            checks["failures only during the outage"] = not outside
            timeline = {int(k): v for k, v in results.get("timeline", {}).items()}
            after = sum(n - bad for second, (n, bad) in timeline.items() if second > window_end)
            print("[chaos] requests per second (ok/failed) from the stop: " + " ".join(
                f"+{second - int(load.started)}:{n - bad}/{bad}" for second, (n, bad) in sorted(timeline.items())
                if t_stop - 3 <= second <= window_end + 3))
            checks["requests succeed after recovery"] = after > 0
            print(f"[chaos] {after} requests succeeded after the recovery")

            # same workers
            workers_after = srv.worker_pids()
            logs = srv.log_summary()
            print(f"[chaos] gunicorn workers before {sorted(workers_before)}, after {sorted(workers_after)}; "
                  f"server log: " + ", ".join(f"{k} {v}" for k, v in logs.items()))
            for line, n in srv.exceptions().items():
                print(f"[chaos] server log, x{n}: {line}")
            checks["same gunicorn workers"] = (workers_before == workers_after and len(workers_after) == args.workers
                                               and logs["worker boots"] == args.workers)

            # database: nothing lost, nothing doubled, nothing half-written
            unacked = {}
            for email, record in results["users"].items():
                for write in record["unacknowledged"]:
                    if write["t0"] <= window_end and write["t1"] >= t_stop:
                        unacked[(write["kind"], email, write["what"])] = write
            problems, counts = load_run.verify(srv.database_url, results,
                                               tolerate=lambda kind, email, what: (kind, email, what) in unacked)
            print(f"[chaos] {len(unacked)} writes unacknowledged during the outage; database check: "
                  + ", ".join(f"{k} {v}" for k, v in counts.items()))
            load_run.report_problems(label, problems)
            checks["database matches acknowledgements, nothing half-written"] = not problems
            print(f"[chaos] Locust exit {code} (expected 1: requests failed during the outage); "
                  f"{overall.get('requests')} requests in Locust's table")
    finally:
        ensure_postgres_running()
    for name, ok in checks.items():
        print(f"[chaos] {'PASS' if ok else 'FAIL'}: {name}")
    passed = bool(checks) and all(checks.values())
    print(f"== chaos: {'PASS' if passed else 'FAIL'}", flush=True)
    return 0 if passed else 1


if __name__ == "__main__":
    sys.exit(main())
