"""The suite's root: fixtures come from the plugins in tests/fixtures/, helpers from tests/helpers.py."""

pytest_plugins = [
    "tests.fixtures.databases",
    "tests.fixtures.app",
    "tests.fixtures.content",
    "tests.fixtures.org",
]
