"""``flask --app lms import-people FILE.csv [--dry-run]``."""
from __future__ import annotations

import sys
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import with_appcontext
from sqlalchemy.exc import IntegrityError

from ..extensions import db
from ..jobs import jobs
from . import mail
from .csvfile import MAX_BYTES
from .plan import ImportPlan
from .services import import_people
from .tokens import can_build_full_links, issue_link_rows


@click.command("import-people")
@with_appcontext
@click.argument("csv_file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Check the file and show what would change; write nothing.")
def import_people_command(csv_file: Path, dry_run: bool) -> None:
    """Create or update diplomats from a CSV file (email,name,mission[,cohort][,role])."""
    with csv_file.open("rb") as handle:
        content = handle.read(MAX_BYTES + 1)  # one byte more than allowed is enough to refuse it
    try:
        outcome = import_people(content, actor=None, dry_run=dry_run)
        _echo_plan(outcome.plan)
        if not outcome.plan.ok:
            for problem in outcome.plan.problems:
                click.echo(f"{csv_file}:{problem.row}: {problem.message}", err=True)
            db.session.rollback()
            click.echo(f"Import failed: {len(outcome.plan.problems)} problem(s); nothing was changed.", err=True)
            sys.exit(1)
        if dry_run:
            db.session.rollback()
            click.echo("Dry run: nothing was changed.")
            return
        rows = issue_link_rows(outcome.result.created)
        emailing = mail.is_configured(current_app.config) and can_build_full_links()
        queued = mail.queue_links(current_app.config, rows) if emailing else []
        db.session.commit()
    except IntegrityError as exc:
        db.session.rollback()
        message = "another change to the same accounts happened meanwhile; run the import again"
        raise click.ClickException(message) from exc
    click.echo(f"Imported {csv_file}.")
    _hand_out(rows, queued)


def _echo_plan(plan: ImportPlan) -> None:
    counts = plan.counts()
    click.echo(f"{counts['create']} to create, {counts['change']} to change, {counts['unchanged']} unchanged, "
               f"{counts['new cohorts']} new cohort(s), {counts['problems']} problem(s)")
    for name in plan.new_cohorts:
        click.echo(f"  new cohort  {name}")
    for row in plan.with_action("create"):
        cohort = f", cohort {row.cohort}" if row.cohort else ""
        click.echo(f"  row {row.row}: create {row.email} ({row.name}, {row.mission.code}{cohort}, "
                   f"{', '.join(row.roles)})")
    for row in plan.with_action("change"):
        note = f" [{row.note}]" if row.note else ""
        click.echo(f"  row {row.row}: change {row.email}: {'; '.join(row.changes)}{note}")


def _hand_out(rows: list[tuple[str, str, str]], queued: list[int]) -> None:
    """Queue the emailed links for the worker, or print the links when they cannot be emailed."""
    if not rows:
        click.echo("No new accounts, so no set-password links.")
        return
    config = current_app.config
    if queued:
        jobs().deliver_soon(queued)
        click.echo(f"Queued set-password emails to {len(queued)} new account(s); the worker "
                   "(`flask --app lms worker`, started by `make run`) sends them. /admin/outbox shows their delivery.")
        return
    if mail.is_configured(config):
        click.echo("PUBLIC_URL is not set, so links cannot be emailed; they are printed instead.", err=True)
    days = config["PASSWORD_LINK_DAYS"]
    click.echo(f"Set-password links (single use, valid {days} days, shown only now):")
    if not can_build_full_links():
        click.echo("  (paths only: set PUBLIC_URL for full addresses)")
    for email, _name, link in rows:
        click.echo(f"  {email}  {link}")


def register(app: Flask) -> None:
    """Add the people commands to ``flask``."""
    app.cli.add_command(import_people_command)
