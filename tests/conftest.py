"""The suite's root: fixtures come from the plugins in tests/fixtures/, helpers from tests/helpers.py."""
from pathlib import Path

import pytest

# Helper modules assert too: give their failures pytest's detailed messages.
HELPERS = [f"tests.{path.parent.name}.helpers" for path in Path(__file__).parent.glob("*/helpers.py")]
pytest.register_assert_rewrite("tests.helpers", "tests.fixtures", *HELPERS)

pytest_plugins = [
    "tests.fixtures.workers",
    "tests.fixtures.app",
    "tests.fixtures.databases",
    "tests.fixtures.content",
    "tests.fixtures.org",
    "tests.fixtures.services",
    "tests.fixtures.new_databases",
]
