"""Load test: 150 diplomats for a bounded time on SQLite and then PostgreSQL, then check the database.

    .venv/bin/python load/run.py                   # 60 s on SQLite, then 60 s on PostgreSQL
    .venv/bin/python load/run.py --seconds 20      # CI
    .venv/bin/python load/run.py --postgres        # only PostgreSQL (--sqlite: only SQLite)

For each database it starts a private server (load/server.py), runs load/locustfile.py headless, prints
p50/p95 and requests/s from Locust's stats and the failure count, then compares the database with what
the clients saw acknowledged:

- lesson completions (lesson_progress rows with completed_at) = the lessons acknowledged complete, per user;
- submitted attempts (quiz_attempt rows with submitted_at) = the attempts acknowledged submitted, per user;
- no attempt half-written: a submitted attempt has its score (points, max_points, percent, passed) and one
  answer row per question it was given; an unsubmitted one has neither.

Exit status 1 on any failed request, any mismatch or any half-written attempt.
"""
from __future__ import annotations

import argparse
import csv
import json
import os
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import server as load_server

LOCUST = str(load_server.VENV_BIN / "locust")
LOCUSTFILE = str(Path(__file__).resolve().parent / "locustfile.py")


class LocustRun:
    """Locust headless in a subprocess: start it, then wait for it and read its stats and results."""

    def __init__(self, host: str, seconds: int, users: int, spawn_rate: int, workdir: Path):
        self.workdir = workdir
        self.results_path = workdir / "results.json"
        self.csv_prefix = workdir / "locust"
        self.output_path = workdir / "locust.out"
        self.seconds = seconds
        self.args = [LOCUST, "-f", LOCUSTFILE, "--headless", "-u", str(users), "-r", str(spawn_rate),
                     "-t", f"{seconds}s", "--host", host, "--stop-timeout", "30", "--csv", str(self.csv_prefix),
                     "--only-summary", "--loglevel", "WARNING"]
        self.env = {**os.environ, "LOAD_RESULTS": str(self.results_path), "LOAD_USERS": str(users)}
        self.process: subprocess.Popen | None = None

    def start(self) -> LocustRun:
        self.started = time.time()
        self._out = open(self.output_path, "w")  # noqa: SIM115 - open while Locust runs
        self.process = subprocess.Popen(self.args, env=self.env, cwd=load_server.ROOT, stdout=self._out,
                                        stderr=subprocess.STDOUT)
        return self

    def wait(self) -> int:
        try:
            code = self.process.wait(timeout=self.seconds + 120)
        except subprocess.TimeoutExpired:
            self.process.kill()
            code = self.process.wait(timeout=10)
            print("[load] Locust did not stop in time and was killed", flush=True)
        self._out.close()
        return code

    def stats(self) -> list[dict]:
        path = Path(f"{self.csv_prefix}_stats.csv")
        return list(csv.DictReader(path.open())) if path.exists() else []

    def results(self) -> dict:
        return json.loads(self.results_path.read_text()) if self.results_path.exists() else {}

    def output(self) -> str:
        return self.output_path.read_text(errors="replace") if self.output_path.exists() else ""


def summarise(stats: list[dict], label: str) -> dict:
    """Print the per-page and overall figures; returns the overall row as numbers."""
    rows = [r for r in stats if r["Name"] != "Aggregated"]
    total = next((r for r in stats if r["Name"] == "Aggregated"), None)
    if total is None:
        print(f"[{label}] no Locust stats")
        return {}
    print(f"[{label}] {'request':58} {'count':>6} {'fails':>5} {'p50 ms':>7} {'p95 ms':>7}")
    for r in sorted(rows, key=lambda r: r["Name"]):
        print(f"[{label}] {(r['Type'] + ' ' + r['Name'])[:58]:58} {r['Request Count']:>6} {r['Failure Count']:>5} "
              f"{r['50%']:>7} {r['95%']:>7}")
    overall = {"requests": int(total["Request Count"]), "failures": int(total["Failure Count"]),
               "p50": float(total["50%"]), "p95": float(total["95%"]), "p99": float(total["99%"]),
               "rps": float(total["Requests/s"])}
    print(f"[{label}] ALL: {overall['requests']} requests, {overall['failures']} failed, p50 {overall['p50']:.0f} ms, "
          f"p95 {overall['p95']:.0f} ms, p99 {overall['p99']:.0f} ms, {overall['rps']:.1f} requests/s", flush=True)
    return overall


def read_database(database_url: str) -> dict:
    """What the database holds for the load-test diplomats."""
    from sqlalchemy import create_engine, text

    engine = create_engine(database_url)
    like = "%@load.example.org"
    with engine.connect() as conn:
        users = dict(conn.execute(text("SELECT id, email FROM \"user\" WHERE email LIKE :like"), {"like": like}).all())
        paths = {row[0]: f"/courses/{row[1]}/{row[2]}/{row[3]}" for row in conn.execute(text(
            "SELECT l.id, c.slug, m.slug, l.slug FROM lesson l JOIN module m ON m.id = l.module_id "
            "JOIN course c ON c.id = m.course_id"))}
        progress = conn.execute(text(
            "SELECT user_id, lesson_id, COUNT(*), COUNT(completed_at) FROM lesson_progress "
            "GROUP BY user_id, lesson_id")).all()
        attempts = conn.execute(text(
            "SELECT a.id, a.user_id, a.submitted_at IS NOT NULL, a.points, a.max_points, a.percent, a.passed, "
            "a.questions, (SELECT COUNT(*) FROM attempt_answer x WHERE x.attempt_id = a.id) "
            "FROM quiz_attempt a")).all()
    engine.dispose()
    return {"users": users, "paths": paths, "progress": progress, "attempts": attempts}


def verify(database_url: str, results: dict,
           tolerate: Callable[[str, str, object], bool] | None = None) -> tuple[list[str], dict]:
    """Compare the database with the acknowledgements; returns (problems, counts).

    ``tolerate(kind, email, what)`` may accept a row the database has but no client saw acknowledged (the chaos
    run: a write whose answer was lost while the database went down). Nothing acknowledged may ever be missing.
    """
    problems: list[str] = []
    data = read_database(database_url)
    users, paths = data["users"], data["paths"]
    acked_done = {(email, path) for email, r in results.get("users", {}).items() for path in r["completed"]}
    acked_sub: dict[int, str] = {}
    for email, r in results.get("users", {}).items():
        for attempt_id in r["submitted"]:
            if attempt_id in acked_sub:
                problems.append(f"attempt {attempt_id} acknowledged as submitted twice")
            acked_sub[attempt_id] = email

    db_done = set()
    for user_id, lesson_id, rows, completed in data["progress"]:
        if user_id not in users:
            continue
        if rows != 1:
            problems.append(f"{users[user_id]}: {rows} lesson_progress rows for {paths.get(lesson_id)} (doubled)")
        if completed:
            db_done.add((users[user_id], paths[lesson_id]))
    lost = acked_done - db_done
    extra = db_done - acked_done
    for email, path in sorted(lost):
        problems.append(f"LOST completion: {email} {path} was acknowledged but is not in the database")
    tolerated = defaultdict(int)
    for email, path in sorted(extra):
        if tolerate and tolerate("complete", email, path):
            tolerated["completions"] += 1
        else:
            problems.append(f"UNACKNOWLEDGED completion in the database: {email} {path}")

    db_sub: dict[int, str] = {}
    half = 0
    for attempt_id, user_id, submitted, points, max_points, percent, passed, stored, answers in data["attempts"]:
        if user_id not in users:
            continue
        questions = json.loads(stored) if isinstance(stored, str) else stored
        if submitted:
            db_sub[attempt_id] = users[user_id]
            if None in (points, max_points, percent, passed) or answers != len(questions or []):
                half += 1
                problems.append(f"HALF-WRITTEN attempt {attempt_id}: submitted, percent={percent}, "
                                f"answers {answers} of {len(questions or [])} questions")
        elif answers or percent is not None or passed is not None:
            half += 1
            problems.append(f"HALF-WRITTEN attempt {attempt_id}: not submitted but graded ({answers} answers)")
    for attempt_id, email in sorted(acked_sub.items()):
        if attempt_id not in db_sub:
            problems.append(f"LOST submission: attempt {attempt_id} of {email} was acknowledged but is not submitted")
        elif db_sub[attempt_id] != email:
            problems.append(f"attempt {attempt_id} acknowledged to {email} belongs to {db_sub[attempt_id]}")
    for attempt_id, email in sorted(db_sub.items()):
        if attempt_id not in acked_sub:
            if tolerate and tolerate("submit", email, attempt_id):
                tolerated["submissions"] += 1
            else:
                problems.append(f"UNACKNOWLEDGED submission in the database: attempt {attempt_id} of {email}")
    counts = {"completions acknowledged": len(acked_done), "completions in database": len(db_done),
              "submissions acknowledged": len(acked_sub), "submissions in database": len(db_sub),
              "attempts in database": sum(1 for a in data["attempts"] if a[1] in users),
              "half-written attempts": half, **{f"tolerated {k}": v for k, v in tolerated.items()}}
    return problems, counts


def report_problems(label: str, problems: list[str], limit: int = 25) -> None:
    for line in problems[:limit]:
        print(f"[{label}] PROBLEM {line}")
    if len(problems) > limit:
        print(f"[{label}] ... and {len(problems) - limit} more problems")


def failure_summary(results: dict) -> dict[str, int]:
    """Failed requests grouped by page and error."""
    groups: dict[str, int] = defaultdict(int)
    for f in results.get("failures", []):
        groups[f"{f['name']}: {f['error'][:90]}"] += 1
    return dict(sorted(groups.items(), key=lambda kv: -kv[1]))


def check_status(srv, label: str) -> bool:
    """``flask check-status`` after the run: every enrolment status row must match the raw records."""
    result = srv.flask("check-status")
    for line in (result.stdout + result.stderr).strip().splitlines()[-25:]:
        print(f"[{label}] check-status: {line}")
    if result.returncode != 0:
        print(f"[{label}] FAIL: check-status found differences (exit {result.returncode})")
    return result.returncode == 0


def run_one(postgres: bool, seconds: int, users: int, spawn_rate: int, workers: int) -> bool:
    label = "postgresql" if postgres else "sqlite"
    ok = True
    with tempfile.TemporaryDirectory(prefix="lms-locust-") as work, \
            load_server.serve(postgres=postgres, users=users, workers=workers) as srv:
        print(f"[{label}] {users} diplomats for {seconds} s against {srv.base_url}", flush=True)
        workers_before = srv.worker_pids()
        run = LocustRun(srv.base_url, seconds, users, spawn_rate, Path(work)).start()
        code = run.wait()
        results = run.results()
        overall = summarise(run.stats(), label)
        if not results:
            print(f"[{label}] Locust wrote no results; its output:\n{run.output()[-4000:]}")
            return False
        for group, n in failure_summary(results).items():
            print(f"[{label}] failed x{n}: {group}")
        seen = sum(n for n, _ in results["timeline"].values())
        print(f"[{label}] requests including those of users finishing their task after the time limit "
              f"(not in Locust's table): {seen}, failed {len(results['failures'])}")
        if code != 0 or overall.get("failures", 1) != 0 or results["failures"]:
            ok = False
            print(f"[{label}] FAIL: {max(overall.get('failures', 0), len(results['failures']))} failed requests "
                  f"(Locust exit {code})")
        unacked = sum(len(r["unacknowledged"]) for r in results["users"].values())
        signed_in = sum(1 for r in results["users"].values() if r["logins"])
        print(f"[{label}] {signed_in} distinct diplomats signed in; {unacked} writes unacknowledged")
        problems, counts = verify(srv.database_url, results)
        print(f"[{label}] database check: " + ", ".join(f"{k} {v}" for k, v in counts.items()))
        report_problems(label, problems)
        if problems:
            ok = False
        if not check_status(srv, label):
            ok = False
        logs = srv.log_summary()
        print(f"[{label}] server log: " + ", ".join(f"{k} {v}" for k, v in logs.items()))
        for line, n in srv.exceptions().items():
            print(f"[{label}] server log, x{n}: {line}")
        if srv.worker_pids() != workers_before:
            print(f"[{label}] note: gunicorn workers changed during the run ({logs['worker timeouts']} timeouts)")
        print(f"[{label}] {'PASS' if ok else 'FAIL'}", flush=True)
    return ok


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=int, default=60, help="load duration per database (default 60)")
    parser.add_argument("--sqlite", action="store_true", help="run on SQLite (default: both databases)")
    parser.add_argument("--postgres", action="store_true", help="run on PostgreSQL (default: both databases)")
    parser.add_argument("--users", type=int, default=150)
    parser.add_argument("--spawn-rate", type=int, default=50)
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers (default 4)")
    args = parser.parse_args(argv)
    databases = [False] * args.sqlite + [True] * args.postgres or [False, True]
    outcomes = {("postgresql" if pg else "sqlite"): run_one(pg, args.seconds, args.users, args.spawn_rate,
                                                            args.workers) for pg in databases}
    print("== load: " + ", ".join(f"{k} {'PASS' if v else 'FAIL'}" for k, v in outcomes.items()), flush=True)
    return 0 if all(outcomes.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
