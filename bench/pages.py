"""Learner pages and the coordinator dashboard under gunicorn, each as a share of the bare route (/healthz).

Usage: python -m bench.pages [--seconds N] [--concurrency C] [--diplomats N] [--database-url URL]

Starts the app as deployed (gunicorn, 4 workers, ``lms:create_app()``) over a temporary instance folder
(load/server.py's instance config: cheap password hash, relaxed sign-in limits), migrates a fresh SQLite
database in it (or EMPTIES the database at --database-url: never point it at real data), imports courses/ and
quizzes/, generates an organisation of --diplomats diplomats (lms.demo.organisation.generate_org) and creates
one signed-in diplomat per client and a coordinator. Then, in one run, C concurrent client processes
(http.client, their own session cookies) hit each page for --seconds seconds:

  bare route /healthz, a lesson page, the course page, the quiz overview page, and a quiz submission
  (each client starts an attempt, then submits it; only the submit POST is measured),

and the coordinator dashboard (/reports/) is timed over sequential requests with REPORT_CACHE_SECONDS = 0
and again with the cache on (gunicorn is restarted with the other instance config in between).
Prints requests/s, p50 and p95 per page, each page's throughput as a share of the bare route's, and
PASS/MISS against the targets; timing never fails the run (exit 0 unless something errors).
"""
from __future__ import annotations

import argparse
import contextlib
import http.client
import json
import multiprocessing
import os
import re
import secrets
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from load.server import (  # noqa: E402  (after the sys.path line above, so it runs as a script)
    INSTANCE_CONFIG,
    PYTHON,
    VENV_BIN,
    _run,
    free_port,
    wait_for_http,
)

PASSWORD = "harbour lantern quietly sings"
LEARNER = "bench-diplomat-{:03d}@bench.example.org"
COORDINATOR = "bench-coordinator@bench.example.org"
CACHE_ON_SECONDS = 60
# page -> minimum share of the bare route's throughput (the targets on a 2-core machine)
TARGETS = {"lesson page": 0.50, "course page": 0.50, "quiz page": 0.40, "quiz submission": 0.20}
DASHBOARD_MAX_RATIO = 10.0
CSRF = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')


# ---------------------------------------------------------------- seeding (runs in the server's environment)

def seed(diplomats: int, learners: int) -> None:
    """Empty the database, migrate it, import content, generate the organisation, create the signed-in users.

    Prints one JSON line with the URLs to measure.
    """
    from sqlalchemy import select, text

    from lms import create_app
    from lms.accounts import create_user
    from lms.database.engine import refresh_statistics
    from lms.demo.organisation import generate_org
    from lms.extensions import db
    from lms.models import Course, Lesson, Module, Quiz

    app = create_app()
    with app.app_context():
        db.drop_all()
        db.session.execute(text("DROP TABLE IF EXISTS alembic_version"))
        db.session.commit()
        db.engine.dispose()
    env = dict(os.environ)
    _run([str(VENV_BIN / "flask"), "--app", "lms", "db", "upgrade"], env)
    _run([str(VENV_BIN / "flask"), "--app", "lms", "import-content"], env)
    app = create_app()
    with app.app_context():
        started = time.perf_counter()
        counts = generate_org(diplomats, 90, 8)
        for n in range(1, learners + 1):
            create_user(LEARNER.format(n), f"Bench Diplomat {n:03d}", PASSWORD, ["diplomat"])
        create_user(COORDINATOR, "Bench Coordinator", PASSWORD, ["coordinator"])
        db.session.commit()
        refresh_statistics()
        print(f"[bench] generated in {time.perf_counter() - started:.1f} s: {counts}", file=sys.stderr)
        course = db.session.scalars(select(Course).where(Course.visible()).order_by(Course.id)).first()
        modules = list(db.session.scalars(select(Module).where(Module.course_id == course.id, Module.visible())
                                          .order_by(Module.position)))
        first = modules[0]
        lesson = db.session.scalars(select(Lesson).where(Lesson.module_id == first.id, Lesson.visible())
                                    .order_by(Lesson.position)).first()
        quiz_module = next(m for m in modules
                           if (q := db.session.scalar(select(Quiz).where(Quiz.module_id == m.id))) is not None
                           and q.max_attempts is None)  # unlimited attempts: the submission loop may run on
        base = f"/courses/{course.slug}/"
        print(json.dumps({"course": base, "lesson": f"{base}{first.slug}/{lesson.slug}",
                          "quiz": f"{base}{quiz_module.slug}/quiz"}))


# ---------------------------------------------------------------- a tiny HTTP client with cookies

class Client:
    def __init__(self, port: int):
        self.port = port
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, form: dict | list | None = None, timeout: float = 30):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        headers = {}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            body = urllib.parse.urlencode(form, doseq=True)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            data = response.read()
            for header in response.headers.get_all("Set-Cookie") or []:
                name, _, rest = header.partition("=")
                value = rest.split(";", 1)[0]
                if "expires=Thu, 01 Jan 1970" in header or value == "":
                    self.cookies.pop(name.strip(), None)
                else:
                    self.cookies[name.strip()] = value
            return response.status, response.headers, data
        finally:
            conn.close()

    def get(self, path: str):
        return self.request("GET", path)

    def sign_in(self, email: str) -> str:
        status, _, body = self.get("/login")
        token = CSRF.search(body.decode()).group(1)
        status, _, _ = self.request("POST", "/login", {"csrf_token": token, "email": email,
                                                              "password": PASSWORD})
        if status != 302:
            raise RuntimeError(f"sign-in of {email} answered {status}")
        status, _, body = self.get("/")
        match = CSRF.search(body.decode())
        if status != 200:
            raise RuntimeError(f"home page after sign-in answered {status}")
        return match.group(1) if match else token


def _answers(fields: int = 12) -> dict:
    """Some answer for every question (position q0..q11): option 0, typed '0'; grading runs on all of them."""
    return {f"q{i}": "0" for i in range(fields)}


def _client_loop(args) -> tuple[list[float], int, float]:
    """One client process: sign in, then hit the page until the deadline. Returns (latencies, errors, busy)."""
    port, number, kind, path, start_at, seconds = args
    client = Client(port)
    token = client.sign_in(LEARNER.format(number)) if kind != "bare" else None
    if kind == "submit":
        token = CSRF.search(client.get(path)[2].decode()).group(1)
    while time.time() < start_at:
        time.sleep(0.005)
    deadline = start_at + seconds
    latencies, errors, busy = [], 0, 0.0
    while True:
        now = time.perf_counter()
        if time.time() >= deadline:
            break
        if kind == "submit":
            t0 = time.perf_counter()
            status, headers, _ = client.request("POST", path + "/start", {"csrf_token": token})
            busy += time.perf_counter() - t0
            if status != 302 or "/quiz/attempts/" not in headers.get("Location", ""):
                errors += 1
                continue
            sheet = urllib.parse.urlparse(headers["Location"]).path
            now = time.perf_counter()
            status, headers, _ = client.request("POST", sheet, {"csrf_token": token, **_answers()})
            ok = status == 302 and headers.get("Location", "").endswith("/review")
        else:
            status, _, _ = client.get(path)
            ok = status == 200
        elapsed = time.perf_counter() - now
        busy += elapsed
        if ok:
            latencies.append(elapsed)
        else:
            errors += 1
    return latencies, errors, busy


def measure(pool, port: int, kind: str, path: str, concurrency: int, seconds: float) -> dict:
    start_at = time.time() + 1.5 + 0.05 * concurrency  # every client signed in before the clock starts
    jobs = [(port, n + 1, kind, path, start_at, seconds) for n in range(concurrency)]
    results = pool.map(_client_loop, jobs)
    latencies = sorted(x for r in results for x in r[0])
    errors = sum(r[1] for r in results)
    busy = sum(r[2] for r in results)
    measured = sum(latencies)
    rps = len(latencies) / seconds
    if kind == "submit" and measured:
        # the clients also spent time on the start POSTs: scale to the submit-only rate (Little's law)
        rps = rps * busy / measured
    return {"rps": rps, "count": len(latencies), "errors": errors, "p50": _pct(latencies, 50),
            "p95": _pct(latencies, 95)}


def _pct(sorted_values: list[float], p: float) -> float:
    if not sorted_values:
        return float("nan")
    index = min(len(sorted_values) - 1, max(0, round(p / 100 * len(sorted_values) + 0.5) - 1))
    return 1000 * sorted_values[index]


def sequential_median(client: Client, path: str, requests: int, warmup: int) -> float:
    for _ in range(warmup):
        client.get(path)
    times = []
    for _ in range(requests):
        t0 = time.perf_counter()
        status, _, _ = client.get(path)
        times.append(time.perf_counter() - t0)
        if status != 200:
            raise RuntimeError(f"{path} answered {status}")
    return 1000 * statistics.median(times)


# ---------------------------------------------------------------- the server

class Gunicorn:
    def __init__(self, env: dict, log_path: Path, workers: int):
        self.env, self.log_path, self.workers = env, log_path, workers
        self.process = None
        self.port = None

    def start(self) -> None:
        self.port = free_port()
        with open(self.log_path, "a") as log:
            self.process = subprocess.Popen(
                [str(VENV_BIN / "gunicorn"), "--workers", str(self.workers), "--bind", f"127.0.0.1:{self.port}",
                 "--graceful-timeout", "10", "--timeout", "60", "lms:create_app()"],
                env=self.env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        if not wait_for_http(f"http://127.0.0.1:{self.port}/healthz", 30):
            raise RuntimeError("gunicorn did not answer /healthz within 30 s:\n"
                               + self.log_path.read_text(errors="replace")[-3000:])
        time.sleep(1.0)  # let every worker finish booting

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)


def write_config(instance: Path, secret: str, cache_seconds: int) -> None:
    (instance / "config.py").write_text(
        INSTANCE_CONFIG.format(secret=secret, prefix=f"lms-bench-{instance.parent.name}")
        + f"# bench/pages.py: the dashboard is measured with the report cache off (0) and on.\n"
          f"REPORT_CACHE_SECONDS = {cache_seconds}\n")


def main() -> int:
    if sys.argv[1:2] == ["seed"]:
        seed(int(sys.argv[2]), int(sys.argv[3]))
        return 0
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=10.0, help="run length per page (default 10)")
    parser.add_argument("--concurrency", type=int, default=8, help="concurrent clients (default 8)")
    parser.add_argument("--diplomats", type=int, default=10000)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--dashboard-requests", type=int, default=15)
    parser.add_argument("--database-url", default=None,
                        help="e.g. postgresql://postgres@127.0.0.1/lms_bench; EMPTIED first (default: temp SQLite)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder (logs)")
    args = parser.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="lms-bench-"))
    instance = tmp / "instance"
    instance.mkdir()
    secret = secrets.token_hex(32)
    write_config(instance, secret, 0)
    database_url = args.database_url or f"sqlite:///{instance / 'lms.sqlite3'}"
    env = {**os.environ, "LMS_INSTANCE_PATH": str(instance), "DATABASE_URL": database_url,
           "FLASK_APP": "lms", "PYTHONPATH": str(ROOT)}
    for name in ("SECRET_KEY", "REDIS_URL"):
        env.pop(name, None)
    server = Gunicorn(env, tmp / "gunicorn.log", args.workers)
    try:
        started = time.monotonic()
        seeded = subprocess.run([PYTHON, "-m", "bench.pages", "seed", str(args.diplomats), str(args.concurrency)],
                                env=env, cwd=ROOT, capture_output=True, text=True, timeout=900, check=False)
        sys.stderr.write(seeded.stderr[-2000:] if seeded.returncode else seeded.stderr)
        if seeded.returncode:
            raise RuntimeError(f"seeding failed ({seeded.returncode})")
        urls = json.loads(seeded.stdout.strip().splitlines()[-1])
        print(f"[bench] {'SQLite' if database_url.startswith('sqlite') else 'database ' + database_url}: "
              f"seeded in {time.monotonic() - started:.1f} s; pages {urls}", flush=True)

        server.start()
        print(f"[bench] gunicorn, {args.workers} workers, on 127.0.0.1:{server.port}; "
              f"{args.concurrency} clients, {args.seconds:g} s per page", flush=True)
        pages = [("bare route (/healthz)", "bare", "/healthz"), ("lesson page", "page", urls["lesson"]),
                 ("course page", "page", urls["course"]), ("quiz page", "page", urls["quiz"]),
                 ("quiz submission", "submit", urls["quiz"])]
        rows = {}
        ctx = multiprocessing.get_context("fork")
        with ctx.Pool(args.concurrency) as pool:
            for name, kind, path in pages:
                measure(pool, server.port, kind, path, args.concurrency, min(2.0, args.seconds))  # warm-up
                rows[name] = measure(pool, server.port, kind, path, args.concurrency, args.seconds)
                r = rows[name]
                print(f"[bench] {name}: {r['rps']:.0f} req/s, p50 {r['p50']:.1f} ms ({r['count']} ok, "
                      f"{r['errors']} errors)", flush=True)

        coordinator = Client(server.port)
        coordinator.sign_in(COORDINATOR)
        dashboard = {}
        for cache_seconds in (0, CACHE_ON_SECONDS):
            if cache_seconds:
                server.stop()
                write_config(instance, secret, cache_seconds)
                server.start()
                coordinator.port = server.port  # the session cookie outlives the restart (same SECRET_KEY)
            bare = sequential_median(coordinator, "/healthz", 3 * args.dashboard_requests, 5)
            board = sequential_median(coordinator, "/reports/", args.dashboard_requests, 2 * args.workers)
            dashboard[cache_seconds] = (bare, board)
            print(f"[bench] dashboard, cache {cache_seconds} s: {board:.1f} ms median (bare {bare:.1f} ms)",
                  flush=True)

        report(rows, dashboard, args)
        summary = server.log_path.read_text(errors="replace")
        for needle in ("Traceback", "database is locked", "WORKER TIMEOUT"):
            if needle in summary:
                print(f"[bench] note: the server log mentions {needle!r} {summary.count(needle)} time(s)")
        return 0
    finally:
        server.stop()
        if args.keep:
            print(f"[bench] kept {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)


def report(rows: dict, dashboard: dict, args) -> None:
    bare = rows["bare route (/healthz)"]
    print(f"\n{'page':<24} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'errors':>7} {'vs bare':>8}  target")
    for name, r in rows.items():
        share = r["rps"] / bare["rps"] if bare["rps"] else float("nan")
        target = TARGETS.get(name)
        verdict = "" if target is None else (f">= {target:.0%}  " + ("PASS" if share >= target else "MISS"))
        print(f"{name:<24} {r['rps']:>8.1f} {r['p50']:>8.1f} {r['p95']:>8.1f} {r['errors']:>7} "
              f"{share:>8.0%}  {verdict}")
    print(f"\n{'dashboard (sequential)':<24} {'median ms':>10} {'bare ms':>8} {'x bare':>8}  target")
    for cache_seconds, (bare_ms, board_ms) in dashboard.items():
        ratio = board_ms / bare_ms
        label = f"/reports/, cache {'off' if not cache_seconds else f'{cache_seconds} s'}"
        print(f"{label:<24} {board_ms:>10.1f} {bare_ms:>8.2f} {ratio:>8.1f}  <= {DASHBOARD_MAX_RATIO:g}x  "
              + ("PASS" if ratio <= DASHBOARD_MAX_RATIO else "MISS"))
    print("\nquiz submission: each client starts an attempt, then submits it; only the submit POST is timed, and its "
          "req/s is the submit-only rate (submits/s scaled by the clients' time in all requests / in submits).")
    print(f"{args.concurrency} clients x {args.seconds:g} s per page, {args.diplomats} generated diplomats, "
          f"{args.workers} gunicorn workers. Timing never fails the run.")


if __name__ == "__main__":
    sys.exit(main())
