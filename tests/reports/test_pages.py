"""The coordinator's pages: drill-down, scope, CSV exports and quiz analysis."""
import csv
import io

import pytest

from tests.helpers import sign_out
from tests.quizzes.helpers import start, submit


def rows_of(response):
    assert response.mimetype == "text/csv"
    return list(csv.reader(io.StringIO(response.get_data(as_text=True))))


def test_dashboard_shows_tables_and_charts(client, org, coordinator, login):
    login(coordinator)
    html = client.get("/reports/").get_data(as_text=True)
    assert "Completion by course" in html and "<svg" in html and "Completion by region" in html
    assert 'href="/reports/regions/Europe"' in html and "Round 1" in html
    assert "Showing your regions" not in html  # an unscoped coordinator sees every region


def test_drill_down_region_mission_learner(client, org, coordinator, login):
    login(coordinator)
    region = client.get("/reports/regions/Europe").get_data(as_text=True)
    assert "Embassy A" in region and "Embassy C" not in region
    mission = client.get("/reports/missions/EMB-A").get_data(as_text=True)
    assert "D1" in mission and "D2" in mission and "overdue" in mission
    learner = client.get(f"/reports/learners/{org['d1']}").get_data(as_text=True)
    assert "d1@example.org" in learner and "completed" in learner


@pytest.mark.parametrize("table, first_row", [
    ("course", ["Introduction course", "4", "1", "2", "1", "2", "25.0"]),
    ("region", ["Africa", "1", "1", "0", "0", "1", "0.0"]),
    ("cohort", ["Round 1", "3", "1", "1", "1", "2", "33.3"]),
])
def test_dashboard_tables_export_as_csv(client, org, coordinator, login, table, first_row):
    login(coordinator)
    rows = rows_of(client.get(f"/reports/?export=csv&table={table}"))
    assert rows[0][0] == "Group" and rows[1] == first_row


def test_csv_export_keeps_the_filters(client, org, coordinator, login):
    login(coordinator)
    html = client.get(f"/reports/?cohort={org['round2']}").get_data(as_text=True)
    assert f"export=csv&amp;cohort={org['round2']}" in html or f"cohort={org['round2']}&amp;export=csv" in html
    rows = rows_of(client.get(f"/reports/?export=csv&table=course&cohort={org['round2']}"))
    assert rows[1][1] == "2"


def test_mission_csv_lists_learners(client, org, coordinator, login):
    login(coordinator)
    rows = rows_of(client.get("/reports/missions/EMB-A?export=csv"))
    assert [r[1] for r in rows[1:]] == ["d1@example.org", "d2@example.org"]
    assert rows[2][3] == "in progress" and rows[2][4] == "yes"


def test_region_scoped_coordinator_sees_only_their_regions(client, org, africa_coordinator, login):
    login(africa_coordinator)
    html = client.get("/reports/").get_data(as_text=True)
    assert "Africa" in html and "Europe" not in html and "Showing your regions: Africa." in html
    for url in ["/reports/regions/Europe", "/reports/missions/EMB-A", f"/reports/learners/{org['d1']}",
                "/reports/regions/Europe?export=csv", "/reports/missions/EMB-A?export=csv",
                f"/reports/learners/{org['d1']}?export=csv"]:
        assert client.get(url).status_code == 404, url
    rows = rows_of(client.get("/reports/?export=csv&table=region"))
    assert [r[0] for r in rows[1:]] == ["Africa"]
    assert client.get("/reports/missions/EMB-C").status_code == 200


@pytest.mark.parametrize("url", ["/reports/", "/reports/?export=csv&table=course", "/reports/regions/Europe",
                                 "/reports/missions/EMB-A?export=csv", "/reports/quizzes/1"])
def test_diplomats_cannot_reach_reports(client, org, make_user, login, url):
    login(make_user("diplomat"))
    assert client.get(url).status_code == 403


def test_bad_filter_is_shown_next_to_its_field(client, org, coordinator, login):
    login(coordinator)
    response = client.get("/reports/?date_from=not-a-date")
    assert response.status_code == 200
    assert 'id="date_from-error"' in response.get_data(as_text=True)


def test_quiz_analysis(app, client, org, coordinator, make_user, login):
    for right in (True, False, False):
        learner = make_user("diplomat", mission="EMB-A")
        login(learner)
        submit(client, start(client), right=right)
        sign_out(client)
    login(coordinator)
    html = client.get("/reports/quizzes/1").get_data(as_text=True)
    assert "best-post" in html and "33%" in html
    assert "A photo of a reception" in html  # the wrong option both learners chose
    rows = rows_of(client.get("/reports/quizzes/1?export=csv"))
    best_post = next(r for r in rows if r[0] == "best-post")
    assert best_post[1:4] == ["3", "33.3", "33.3"] and best_post[5] == "2"
