"""Who may open the people and admin pages: every route of both blueprints, listed from the URL map."""
from lms.auth.session import Guest
from lms.extensions import db
from lms.models import User
from lms.people.permissions import can_administer, can_manage_people, grantable_roles, region_scope
from tests.helpers import csrf_token, sign_out
from tests.routes import routes

PUBLIC = {"people.set_password"}


def pages(*blueprints: str) -> list[tuple[str, str]]:
    return [(method, route.url({"user_id": 1})) for route in routes() if route.blueprint in blueprints
            and route.endpoint not in PUBLIC for method in route.methods]


PEOPLE_AND_ADMIN = pages("people", "admin")
ADMIN = pages("admin")


def test_the_route_lists_are_not_empty():
    assert len(PEOPLE_AND_ADMIN) >= 11 and len(ADMIN) >= 6


def refused(client, addresses, csrf_page: str, expected: int) -> list[str]:
    """The routes that did not answer ``expected`` (POSTs carry a valid CSRF token: only the role check is left)."""
    token = csrf_token(client.get(csrf_page).get_data(as_text=True))
    wrong = []
    for method, path in addresses:
        response = client.open(path, method=method, data={"csrf_token": token})
        location = response.headers.get("Location", "")
        if response.status_code != expected or (expected == 302 and not location.startswith("/login?next=")):
            wrong.append(f"{method} {path}: {response.status_code} {location}")
    return wrong


def test_anonymous_visitors_are_sent_to_sign_in(client):
    assert refused(client, PEOPLE_AND_ADMIN, "/login", 302) == []


def test_diplomats_and_trainers_are_refused_every_page(client, make_user, login):
    login(make_user("diplomat", "trainer"))
    assert refused(client, PEOPLE_AND_ADMIN, "/", 403) == []


def test_coordinators_are_refused_the_admin_pages(client, make_user, login):
    login(make_user("coordinator"))
    assert refused(client, ADMIN, "/people/", 403) == []


def test_navigation_shows_people_to_coordinators_and_admins_only(client, make_user, login):
    login(make_user("coordinator"))
    html = client.get("/people/").get_data(as_text=True)
    assert "/people/import" in html and "/people/links" in html and "/admin/users" not in html
    assert 'href="/people/"' in html  # the navigation link
    assert client.get("/people/import").status_code == 200 and client.get("/people/links").status_code == 200
    sign_out(client)
    login(make_user("admin"))
    html = client.get("/people/").get_data(as_text=True)
    assert 'href="/people/"' in html and "/admin/users" in html
    sign_out(client)
    login(make_user("diplomat"))
    assert 'href="/people/"' not in client.get("/").get_data(as_text=True)


def test_permission_predicates(app, make_user, scoped_coordinator):
    ids = [make_user(role).id for role in ("diplomat", "coordinator", "admin")] + [scoped_coordinator.id]
    with app.app_context():
        diplomat, coordinator, admin, scoped = (db.session.get(User, i) for i in ids)
        check_predicates(diplomat, coordinator, admin, scoped)


def check_predicates(diplomat, coordinator, admin, scoped_coordinator):
    assert [can_manage_people(u) for u in (Guest(), diplomat, coordinator, admin)] == [False, False, True, True]
    assert [can_administer(u) for u in (Guest(), diplomat, coordinator, admin)] == [False, False, False, True]
    assert region_scope(None) is None and region_scope(admin) is None and region_scope(coordinator) is None
    assert region_scope(scoped_coordinator) == {"Africa"}
    assert grantable_roles(coordinator) == ("diplomat", "trainer") and "admin" in grantable_roles(None)
