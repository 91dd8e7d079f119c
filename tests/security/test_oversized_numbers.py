"""Numbers from query strings and forms that no column can hold, or negative ones, are refused, never a 500."""
import pytest

from lms.enrolment import create_cohort
from lms.extensions import db
from lms.models import Lesson
from tests.helpers import signed_in_client
from tests.studio.helpers import open_editor
from tests.studio.test_editor import EDIT, lesson_form

OVERSIZED = [str(10**30), str(2**63), str(2**31), "-1", "9" * 5000]


@pytest.fixture
def places(app, content):
    """The ids the walked addresses need: a cohort and a lesson with a revision."""
    with app.app_context():
        cohort_id = create_cohort("Autumn intake").id
        db.session.commit()
        lesson_id = db.session.scalar(db.select(Lesson.id).where(Lesson.slug == "first-steps"))
    return {"cohort": cohort_id, "lesson": lesson_id}


QUERY_NUMBERS = [  # (role, address with {value})
    ("admin", "/admin/users?page={value}"),
    ("coordinator", "/cohorts/{cohort}/?page={value}"),
    ("trainer", "/studio/lesson/{lesson}/diff?a={value}"),
    ("trainer", "/studio/lesson/{lesson}/diff?b={value}"),
]


@pytest.mark.parametrize("value", OVERSIZED)
@pytest.mark.parametrize("role, address", QUERY_NUMBERS)
def test_a_query_number_out_of_range_is_a_bad_request(app, make_user, places, role, address, value):
    client = signed_in_client(app, make_user(role))
    assert client.get(address.format(value=value, **places)).status_code == 400


@pytest.mark.parametrize("role, address", QUERY_NUMBERS)
def test_the_walked_addresses_answer_with_a_number_in_range(app, make_user, places, role, address):
    client = signed_in_client(app, make_user(role))
    assert client.get(address.format(value=1, **places)).status_code in (200, 404)


@pytest.mark.parametrize("value", OVERSIZED)
def test_an_oversized_form_number_is_refused_next_to_its_field(client, content, make_user, login, value):
    login(make_user("trainer"))
    _, hidden = open_editor(client, EDIT)
    response = client.post(EDIT, data=lesson_form(hidden, "Body.", minutes=value))
    assert response.status_code == 422
    assert "Between 1 and 600 minutes." in response.get_data(as_text=True)
