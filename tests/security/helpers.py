"""Shared helpers for the security tests: the URL map as (method, path, endpoint)."""
from __future__ import annotations

from itertools import product

from lms import create_app
from tests.test_route_protection import SAMPLE_VALUES


def rules():
    """Every rule of a freshly built app's URL map."""
    app = create_app({"SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    return list(app.url_map.iter_rules())


def fill(rule, values: dict) -> list[str]:
    """The rule's path with its arguments filled in; a list value gives one path per value."""
    names = sorted(rule.arguments)
    choices = [values[n] if isinstance(values[n], (list, tuple)) else [values[n]] for n in names]
    paths = []
    for combo in product(*choices):
        path = rule.rule
        for name, value in zip(names, combo):
            for converter in ("int:", "path:", ""):
                path = path.replace(f"<{converter}{name}>", str(value))
        paths.append(path)
    return paths


def routes(method: str, values: dict | None = None) -> list[tuple[str, str]]:
    """(path, endpoint) for every route accepting ``method``."""
    values = {**SAMPLE_VALUES, **(values or {})}
    found = []
    for rule in rules():
        if method in rule.methods:
            found.extend((path, rule.endpoint) for path in fill(rule, values))
    return found
