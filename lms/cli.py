"""Command-line commands: ``flask --app lms <command>``."""
from __future__ import annotations

import sys
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import with_appcontext

from . import config, prepare
from .accounts import AccountError, create_mission, create_user
from .content.export import ExportError, export_content
from .database.engine import refresh_statistics
from .demo.organisation import generate_org
from .documents.errors import ContentError
from .extensions import db
from .models import ROLES
from .questions.gift_export import GiftExportError
from .quizzes.gift_file import QuizNotFound, gift_for


def committed(action, *refusals: type[Exception]):
    """Run a service and commit once; a refusal rolls back and becomes a clean command-line error."""
    try:
        result = action()
    except refusals as exc:
        db.session.rollback()
        raise click.ClickException(str(exc)) from exc
    db.session.commit()
    return result


@click.command("import-content")
@with_appcontext
@click.option("--courses", "courses_dir", type=click.Path(file_okay=False, path_type=Path),
              help="Folder of courses (default: courses/).")
@click.option("--quizzes", "quizzes_dir", type=click.Path(file_okay=False, path_type=Path),
              help="Folder of quizzes (default: the quizzes/ folder beside the courses folder).")
def import_content_command(courses_dir: Path | None, quizzes_dir: Path | None) -> None:
    """Validate the content folders, then import them in one transaction."""
    courses_dir = courses_dir or Path(current_app.config["COURSES_DIR"])
    quizzes_dir = quizzes_dir or courses_dir.resolve().parent / "quizzes"
    with prepare.exclusive(_say_waiting):
        summary, problems = prepare.import_files(courses_dir, quizzes_dir)
    _echo_import(courses_dir, quizzes_dir, summary, problems)
    if problems:
        click.echo(f"Import failed: {len(problems)} problem(s); nothing was changed.", err=True)
        sys.exit(1)


def _echo_import(courses_dir: Path, quizzes_dir: Path, summary, problems: list[str]) -> None:
    for problem in problems:
        click.echo(problem, err=True)
    if summary is not None:
        click.echo(f"Imported {courses_dir} and {quizzes_dir}")
        for line in summary.lines():
            click.echo("  " + line)


def _say_waiting() -> None:
    click.echo("Waiting for another server to finish preparing this database...")


@click.command("prepare")
@with_appcontext
@click.option("--content/--no-content", default=True, show_default=True, help="Import the content folders.")
@click.option("--demo/--no-demo", default=True, show_default=True, help="Create the demo accounts (once).")
def prepare_command(content: bool, demo: bool) -> None:
    """Make the database ready to serve, one server at a time: migrate, repair status rows, import, seed.

    Content problems are reported and leave the last good content in place, so a server can still start.
    """
    with prepare.exclusive(_say_waiting):
        prepare.migrate()
        click.echo(prepare.repair_status())
        if content:
            courses_dir = Path(current_app.config["COURSES_DIR"])
            quizzes_dir = courses_dir.resolve().parent / "quizzes"
            summary, problems = prepare.import_files(courses_dir, quizzes_dir)
            _echo_import(courses_dir, quizzes_dir, summary, problems)
            if problems:
                click.echo(f"Content NOT imported: {len(problems)} problem(s) above. The database keeps the "
                           "content of the last good import, and the server serves that.", err=True)
        if demo:
            click.echo(prepare.seed())


@click.command("export-content")
@with_appcontext
@click.argument("target", type=click.Path(file_okay=False, path_type=Path))
@click.option("--replace", is_flag=True, help="Rewrite TARGET/courses and TARGET/quizzes if they are not empty.")
def export_content_command(target: Path, replace: bool) -> None:
    """Write all content (drafts included, retired pages left out) as TARGET/courses and TARGET/quizzes."""
    try:
        counts = export_content(target, replace)
    except ExportError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"Exported to {target}: " + ", ".join(f"{n} {kind}" for kind, n in counts.items()))


@click.command("export-gift")
@with_appcontext
@click.argument("quiz")
def export_gift_command(quiz: str) -> None:
    """Print a quiz as Moodle GIFT: QUIZ is a module slug, course/module, or a quiz file (.md or .gift)."""
    try:
        text = gift_for(quiz)
    except ContentError as exc:
        for problem in exc.problems:
            click.echo(str(problem), err=True)
        raise click.ClickException(f"{quiz} has {len(exc.problems)} problem(s); nothing was exported.") from exc
    except (QuizNotFound, UnicodeDecodeError, GiftExportError) as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(text, nl=False)


@click.command("create-user")
@with_appcontext
@click.argument("email")
@click.option("--name", required=True, help="Display name.")
@click.option("--role", "roles", multiple=True, required=True, type=click.Choice(ROLES), help="Repeat for several.")
@click.option("--mission", "mission_code", help="Mission code, e.g. EMB-NAI.")
def create_user_command(email: str, name: str, roles: tuple[str, ...], mission_code: str | None) -> None:
    """Create a user; the password is read from standard input when piped, else prompted for."""
    if sys.stdin.isatty():
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    else:
        password = sys.stdin.readline().rstrip("\n")
    user = committed(lambda: create_user(email, name, password, list(roles), mission_code), AccountError)
    click.echo(f"Created {user.email} ({', '.join(sorted(user.roles))})")


@click.command("create-mission")
@with_appcontext
@click.argument("code")
@click.option("--name", required=True)
@click.option("--country", required=True)
@click.option("--region", required=True)
def create_mission_command(code: str, name: str, country: str, region: str) -> None:
    """Create a mission (embassy, consulate or permanent mission)."""
    mission = committed(lambda: create_mission(code, name, country, region), AccountError)
    click.echo(f"Created mission {mission.code}: {mission.name}")


@click.command("seed-demo")
@with_appcontext
def seed_demo_command() -> None:
    """Create demo missions and one account per role, once; prints the passwords the first time."""
    with prepare.exclusive(_say_waiting):
        click.echo(prepare.seed())


@click.command("generate-org")
@with_appcontext
@click.option("--diplomats", default=10000, show_default=True, type=click.IntRange(1, 200000))
@click.option("--missions", default=90, show_default=True, type=click.IntRange(1, 5000))
@click.option("--regions", default=8, show_default=True, type=click.IntRange(1, 50))
@click.option("--seed", default=1, show_default=True, help="Same seed, same organisation.")
def generate_org_command(diplomats: int, missions: int, regions: int, seed: int) -> None:
    """Generate a synthetic organisation with a year of progress, for demos and benchmarks."""
    counts = committed(lambda: generate_org(diplomats, missions, regions, seed), ValueError)
    refresh_statistics()
    click.echo("Generated: " + ", ".join(f"{n} {kind}" for kind, n in counts.items()))


@click.command("config-table")
@click.option("--write", is_flag=True, help="Replace the table in README.md instead of printing it.")
def config_table_command(write: bool) -> None:
    """Print the configuration table (settings, types, defaults) that the README shows."""
    if not write:
        click.echo(config.markdown_table())
        return
    readme = config.REPO_ROOT / "README.md"
    readme.write_text(config.with_table(readme.read_text(encoding="utf-8")), encoding="utf-8")
    click.echo(f"Updated the configuration table in {readme}")


def register(app: Flask) -> None:
    """Add the commands to ``flask``."""
    for command in (prepare_command, import_content_command, export_content_command, export_gift_command,
                    create_user_command, create_mission_command, seed_demo_command, generate_org_command,
                    config_table_command):
        app.cli.add_command(command)
