"""The coordinator dashboard at 10,000 (or more) diplomats, as a ratio to a bare signed-in page of the same app.

Usage: python -m bench.dashboard [--diplomats N [N ...]] [--requests N] [--database-url URL [--reuse]] [--postgres]
Each size runs on a fresh SQLite file, or on --database-url (which it EMPTIES: never point it at real data,
and which it keeps afterwards); --reuse measures the organisation an earlier run left at --database-url
instead of generating it again (100,000 diplomats take minutes to generate). --postgres also runs each size
on a throwaway PostgreSQL database on 127.0.0.1:5432, when one answers.
Goal (issue 12): the uncached dashboard's median at most 10x the bare page, at 10,000 and 100,000 diplomats.
"""
from __future__ import annotations

import argparse
import contextlib
import secrets
import statistics
import tempfile
import time
from pathlib import Path

from lms import create_app
from lms.accounts import create_user
from lms.content.importer import import_content
from lms.database.engine import refresh_statistics
from lms.demo.organisation import generate_org
from lms.extensions import db

REPO = Path(__file__).resolve().parent.parent
# The bare signed-in page: the certificate look-up form, which reads the session and the user and renders the
# layout, and nothing else (a coordinator's Home now redirects to the dashboard).
BARE = "bare signed-in page"
PAGES = {BARE: "/verify/", "dashboard": "/reports/", "dashboard, one course": "/reports/?course=1",
         "region drill-down": "/reports/regions/Europe", "quiz analysis": "/reports/quizzes/1"}


def build(diplomats: int, database_url: str, reuse: bool = False):
    """An app over a generated organisation (or the one already there), and a client signed in as a coordinator."""
    app = create_app({"SECRET_KEY": "bench", "SQLALCHEMY_DATABASE_URI": database_url,
                      "PASSWORD_HASH_METHOD": "scrypt:1024:8:1", "REPORT_CACHE_SECONDS": 0})
    if not reuse:
        generate(app, diplomats)
    client = app.test_client()
    login = client.get("/login").get_data(as_text=True)
    token = login.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
    client.post("/login", data={"csrf_token": token, "email": "coordinator@bench.example.org",
                                "password": "bench password 123"})
    return app, client


def generate(app, diplomats: int) -> None:
    """Empty the database and generate an organisation of ``diplomats``, with the bench's coordinator."""
    with app.app_context():
        db.drop_all()
        db.create_all()
        import_content(REPO / "courses", REPO / "quizzes")
        started = time.perf_counter()
        counts = generate_org(diplomats, 90, 8)
        create_user("coordinator@bench.example.org", "Bench Coordinator", "bench password 123", ["coordinator"])
        db.session.commit()
        refresh_statistics()
        print(f"generated in {time.perf_counter() - started:.1f} s: {counts}")


def median_ms(client, url: str, requests: int) -> float:
    """Median response time of ``url`` over ``requests`` requests, after one warm-up."""
    client.get(url)
    times = []
    for _ in range(requests):
        started = time.perf_counter()
        response = client.get(url)
        times.append(time.perf_counter() - started)
        assert response.status_code == 200, (url, response.status_code)
    return 1000 * statistics.median(times)


PG_HOST_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/"
GOAL = 10.0


@contextlib.contextmanager
def postgres_database():
    """A throwaway PostgreSQL database (``lms_bench_<random>``), dropped afterwards; None if none answers."""
    import psycopg
    name = f"lms_bench_{secrets.token_hex(4)}"
    # Not template1: CREATE DATABASE copies it and fails while anyone (this connection) is in it, which
    # broke a test suite running beside the benchmark.
    try:
        admin = psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True, connect_timeout=3)
    except psycopg.OperationalError:
        yield None
        return
    with admin:
        admin.execute(f'CREATE DATABASE "{name}"')
        try:
            yield PG_HOST_URL + name
        finally:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def run(diplomats: int, url: str, requests: int, reuse: bool = False) -> dict[str, float]:
    """Build the organisation at ``url`` and print every page's median, cache off then on; returns uncached ratios."""
    app, client = build(diplomats, url, reuse)
    ratios = {}
    for cache_seconds in (0, 60):
        app.config["REPORT_CACHE_SECONDS"] = cache_seconds
        cache = f"{cache_seconds} s" if cache_seconds else "off"
        print(f"\n{diplomats:,} diplomats, {url.split(':')[0]}, report cache {cache}:")
        bare = median_ms(client, PAGES[BARE], requests)
        print(f"{'page':<24} {'median ms':>10} {'x bare page':>12}")
        for name, path in PAGES.items():
            ms = bare if name == BARE else median_ms(client, path, requests)
            print(f"{name:<24} {ms:>10.1f} {ms / bare:>12.1f}")
            if not cache_seconds:
                ratios[name] = ms / bare
    with app.app_context():
        db.engine.dispose()  # let a PostgreSQL database be dropped
    return ratios


def main() -> None:
    """Print each page's median time and its ratio to the bare page, for each size and database."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--diplomats", type=int, nargs="+", default=[10000])
    parser.add_argument("--requests", type=int, default=15)
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--reuse", action="store_true", help="measure what an earlier run left at --database-url")
    parser.add_argument("--postgres", action="store_true", help="also run on a throwaway PostgreSQL database")
    args = parser.parse_args()
    if args.reuse and not args.database_url:
        parser.error("--reuse needs --database-url: a fresh database has nothing to reuse")
    summary = []
    for diplomats in args.diplomats:
        with tempfile.TemporaryDirectory() as folder:
            url = args.database_url or f"sqlite:///{folder}/bench.sqlite3"
            summary.append((diplomats, url.split(":")[0], run(diplomats, url, args.requests, args.reuse)))
        if args.postgres and not args.database_url:
            with postgres_database() as url:
                if url is None:
                    print("\nPostgreSQL on 127.0.0.1:5432 does not answer: skipped")
                    continue
                summary.append((diplomats, "postgresql", run(diplomats, url, args.requests)))
    print(f"\nuncached, x bare page (goal <= {GOAL:g}x for both dashboards):")
    for diplomats, database, ratios in summary:
        figures = ", ".join(f"{name} {ratio:.1f}x" for name, ratio in ratios.items() if name != BARE)
        print(f"{diplomats:>8,} {database:<18} {figures}")


if __name__ == "__main__":
    main()
