"""Model invariants."""
import pytest
from sqlalchemy.exc import IntegrityError

from lms.extensions import db
from lms.models import User


def test_password_is_hashed_with_strong_scrypt_by_default(make_app, tmp_path):
    app = make_app({"SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/x.db"})
    assert app.config["PASSWORD_HASH_METHOD"] == "scrypt:131072:8:1"
    with app.app_context():
        user = User(email="a@example.org", name="A")
        user.set_password("a long enough password")
    method, n, _r, _p = user.password_hash.split("$")[0].split(":")
    assert method == "scrypt" and int(n) >= 2 ** 17
    assert user.check_password("a long enough password") and not user.check_password("another password!")


def test_email_is_unique_regardless_of_case(app):
    with app.app_context():
        db.session.add(User(email="Same@Example.org", name="A"))
        db.session.commit()
        db.session.add(User(email="same@example.ORG", name="B"))
        with pytest.raises(IntegrityError):
            db.session.commit()


def test_unknown_role_is_refused(app):
    with app.app_context(), pytest.raises(ValueError, match="unknown role: emperor"):
        User(email="a@example.org", name="A").set_roles(["diplomat", "emperor"])
