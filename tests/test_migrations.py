"""The migrations build exactly the schema the models describe."""
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import upgrade

from lms.extensions import db


def test_upgrade_creates_the_models_schema(blank_database_url, make_app):
    app = make_app({"SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": blank_database_url})
    with app.app_context():
        upgrade()
        with db.engine.connect() as conn:
            differences = compare_metadata(MigrationContext.configure(conn), db.metadata)
    assert differences == []
