"""TRUSTED_PROXIES: behind N proxies, limits and logs see the client's address, and a forged one is ignored."""
import logging

import pytest
from flask import request

from tests.fixtures.app import dispose, make_test_app
from tests.helpers import csrf_token

PROXY = "10.0.0.2"  # the address every request arrives from when a proxy stands in front
LIMIT = 3  # failed sign-ins allowed per address in the apps below


@pytest.fixture
def app_behind(database_url):
    """``app_behind(proxies)``: the test app with TRUSTED_PROXIES set and a small per-address sign-in limit."""
    built = []

    def build(proxies: int):
        app = make_test_app(database_url, TRUSTED_PROXIES=proxies, LOGIN_LIMIT_PER_ADDRESS=f"{LIMIT} per minute")
        built.append(app)
        return app

    yield build
    for app in built:
        dispose(app)


def failed_sign_in(client, forwarded_for: str, email: str = "nobody@example.org") -> int:
    """A wrong password sent through the proxy, which passes on ``forwarded_for``; the response status."""
    client.environ_base["REMOTE_ADDR"] = PROXY
    headers = {"X-Forwarded-For": forwarded_for}
    token = csrf_token(client.get("/login", headers=headers).get_data(as_text=True))
    data = {"csrf_token": token, "email": email, "password": "wrong password!"}
    return client.post("/login", data=data, headers=headers).status_code


def logged_addresses(caplog) -> list[str]:
    lines = [record.getMessage() for record in caplog.records if record.getMessage().startswith("login failed")]
    return [line.split(" ip=")[1].split()[0] for line in lines]


def test_behind_one_proxy_each_client_has_its_own_limit(app_behind):
    client = app_behind(1).test_client()
    first = [failed_sign_in(client, "203.0.113.1", f"user{n}@example.org") for n in range(LIMIT + 1)]
    assert first == [422] * LIMIT + [429]
    assert failed_sign_in(client, "203.0.113.2") == 422  # another client behind the same proxy: not locked out


def test_a_client_cannot_choose_its_address_through_the_proxy(app_behind, caplog):
    client = app_behind(1).test_client()
    with caplog.at_level(logging.WARNING):
        statuses = [failed_sign_in(client, f"198.51.100.{n}, 203.0.113.1", f"user{n}@example.org")
                    for n in range(LIMIT + 1)]  # the client's own header, then the address the proxy saw
    assert statuses == [422] * LIMIT + [429]
    assert set(logged_addresses(caplog)) == {"203.0.113.1"}


def test_without_trusted_proxies_the_header_changes_nothing(app_behind, caplog):
    client = app_behind(0).test_client()
    with caplog.at_level(logging.WARNING):
        statuses = [failed_sign_in(client, f"203.0.113.{n}", f"user{n}@example.org") for n in range(LIMIT + 1)]
    assert statuses == [422] * LIMIT + [429]
    assert set(logged_addresses(caplog)) == {PROXY}


def test_behind_a_proxy_the_scheme_and_host_are_the_public_ones(app_behind):
    app = app_behind(1)

    @app.route("/where")
    def where():
        return request.url

    headers = {"X-Forwarded-For": "203.0.113.1", "X-Forwarded-Proto": "https", "X-Forwarded-Host": "academy.example"}
    assert app.test_client().get("/where", headers=headers).get_data(as_text=True) == "https://academy.example/where"
