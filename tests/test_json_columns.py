"""JSON columns go through orjson (lms/database/engine.py) and keep what the standard library kept."""
import math

import pytest
from sqlalchemy import JSON, Column, Integer, MetaData, Table, select, text

from lms.database.engine import dump_json, load_json
from lms.extensions import db

pytestmark = pytest.mark.database("empty")


def test_a_json_column_round_trips_what_the_standard_library_did(app):
    probe = Table("json_probe", MetaData(), Column("id", Integer, primary_key=True), Column("value", JSON))
    values = [{1: "one", "two": [2, 2.5]}, [2 ** 70, -(2 ** 70)], {"title": "سرکاری اکاؤنٹ"}, None]
    with app.app_context():
        probe.create(db.engine)
        try:
            with db.engine.begin() as connection:
                connection.execute(probe.insert(), [{"id": n, "value": value} for n, value in enumerate(values)])
                read = connection.execute(select(probe.c.value).order_by(probe.c.id)).scalars().all()
                raw = connection.execute(text("SELECT CAST(value AS TEXT) FROM json_probe WHERE id = 2")).scalar()
        finally:
            probe.drop(db.engine)
    # keys become strings, integers beyond 64 bits survive, and text is stored as UTF-8, not \\u escapes
    assert read == [{"1": "one", "two": [2, 2.5]}, [2 ** 70, -(2 ** 70)], {"title": "سرکاری اکاؤنٹ"}, None]
    assert "سرکاری" in raw


def test_json_the_standard_library_wrote_is_still_read():
    assert math.isnan(load_json("[NaN]")[0])
    assert load_json('{"a": [1, 2]}') == {"a": [1, 2]}
    assert load_json(dump_json({3: (1, 2)})) == {"3": [1, 2]}
