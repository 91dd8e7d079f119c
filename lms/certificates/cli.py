"""``flask --app lms issue-certificates``: certificates for completions recorded before certificates existed."""
from __future__ import annotations

import click
from flask import Flask
from flask.cli import with_appcontext

from ..extensions import db
from . import issue_missing


@click.command("issue-certificates")
@with_appcontext
def issue_certificates_command() -> None:
    """Issue a certificate for every course completion that has none (safe to run again)."""
    issued = issue_missing()
    db.session.commit()
    click.echo(f"Issued {issued} certificate{'' if issued == 1 else 's'}.")


def register(app: Flask) -> None:
    """Add the command to ``flask``."""
    app.cli.add_command(issue_certificates_command)
