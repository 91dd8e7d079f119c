"""The app's URL map, walked in one place: every route, with concrete URLs for its arguments.

The role walk, the CSRF test, the GET-is-safe test, the object-access tests and the people pages' access
tests all list their routes from here, so a new route is in every one of them the day it is added.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from itertools import product

from werkzeug.routing import Rule

from lms import create_app

# Arguments naming real things of the test course and quiz (tests/data); a test passes its own for the rest.
SAMPLE_VALUES = {"course_slug": "intro-course", "module_slug": "basics", "lesson_slug": "first-steps",
                 "filename": "square.svg", "attempt_id": 1, "region": "Europe", "code": "EMB-BER", "user_id": 1,
                 "quiz_id": 1, "token": "not-a-token", "kind": "lesson", "object_id": 1, "revision_id": 1,
                 "cohort_id": 1, "course_id": 1}
IGNORED_METHODS = {"HEAD", "OPTIONS"}  # answered by Flask itself for every route


@dataclass(frozen=True)
class Route:
    """One rule of the URL map."""

    rule: Rule

    @property
    def endpoint(self) -> str:
        return self.rule.endpoint

    @property
    def blueprint(self) -> str:
        return self.endpoint.split(".")[0]

    @property
    def path(self) -> str:
        """The rule as written, with its placeholders (``/courses/<course_slug>/``)."""
        return self.rule.rule

    @property
    def methods(self) -> list[str]:
        return sorted(self.rule.methods - IGNORED_METHODS)

    @property
    def arguments(self) -> set[str]:
        return set(self.rule.arguments)

    def urls(self, values: Mapping | None = None) -> list[str]:
        """The route's URL with SAMPLE_VALUES and ``values`` filled in; a list value gives one URL per item."""
        values = {**SAMPLE_VALUES, **(values or {})}
        names = sorted(self.rule.arguments)
        choices = [values[name] if isinstance(values[name], (list, tuple)) else [values[name]] for name in names]
        combos = [dict(zip(names, combo, strict=True)) for combo in product(*choices)]
        return [self.rule.build(combo, append_unknown=False)[1] for combo in combos]

    def url(self, values: Mapping | None = None) -> str:
        """The route's one URL for ``values`` (no list values)."""
        (url,) = self.urls(values)
        return url


@cache
def _url_map():
    # Built once per process; the app never connects to its (in-memory) database.
    return create_app({"SECRET_KEY": "url-map", "SQLALCHEMY_DATABASE_URI": "sqlite://"}).url_map


def routes(method: str | None = None, prefix: str = "") -> list[Route]:
    """Every route of the app, or those accepting ``method`` and whose path starts with ``prefix``, in URL order."""
    found = [Route(rule) for rule in _url_map().iter_rules()]
    return sorted((route for route in found if (method is None or method in route.methods)
                   and route.path.startswith(prefix)), key=lambda route: (route.path, route.endpoint))
