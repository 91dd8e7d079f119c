"""Fixtures for the studio: a signed-in trainer and a second trainer's client."""
import pytest

from tests.helpers import signed_in_client


@pytest.fixture
def trainer(make_user, login):
    """A trainer, signed in on ``client``."""
    user = make_user("trainer", name="Tess Trainer")
    login(user)
    return user


@pytest.fixture
def second_trainer(app, make_user):
    """Another trainer signed in on a client of their own."""
    return signed_in_client(app, make_user("trainer", name="Theo Trainer"))
