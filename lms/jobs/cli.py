"""``flask --app lms worker`` (drains the queue, runs the hourly reminders) and ``send-reminders`` (for cron)."""
from __future__ import annotations

import logging
import time

import click
from flask import Flask, current_app
from flask.cli import with_appcontext

from ..outbox import smtp
from . import jobs


@click.command("worker")
@with_appcontext
@click.option("--threads", default=2, show_default=True, help="Jobs run at the same time.")
@click.option("--no-periodic", is_flag=True, help="Do not run the hourly reminders and the sweep here.")
@click.option("--burst", is_flag=True, help="Deliver what is queued now, then exit (no periodic runs).")
def worker_command(threads: int, no_periodic: bool, burst: bool) -> None:
    """Run a worker: deliver queued emails and, every hour, send the reminders that are due."""
    queue = jobs()
    if current_app.config["JOBS_IMMEDIATE"]:
        raise click.ClickException("JOBS_IMMEDIATE is set: jobs run where they are enqueued, so no worker is needed")
    _warn_without_mail()
    if burst:
        click.echo(f"Delivered {_drain(queue)} job(s); queue empty.")
        return
    logging.getLogger("huey").setLevel(logging.INFO)  # the consumer's own lines (in the app's log format)
    consumer = queue.huey.create_consumer(workers=threads, worker_type="thread", periodic=not no_periodic)
    if not no_periodic:  # what is due now, not at the next full hour (written once however often this runs)
        click.echo(f"Queued {queue.send_reminders()} reminder(s) and digest(s) due now.")
    click.echo(f"Worker started: {threads} thread(s), queue {current_app.config['QUEUE_NAME']!r}.")
    consumer.run()  # until SIGINT or SIGTERM; finishes the jobs in hand first


def _drain(queue) -> int:
    """Run every job in the queue (after a sweep, so lost jobs are found); how many ran."""
    queue.sweep()
    huey, done = queue.huey, 0
    while (task := huey.dequeue()) is not None:
        huey.execute(task)
        done += 1
    return done


@click.command("send-reminders")
@with_appcontext
def send_reminders_command() -> None:
    """Write the reminders and digests due now (each once, however often this runs) and queue them."""
    if not current_app.config["PUBLIC_URL"]:
        click.echo("PUBLIC_URL is not set: emails name the course and due date without a link.", err=True)
    _warn_without_mail()
    started = time.monotonic()
    written = jobs().send_reminders()
    click.echo(f"Queued {written} reminder(s) and digest(s) in {time.monotonic() - started:.1f} s.")


def _warn_without_mail() -> None:
    if not smtp.is_configured(current_app.config):
        click.echo("MAIL_SERVER and MAIL_FROM are not set: emails wait in the outbox (/admin/outbox) until they are.",
                   err=True)


def register(app: Flask) -> None:
    """Add the queue's commands to ``flask``."""
    app.cli.add_command(worker_command)
    app.cli.add_command(send_reminders_command)
