"""Training rounds from the command line: create-cohort, enrol, extend and check-status."""
from __future__ import annotations

import sys
from datetime import date, datetime

import click
from flask import Flask
from flask.cli import with_appcontext

from ..extensions import db
from . import (
    EnrolmentError,
    PastDueDate,
    create_cohort,
    enrol_cohort,
    extend,
    find_cohort,
    find_course,
    find_person,
    status,
)

PAST_DATE_EXIT = 2  # a usage problem, like click's own: the command was asked for something it will not do


def _due(value: str) -> date:
    try:
        return datetime.strptime(value, "%Y-%m-%d").date()
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date written YYYY-MM-DD") from None


def _run(action):
    """Run a service and commit once; a refusal rolls back, is printed, and ends the command."""
    try:
        result = action()
    except PastDueDate as exc:
        db.session.rollback()
        click.echo(f"Error: {exc} Give --yes to set it anyway.", err=True)
        sys.exit(PAST_DATE_EXIT)
    except EnrolmentError as exc:
        db.session.rollback()
        raise click.ClickException(str(exc)) from exc
    db.session.commit()
    return result


@click.command("create-cohort")
@with_appcontext
@click.argument("name")
def create_cohort_command(name: str) -> None:
    """Create a cohort (a training round); names are unique."""
    cohort = _run(lambda: create_cohort(name))
    click.echo(f"Created cohort {cohort.name}")


@click.command("enrol")
@with_appcontext
@click.argument("cohort_name", metavar="COHORT")
@click.argument("course_slug", metavar="COURSE_SLUG")
@click.option("--due", required=True, help="Due date, YYYY-MM-DD.")
@click.option("--yes", is_flag=True, help="Accept a due date in the past.")
def enrol_command(cohort_name: str, course_slug: str, due: str, yes: bool) -> None:
    """Enrol a cohort in a course with a due date (or change the date of an existing enrolment)."""
    due_on = _due(due)
    _run(lambda: enrol_cohort(find_cohort(cohort_name), find_course(course_slug), due_on, confirmed=yes))
    click.echo(f"Enrolled {cohort_name} in {course_slug}, due {due_on.isoformat()}")


@click.command("extend")
@with_appcontext
@click.argument("email")
@click.argument("course_slug", metavar="COURSE_SLUG")
@click.option("--due", required=True, help="New due date for this person, YYYY-MM-DD.")
@click.option("--yes", is_flag=True, help="Accept a due date in the past.")
def extend_command(email: str, course_slug: str, due: str, yes: bool) -> None:
    """Give one person a new due date in one course."""
    due_on = _due(due)
    _run(lambda: extend(find_person(email), find_course(course_slug), due_on, confirmed=yes))
    click.echo(f"Extended {email} in {course_slug} to {due_on.isoformat()}")


@click.command("check-status")
@with_appcontext
@click.option("--repair", is_flag=True, help="Rewrite every status row (and tally) from the raw records.")
def check_status_command(repair: bool) -> None:
    """Recompute every enrolment's status from the raw records and report rows that differ (exit 1)."""
    count, described = status.differences()
    for line in described:
        click.echo(line)
    if count and repair:
        rows = status.rebuild()
        db.session.commit()
        click.echo(f"Repaired: {count} row(s) differed; {rows} status rows rewritten.")
        return
    if count:
        click.echo(f"{count} status row(s) differ from the records"
                   + (f" ({len(described)} shown)" if count > len(described) else "")
                   + "; run check-status --repair to rewrite them.", err=True)
        sys.exit(1)
    click.echo("Every enrolment status row matches the records.")


def register(app: Flask) -> None:
    """Add the commands to ``flask``."""
    for command in (create_cohort_command, enrol_command, extend_command, check_status_command):
        app.cli.add_command(command)
