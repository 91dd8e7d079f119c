"""The layout's menu offers each role the parts of the site its views let it open, and no others."""
import re

import pytest

MENU = {
    "diplomat": ["Home", "Courses", "My progress"],
    "trainer": ["Home", "Courses", "My progress", "Studio"],
    "coordinator": ["Home", "Reports", "Cohorts", "People"],
    "admin": ["Home", "Courses", "My progress", "Studio", "Reports", "Cohorts", "People"],
}
PARTS = ["/courses/", "/progress", "/studio/", "/reports/", "/cohorts/", "/people/"]


@pytest.mark.parametrize("role", MENU)
def test_menu_links_are_the_parts_the_role_may_open(client, content, make_user, login, role):
    login(make_user(role))
    html = client.get("/", follow_redirects=True).get_data(as_text=True)  # a coordinator lands on the dashboard
    menu = html[html.index('<nav aria-label="Main">'):]
    menu = menu[:menu.index("</nav>")]
    links = re.findall(r'<a href="([^"]+)">([^<]+)</a>', menu)
    assert [text for _, text in links] == MENU[role]
    shown = {href for href, _ in links}
    for part in PARTS:
        assert client.get(part).status_code == (200 if part in shown else 403), part
