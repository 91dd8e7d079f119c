"""Learner pages under gunicorn, measured with wrk, as shares of a truly bare Flask app in the same run.

Usage: python -m bench.pages [--seconds N] [--diplomats N] [--runs N] [--keep]

Both apps run under plain ``gunicorn --workers 2`` (sync workers) on 127.0.0.1: the bare app (bench/bare.py,
one route returning a string) and the LMS (``lms:create_app()``) over a temporary instance folder with a fresh
SQLite database (load/server.py's instance config: cheap password hash, relaxed sign-in limits), courses/ and
quizzes/ imported and an organisation of --diplomats generated diplomats. wrk (Debian's package) drives each
at ``-t2 -c16`` for --seconds:

  the bare app's route, the LMS's /healthz, a lesson page, the course page and the quiz page (a signed-in
  diplomat re-reading them), and a quiz submission (bench/submit.lua: every request submits a different
  open attempt, each of its own diplomat, prepared before the clock starts).

wrk replays the cookies made at seeding and keeps none it is sent: keep a whole bench under 12 minutes (a
tenth of the idle limit), after which every page would send the reader a renewed session cookie.

The bare app is measured first and again after each page; a page's baseline is the mean of the bare app's runs
just before and just after it, so that the machine's speed drifting during a run moves both alike. Prints
requests/s per page, its share of the bare app and of /healthz, and PASS/MISS against the goals; timing never
fails the run. --runs repeats the whole measurement (the apps stay up), prints every run's shares and, with
several runs, each page's median share. Beside each share it prints the server workers' CPU time per request
(from /proc) and the bare app's as a share of it: the servers' own cost, without wrk's part of the cores. (On a
virtual machine whose host is busy, time taken by other guests can show up as CPU time too.)
"""
from __future__ import annotations

import argparse
import contextlib
import json
import os
import re
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from statistics import median

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

WRK = shutil.which("wrk") or "/usr/bin/wrk"
THREADS, CONNECTIONS, WORKERS = 2, 16, 2
PASSWORD = "harbour lantern quietly sings"
LEARNER = "bench-diplomat-{:05d}@bench.example.org"
BARE = "bare Flask app"
HEALTHZ = "/healthz"
# page -> the smallest share of the bare app's requests/s it must reach (issue 14, a 2-core machine).
# An answer of the right shape per question type (none is asked back), graded like any other.
TYPED_ANSWERS = {"single": "0", "multiple": "0", "true_false": "true", "numerical": "1", "short_answer": "embargo"}
GOALS = {HEALTHZ: 0.60, "lesson page": 0.30, "course page": 0.30, "quiz page": 0.30, "quiz submission": 0.10}


# ---------------------------------------------------------------- seeding (runs in the server's environment)

def seed(diplomats: int, submissions: int, submissions_file: str) -> None:
    """Migrate, import, generate the organisation; sign diplomats in and open one attempt each.

    Writes one line per open attempt to ``submissions_file`` (path, cookie, form body: bench/submit.lua)
    and prints one JSON line: the pages to measure and a signed-in diplomat's cookie for them.
    """
    from sqlalchemy import select

    from lms import create_app
    from lms.accounts import create_user
    from lms.database.engine import refresh_statistics
    from lms.demo.organisation import generate_org
    from lms.extensions import db
    from lms.models import Course, Lesson, Module, Quiz, User

    env = dict(os.environ)
    _run([str(VENV_BIN / "flask"), "--app", "lms", "db", "upgrade"], env)
    _run([str(VENV_BIN / "flask"), "--app", "lms", "import-content"], env)
    app = create_app()
    with app.app_context():
        started = time.perf_counter()
        counts = generate_org(diplomats, 90, 8)
        first = create_user(LEARNER.format(0), "Bench Diplomat 00000", PASSWORD, ["diplomat"])
        for n in range(1, submissions + 2):  # the same password: hashed and rated once, not thousands of times
            user = User(email=LEARNER.format(n), name=f"Bench Diplomat {n:05d}", password_hash=first.password_hash)
            user.set_roles(["diplomat"])
            db.session.add(user)
        db.session.commit()
        refresh_statistics()
        course = db.session.scalars(select(Course).where(Course.visible()).order_by(Course.id)).first()
        modules = list(db.session.scalars(select(Module).where(Module.course_id == course.id, Module.visible())
                                          .order_by(Module.position)))
        lesson = db.session.scalars(select(Lesson).where(Lesson.module_id == modules[0].id, Lesson.visible())
                                    .order_by(Lesson.position)).first()
        quiz_module = next(m for m in modules
                           if (q := db.session.scalar(select(Quiz).where(Quiz.module_id == m.id))) is not None
                           and q.max_attempts is None)  # unlimited attempts: a diplomat may take it again
        quiz = db.session.scalar(select(Quiz).where(Quiz.module_id == quiz_module.id))
        base = f"/courses/{course.slug}/"
        pages = {"lesson page": f"{base}{modules[0].slug}/{lesson.slug}", "course page": base,
                 "quiz page": f"{base}{quiz_module.slug}/quiz"}
        reader, _ = _signed_in_cookie(app, first)
        attempts = [_open_attempt(app, n, quiz) for n in range(1, submissions + 2)]
        db.session.commit()
    client = app.test_client(use_cookies=False)  # the cookies below, sent as they are, as wrk sends them
    for path in pages.values():  # the pages answer as measured: a signed-in diplomat's 200
        assert client.get(path, headers={"Cookie": reader}).status_code == 200, path
    path, cookie, body = attempts.pop()  # one submission as wrk sends it: graded, and on to the review
    response = client.post(path, data=body, headers={"Cookie": cookie},
                           content_type="application/x-www-form-urlencoded")
    assert response.status_code == 302 and response.location.endswith("/review"), response.status_code
    with open(submissions_file, "w") as out:
        out.writelines("\t".join(attempt) + "\n" for attempt in attempts)
    print(f"[bench] seeded in {time.perf_counter() - started:.1f} s: {counts}, {submissions} open attempts",
          file=sys.stderr)
    print(json.dumps({"pages": pages, "cookie": reader}))


def _signed_in_cookie(app, user) -> tuple[str, str]:
    """A session cookie for ``user``, signed in as the sign-in form does it, and a CSRF token of that session.

    Made in-process (the app's own sign_in, Flask's own cookie signing): thousands of sign-ins over HTTP
    took minutes.
    """
    from flask import session
    from flask_wtf.csrf import generate_csrf

    from lms.auth.session import sign_in

    # A fresh g (Flask-WTF keeps a token there per context); wrk's address and no User-Agent, so that Flask-Login's
    # session protection finds the same client and leaves the session as it is.
    with app.app_context(), app.test_request_context(environ_base={"REMOTE_ADDR": "127.0.0.1"}):
        sign_in(user)
        token = generate_csrf()
        value = app.session_interface.get_signing_serializer(app).dumps(dict(session))
    return f"{app.config['SESSION_COOKIE_NAME']}={value}", token


def _open_attempt(app, n: int, quiz) -> tuple[str, str, str]:
    """(sheet path, cookie, answers) for a new attempt of diplomat ``n``: an answer to most questions, and the
    "submit anyway" of the summary page, so that each POST is graded (the seeding checks one)."""
    from urllib.parse import urlencode

    from sqlalchemy import select

    from lms.extensions import db
    from lms.models import QuizAttempt, User
    from lms.quizzes.services import start_attempt

    user = db.session.scalar(select(User).where(User.email == LEARNER.format(n)))
    cookie, token = _signed_in_cookie(app, user)
    attempt_id = start_attempt(user.id, quiz)
    questions = db.session.get(QuizAttempt, attempt_id).questions
    answers = {f"q{i}": TYPED_ANSWERS[stored["spec"]["type"]] for i, stored in enumerate(questions)
               if stored["spec"]["type"] in TYPED_ANSWERS}  # a matching question stays empty: hence "confirm"
    return f"/quiz/attempts/{attempt_id}", cookie, urlencode({"csrf_token": token, "confirm": "yes", **answers})


# ---------------------------------------------------------------- the servers and wrk

class Gunicorn:
    """``gunicorn --workers 2`` (sync) serving ``app_spec`` on a free port."""

    def __init__(self, app_spec: str, env: dict, log_path: Path, ready_path: str):
        self.app_spec, self.env, self.log_path, self.ready_path = app_spec, env, log_path, ready_path
        self.process = None
        self.port = free_port()

    def __enter__(self) -> Gunicorn:
        with open(self.log_path, "a") as log:
            self.process = subprocess.Popen(
                [str(VENV_BIN / "gunicorn"), "--workers", str(WORKERS), "--bind", f"127.0.0.1:{self.port}",
                 self.app_spec], env=self.env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT,
                start_new_session=True)
        if not wait_for_http(self.url(self.ready_path), 30):
            raise RuntimeError(f"{self.app_spec} did not answer within 30 s:\n"
                               + self.log_path.read_text(errors="replace")[-3000:])
        time.sleep(1.0)  # let every worker finish booting
        return self

    def __exit__(self, *exc) -> None:
        if self.process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(timeout=30)

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def cpu_seconds(self) -> float:
        """User and system CPU time the server's workers have used so far (from /proc; the master only waits)."""
        ticks = 0
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()  # after "pid (name)": state, ppid, ...
            except OSError:  # a process that ended meanwhile
                continue
            if int(fields[1]) == self.process.pid:
                ticks += int(fields[11]) + int(fields[12])  # utime and stime, fields 14 and 15 of proc(5)
        return ticks / os.sysconf("SC_CLK_TCK")


def wrk(url: str, seconds: float, headers: dict | None = None, script: Path | None = None,
        env: dict | None = None, server: Gunicorn | None = None) -> dict:
    """requests/s, p50 and p99 latency, non-2xx/3xx responses and, given the ``server``, its workers' CPU
    milliseconds per request, of one wrk run."""
    command = [WRK, f"-t{THREADS}", f"-c{CONNECTIONS}", f"-d{seconds:g}s", "--latency"]
    for name, value in (headers or {}).items():
        command += ["-H", f"{name}: {value}"]
    if script:
        command += ["-s", str(script)]
    cpu_before = server.cpu_seconds() if server else 0.0
    output = subprocess.run([*command, url], capture_output=True, text=True, check=True,
                            env={**os.environ, **(env or {})}, timeout=seconds + 60).stdout
    cpu = server.cpu_seconds() - cpu_before if server else 0.0
    requests = int(re.search(r"(\d+) requests in", output).group(1))
    latency = dict(re.findall(r"^\s+(50|99)%\s+(\S+)$", output, re.M))
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    exhausted = re.search(r"EXHAUSTED (\d+)", output)
    return {"rps": float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),
            "p50": latency.get("50", "?"), "p99": latency.get("99", "?"),
            "errors": int(errors.group(1)) if errors else 0,
            "exhausted": int(exhausted.group(1)) if exhausted else 0,
            "cpu_ms": 1000 * cpu / requests if requests else float("nan")}


def measure_run(bare: Gunicorn, lms: Gunicorn, seeded: dict, submissions: Path, seconds: float) -> dict:
    """One measurement of every page, each between two of the bare app: page -> (its row, the bare app's mean).

    A page's share is taken against the bare app measured just before and just after it, so that the
    machine's speed drifting over the minutes of a run (a virtual machine's does) moves both alike.
    """
    cookie = {"Cookie": seeded["cookie"]}
    targets = {HEALTHZ: lambda: wrk(lms.url(HEALTHZ), seconds, server=lms)}
    for name, path in seeded["pages"].items():
        targets[name] = lambda path=path: wrk(lms.url(path), seconds, cookie, server=lms)
    targets["quiz submission"] = lambda: wrk(
        lms.url("/"), seconds, script=ROOT / "bench" / "submit.lua",
        env={"BENCH_SUBMISSIONS": str(submissions), "BENCH_THREADS": str(THREADS)}, server=lms)
    rows, before = {}, wrk(bare.url("/"), seconds, server=bare)
    for name, measure in targets.items():
        row = measure()
        after = wrk(bare.url("/"), seconds, server=bare)
        row["bare_cpu_ms"] = (before["cpu_ms"] + after["cpu_ms"]) / 2
        rows[name] = (row, (before["rps"] + after["rps"]) / 2)
        print(f"[bench] {name}: {row['rps']:.0f} req/s, p50 {row['p50']}, p99 {row['p99']}, "
              f"{row['cpu_ms']:.3f} ms of worker CPU a request"
              + (f", {row['errors']} non-2xx/3xx" if row["errors"] else "")
              + f"; bare app {before['rps']:.0f} before, {after['rps']:.0f} after", flush=True)
        before = after
    return rows


def split(submissions: Path, parts: int) -> list[Path]:
    """The open attempts in ``parts`` files, one per run, so that no run submits an attempt twice."""
    lines = submissions.read_text().splitlines(keepends=True)
    size = len(lines) // parts
    files = []
    for number in range(parts):
        part = submissions.with_name(f"submissions-{number + 1}.tsv")
        part.write_text("".join(lines[number * size:(number + 1) * size]))
        files.append(part)
    return files


def report(runs: list[dict], args) -> None:
    print(f"\nwrk -t{THREADS} -c{CONNECTIONS} -d{args.seconds:g}s; both apps under gunicorn --workers {WORKERS} "
          f"(sync), SQLite, {args.diplomats} generated diplomats. Timing never fails the run.")
    for number, rows in enumerate(runs, 1):
        healthz = rows[HEALTHZ][0]["rps"]
        print(f"\nrun {number}:")
        print(f"{'page':<18} {'req/s':>8} {'p50':>8} {'p99':>8} {'errors':>7} {'bare app':>9} {'of bare':>8} "
              f"{'of /healthz':>12} {'CPU ms':>7} {'CPU of bare':>12}  goal")
        for name, (row, bare) in rows.items():
            share, goal = row["rps"] / bare, GOALS.get(name)
            verdict = f">= {goal:.2f} {'PASS' if share >= goal else 'MISS'}" if goal else ""
            if row["exhausted"]:
                verdict = f"INVALID: ran out of open attempts {row['exhausted']} time(s); use fewer --seconds"
            print(f"{name:<18} {row['rps']:>8.0f} {row['p50']:>8} {row['p99']:>8} {row['errors']:>7} {bare:>9.0f} "
                  f"{share:>8.2f} {row['rps'] / healthz:>12.2f} {row['cpu_ms']:>7.3f} "
                  f"{row['bare_cpu_ms'] / row['cpu_ms']:>12.2f}  {verdict}")
    if len(runs) > 1:
        print("\nmedian share of the bare app over the runs:")
        for name in runs[0]:
            shares = sorted(rows[name][0]["rps"] / rows[name][1] for rows in runs)
            goal = GOALS.get(name)
            verdict = f"  >= {goal:.2f} {'PASS' if median(shares) >= goal else 'MISS'}" if goal else ""
            cpu = median(rows[name][0]["bare_cpu_ms"] / rows[name][0]["cpu_ms"] for rows in runs)
            print(f"{name:<18} {median(shares):.2f}  (runs: {', '.join(f'{x:.2f}' for x in shares)}){verdict}; "
                  f"CPU a request, share of the bare app's: {cpu:.2f}")


def main() -> int:
    if sys.argv[1:2] == ["seed"]:
        seed(int(sys.argv[2]), int(sys.argv[3]), sys.argv[4])
        return 0
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=10.0, help="wrk's run length per page (default 10)")
    parser.add_argument("--diplomats", type=int, default=10000, help="generated organisation (default 10000)")
    parser.add_argument("--runs", type=int, default=1, help="measure everything this many times (default 1)")
    parser.add_argument("--submissions", type=int, default=0,
                        help="open attempts to prepare (default: enough for 1,000 submissions/s)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder (logs)")
    args = parser.parse_args()
    if not os.path.exists(WRK):
        print("[bench] wrk is not installed: apt-get install wrk (Debian's package)", file=sys.stderr)
        return 2

    tmp = Path(tempfile.mkdtemp(prefix="lms-bench-"))
    instance = tmp / "instance"
    instance.mkdir()
    (instance / "config.py").write_text(INSTANCE_CONFIG.format(secret=secrets.token_hex(32),
                                                               prefix=f"lms-bench-{tmp.name}"))
    env = {**os.environ, "LMS_INSTANCE_PATH": str(instance), "DATABASE_URL": f"sqlite:///{instance / 'lms.sqlite3'}",
           "FLASK_APP": "lms", "PYTHONPATH": str(ROOT)}
    for name in ("SECRET_KEY", "REDIS_URL", "LMS_ENV"):
        env.pop(name, None)
    submissions = tmp / "submissions.tsv"
    count = args.submissions or int(1000 * args.seconds * args.runs)
    try:
        started = time.monotonic()
        seeded = subprocess.run([PYTHON, "-m", "bench.pages", "seed", str(args.diplomats), str(count),
                                 str(submissions)], env=env, cwd=ROOT, capture_output=True, text=True,
                                timeout=1800, check=False)
        sys.stderr.write(seeded.stderr[-3000:])
        if seeded.returncode:
            raise RuntimeError(f"seeding failed ({seeded.returncode})")
        pages = json.loads(seeded.stdout.strip().splitlines()[-1])
        print(f"[bench] seeded in {time.monotonic() - started:.0f} s; pages {pages['pages']}", flush=True)
        with Gunicorn("bench.bare:app", env, tmp / "bare.log", "/") as bare, \
                Gunicorn("lms:create_app()", env, tmp / "lms.log", HEALTHZ) as lms:
            runs = [measure_run(bare, lms, pages, part, args.seconds) for part in split(submissions, args.runs)]
        report(runs, args)
        log = (tmp / "lms.log").read_text(errors="replace")
        for needle in ("Traceback", "database is locked", "WORKER TIMEOUT"):
            if needle in log:
                print(f"[bench] note: the server log mentions {needle!r} {log.count(needle)} time(s)")
        return 0
    finally:
        if args.keep:
            print(f"[bench] kept {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
