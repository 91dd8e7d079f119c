"""Fixtures for the people pages: missions in three regions, region-scoped coordinators, CSV uploads."""
from __future__ import annotations

import io

import pytest
from sqlalchemy import func, select

from lms.accounts import create_mission
from lms.extensions import db
from lms.models import Cohort, CohortMember, CoordinatorRegion, PasswordToken, User
from tests.helpers import csrf_token

MISSIONS = [("EMB-NAI", "Embassy in Nairobi", "Kenya", "Africa"),
            ("EMB-BER", "Embassy in Berlin", "Germany", "Europe"),
            ("PMI-NYC", "Permanent Mission, New York", "United States", "Americas")]


@pytest.fixture
def missions(app):
    """Three missions, one in each of Africa, Europe and the Americas."""
    with app.app_context():
        for code, name, country, region in MISSIONS:
            create_mission(code, name, country, region)
        db.session.commit()
    return [code for code, *_ in MISSIONS]


@pytest.fixture
def scoped_coordinator(app, make_user, missions):
    """A coordinator limited to Africa."""
    user = make_user("coordinator", email="coord.africa@example.org")
    with app.app_context():
        db.session.add(CoordinatorRegion(user_id=user.id, region="Africa"))
        db.session.commit()
    return user


@pytest.fixture
def counts(app):
    """Counts of users, cohorts, memberships and tokens, to show that nothing was written."""
    def count() -> dict[str, int]:
        with app.app_context():
            return {model.__name__: db.session.scalar(select(func.count()).select_from(model))
                    for model in (User, Cohort, CohortMember, PasswordToken)}
    return count


@pytest.fixture
def upload(client):
    """POST a CSV to the import page as a browser would (after loading the page for its CSRF token)."""
    def send(text: str | bytes, filename: str = "people.csv"):
        page = client.get("/people/import")
        data = text.encode() if isinstance(text, str) else text
        return client.post("/people/import", content_type="multipart/form-data", data={
            "csrf_token": csrf_token(page.get_data(as_text=True)), "file": (io.BytesIO(data), filename)})
    return send
