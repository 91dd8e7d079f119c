"""Backup commands: ``flask --app lms backup [TARGET]`` and ``flask --app lms restore ARCHIVE [--force]``."""
from __future__ import annotations

from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import with_appcontext

from . import BackupError, backup, restore


@click.command("backup")
@with_appcontext
@click.argument("target", default="backups", type=click.Path(path_type=Path))
def backup_command(target: Path) -> None:
    """Write the database, instance/secret_key and instance/config.py to one archive in folder TARGET."""
    try:
        path, manifest = backup(target)
    except BackupError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"Backed up the {manifest.database} database (schema revision {manifest.schema_revision}) "
               f"and {', '.join(sorted(manifest.files))} to {path}")
    key_file = Path(current_app.instance_path) / "secret_key"
    if not key_file.is_file() or key_file.read_text().strip() != current_app.config["SECRET_KEY"]:
        click.echo("Note: SECRET_KEY comes from the environment (or instance/config.py), not instance/secret_key; "
                   "an environment variable is not in the archive: keep it with your backups.", err=True)


@click.command("restore")
@with_appcontext
@click.argument("archive", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="Replace a database that has tables, and instance files that differ.")
def restore_command(archive: Path, force: bool) -> None:
    """Check ARCHIVE (made by backup), then restore its database and instance files."""
    try:
        done = restore(archive, force)
    except BackupError as exc:
        raise click.ClickException(str(exc)) from exc
    for line in done:
        click.echo(line)


def register(app: Flask) -> None:
    """Add the commands to ``flask``."""
    for command in (backup_command, restore_command):
        app.cli.add_command(command)
