"""The coordinator dashboard at 10,000 diplomats, as a ratio to a bare signed-in page of the same app.

Usage: python -m bench.dashboard [--diplomats N] [--requests N]
The database is a fresh SQLite file (or DATABASE_URL, which it empties: never point it at real data).
"""
from __future__ import annotations

import argparse
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
PAGES = {"bare page (/)": "/", "dashboard": "/reports/", "dashboard, one course": "/reports/?course=1",
         "region drill-down": "/reports/regions/Europe", "quiz analysis": "/reports/quizzes/1"}


def build(diplomats: int, database_url: str):
    """An app over a generated organisation, and a client signed in as a coordinator."""
    app = create_app({"SECRET_KEY": "bench", "SQLALCHEMY_DATABASE_URI": database_url,
                      "PASSWORD_HASH_METHOD": "scrypt:1024:8:1", "REPORT_CACHE_SECONDS": 0})
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
    client = app.test_client()
    login = client.get("/login").get_data(as_text=True)
    token = login.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
    client.post("/login", data={"csrf_token": token, "email": "coordinator@bench.example.org",
                                "password": "bench password 123"})
    return app, client


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


def main() -> None:
    """Print each page's median time and its ratio to the bare page."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--diplomats", type=int, default=10000)
    parser.add_argument("--requests", type=int, default=15)
    parser.add_argument("--database-url", default=None)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        url = args.database_url or f"sqlite:///{folder}/bench.sqlite3"
        app, client = build(args.diplomats, url)
        for cache_seconds in (0, 60):
            app.config["REPORT_CACHE_SECONDS"] = cache_seconds
            print(f"\nreport cache {'off' if not cache_seconds else f'{cache_seconds} s'}:")
            bare = median_ms(client, PAGES["bare page (/)"], args.requests)
            print(f"{'page':<24} {'median ms':>10} {'x bare page':>12}")
            for name, path in PAGES.items():
                ms = bare if path == "/" else median_ms(client, path, args.requests)
                print(f"{name:<24} {ms:>10.1f} {ms / bare:>12.1f}")


if __name__ == "__main__":
    main()
