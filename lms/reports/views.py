"""The coordinator dashboard: completion by course, region, mission and cohort, with drill-down and CSV."""
from __future__ import annotations

from dataclasses import replace
from urllib.parse import urlencode

from flask import Blueprint, abort, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select

from ..auth.permissions import REPORTING_ROLES, region_scope, role_required
from ..certificates import certificates_of
from ..exports import csv_response
from ..extensions import db
from ..models import CohortCourse, Mission, QuizAttempt, User
from ..quizzes.review import review_items
from . import charts, person, queries, status
from .answers import describe_response
from .cache import cached
from .filters import FilterForm, Filters
from .labels import load as load_labels
from .scope import require_mission, require_person, require_region

bp = Blueprint("reports", __name__, url_prefix="/reports")
coordinator_required = role_required(*REPORTING_ROLES)
STATUS_HEADER = ["Group", "Learners", "Not started", "In progress", "Completed", "Overdue", "Completion %"]


def _context():
    """The coordinator's scope, the filter form (from the query string), the filters it gives, and the labels."""
    scope = region_scope(current_user)
    labels = load_labels()
    form = FilterForm(request.args)
    form.fill_choices(labels, scope)
    return scope, form, form.filters(), labels


def _status_csv(name: str, rows: list[status.StatusRow]):
    return csv_response(f"{name}.csv", STATUS_HEADER, [
        [r.label, r.enrolled, r.not_started, r.in_progress, r.completed, r.overdue, f"{r.rate:.1f}"] for r in rows])


def _wants_csv() -> bool:
    return request.args.get("export") == "csv"


@bp.route("/")
@coordinator_required
def dashboard():
    scope, form, filters, labels = _context()
    table = request.args.get("table", "")
    tables, headline = cached(("overview", filters, scope), lambda: status.overview(filters, scope, labels))
    if _wants_csv() and table in tables:
        return _status_csv(f"completion-by-{table}", tables[table])
    if _wants_csv() and table == "behind":
        everyone = queries.behind(filters, scope, labels, limit=None)
        return csv_response("behind.csv", BEHIND_HEADER, [_behind_cells(r) for r in everyone])
    modules = cached(("modules", filters, scope),
                     lambda: queries.module_table(filters, scope, expected=headline.totals.enrolled))
    if _wants_csv() and table == "module":
        return csv_response("completion-by-module.csv", ["Module", "Learners", "Completed", "Completion %"],
                            [[t, n, d, f"{100 * d / n if n else 0:.1f}"] for t, n, d in modules])
    weeks = cached(("weeks", filters, scope), lambda: queries.weekly_completions(filters, scope))
    if _wants_csv() and table == "weekly":
        return csv_response("completions-per-week.csv", ["Week starting", "Completions"], weeks)
    behind = cached(("behind", filters, scope), lambda: queries.behind(filters, scope, labels))
    return render_template(
        "reports/dashboard.html", scope=scope, form=form, filters=filters, tables=tables, modules=modules, weeks=weeks,
        headline=headline, due_on=_due_date(filters, headline), behind=queries.by_mission(behind),
        behind_shown=len(behind), behind_limit=queries.BEHIND_LIMIT, filter_query=_query(filters),
        learner_href=_href_prefix("reports.learner", "user_id"), mission_href=_href_prefix("reports.mission", "code"),
        region_chart=charts.bar_chart("Completion by region", [(r.label, r.rate) for r in tables["region"]]),
        week_chart=charts.week_chart("Course completions per week", weeks),
        quizzes=cached(("quizzes",), queries.live_quizzes),
    )


def _href_prefix(endpoint: str, argument: str) -> str:
    """``endpoint``'s address up to its last part, ``argument``, which the template appends: "Who is behind"
    links to about a hundred learners and missions, and a url_for for each took 0.6 ms of the page."""
    return url_for(endpoint, **{argument: 0}).removesuffix("0")


def _query(filters: Filters) -> str:
    """The filters as a query string ("?course=1"), or "" when there are none."""
    arguments = filters.as_args()
    return "?" + urlencode(arguments) if arguments else ""


def _due_date(filters: Filters, headline: status.Headline):
    """The cohort's date for the chosen course and cohort, else the one date every learner shares, if any."""
    if filters.course_id and filters.cohort_id:
        chosen = db.session.get(CohortCourse, (filters.cohort_id, filters.course_id))
        if chosen is not None:
            return chosen.due_on
    return headline.due_on


BEHIND_HEADER = ["Mission", "Name", "Email", "Course", "Status", "Due", "Extended", "Overdue", "Last activity"]


def _behind_cells(row: queries.Behind) -> list:
    return [row.mission, row.name, row.email, row.course, row.status, row.due_on, "yes" if row.extended else "",
            "yes" if row.overdue else "", _stamp(row.last_activity)]


@bp.route("/regions/<region>")
@coordinator_required
def region(region):
    scope, form, filters, labels = _context()
    require_region(scope, region)
    rows = status.status_table(replace(filters, region=region), scope, "mission", labels)
    if _wants_csv():
        return _status_csv(f"completion-{region}", rows)
    return render_template("reports/region.html", form=form, filters=filters, region=region, rows=rows)


@bp.route("/missions/<code>")
@coordinator_required
def mission(code):
    scope, form, filters, _labels = _context()
    mission = require_mission(scope, db.session.scalar(select(Mission).where(Mission.code == code)))
    rows = queries.learners(filters, scope, mission_id=mission.id)
    if _wants_csv():
        return csv_response(f"learners-{mission.code}.csv", LEARNER_HEADER, [_learner_cells(r) for r in rows])
    return render_template("reports/mission.html", form=form, filters=filters, mission=mission, rows=rows)


LEARNER_HEADER = ["Name", "Email", "Course", "Status", "Overdue", "Due", "Last activity", "Completed",
                  "Best quiz scores"]


def _learner_cells(row: dict) -> list:
    scores = "; ".join(f"{title}: {best:.0f}%" for title, best in row["scores"])
    return [row["name"], row["email"], row["course"], row["status"], "yes" if row["overdue"] else "",
            row["due_on"] or "", _stamp(row["last_activity"]), _stamp(row["completed_at"]), scores]


def _stamp(moment) -> str:
    return moment.strftime("%Y-%m-%d %H:%M") if moment else ""


@bp.route("/learners/<int:user_id>")
@coordinator_required
def learner(user_id):
    scope, _form, filters, _labels = _context()
    user = require_person(scope, db.session.get(User, user_id))
    if _wants_csv():
        rows = queries.learners(Filters(), scope, user_id=user.id)
        return csv_response(f"learner-{user.id}.csv", LEARNER_HEADER, [_learner_cells(r) for r in rows])
    return render_template("reports/learner.html", learner=user, filters=filters,
                           enrolments=person.enrolments(user.id), modules=person.module_progress(user.id),
                           attempts=person.attempts(user.id), certificates=certificates_of(user.id))


@bp.route("/attempts/<int:attempt_id>")
@role_required(*REPORTING_ROLES, "trainer")
def attempt(attempt_id):
    """A submitted attempt with every answer, essays included, for the staff who follow the learner."""
    found = db.session.get(QuizAttempt, attempt_id)
    if found is None or found.submitted_at is None:
        abort(404)
    learner = require_person(region_scope(current_user), db.session.get(User, found.user_id))
    return render_template("reports/attempt.html", attempt=found, learner=learner, quiz=found.quiz,
                           items=review_items(found))


@bp.route("/quizzes/<int:quiz_id>")
@coordinator_required
def quiz(quiz_id):
    scope, _form, filters, _labels = _context()
    quiz = queries.find_live_quiz(quiz_id) or abort(404)
    specs = {q["spec"]["key"]: q for q in quiz.questions}
    rows = [dict(row) for row in cached(("quiz", quiz.id, scope), lambda: queries.question_table(quiz.id, scope))]
    for row in rows:
        row["question"] = specs.get(row["key"])
        row["wrong_text"] = describe_response(row["question"], row["wrong"][0]) if row["wrong"] else ""
    rows.sort(key=lambda r: list(specs).index(r["key"]) if r["key"] in specs else len(specs))
    if _wants_csv():
        return csv_response(f"quiz-{quiz.id}-questions.csv",
                            ["Question", "Answers", "Correct %", "Average score %", "Most common wrong answer",
                             "Times"],
                            [[r["key"], r["answers"], f"{r['correct']:.1f}", f"{r['average']:.1f}", r["wrong_text"],
                              r["wrong"][1] if r["wrong"] else ""] for r in rows])
    return render_template("reports/quiz.html", quiz=quiz, rows=rows, filters=filters)
