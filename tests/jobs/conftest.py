"""The jobs tests reuse the reminders' training round."""
from tests.reminders.conftest import round_  # noqa: F401  (a fixture, shared)
