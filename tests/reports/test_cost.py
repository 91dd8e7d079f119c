"""Dashboard pages run a fixed number of SQL statements, whatever the number of learners."""
from lms.demo.organisation import generate_org
from lms.extensions import db
from tests.helpers import count_statements

PAGES = ["/reports/", "/reports/?course=1", "/reports/?course=1&cohort=1", "/reports/?date_from=2020-01-01",
         "/reports/regions/Europe", "/reports/quizzes/1", "/reports/?export=csv&table=region",
         "/reports/?export=csv&table=behind", "/reports/missions/SYN-0001"]


def count_per_page(app, client) -> dict[str, int]:
    counts = {}
    for page in PAGES:
        with count_statements(app) as seen:
            assert client.get(page).status_code == 200, page
        counts[page] = len(seen)
    return counts


def grow(app, diplomats: int) -> None:
    with app.app_context():
        generate_org(diplomats, missions=6, regions=3, seed=diplomats)
        db.session.commit()


def test_statement_count_does_not_grow_with_learners(app, client, quiz_content, make_user, login):
    login(make_user("coordinator"))
    grow(app, 20)
    small = count_per_page(app, client)
    grow(app, 200)
    assert count_per_page(app, client) == small
    assert max(small.values()) <= 12


def test_cached_figures_are_reused_until_they_expire(app, client, quiz_content, make_user, login):
    login(make_user("coordinator"))
    grow(app, 20)
    app.config["REPORT_CACHE_SECONDS"] = 60
    first = count_per_page(app, client)
    grow(app, 20)
    again = count_per_page(app, client)
    assert again["/reports/"] < first["/reports/"]
    with client.get("/reports/?export=csv&table=course") as response:
        cached_total = response.get_data(as_text=True).splitlines()[1].split(",")[1]
    app.config["REPORT_CACHE_SECONDS"] = 0
    with client.get("/reports/?export=csv&table=course") as response:
        fresh_total = response.get_data(as_text=True).splitlines()[1].split(",")[1]
    assert int(fresh_total) == int(cached_total) + 20
