"""The digital diplomacy learning platform."""
from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

from flask import Flask

from . import config
from .database.engine import JSON_ENGINE_OPTIONS
from .extensions import csrf, db, limiter, login_manager, migrate

PACKAGE_DIR = Path(__file__).resolve().parent


def create_app(test_config: dict | None = None) -> Flask:
    """Build the app: defaults, then instance/config.py and the environment (or ``test_config``)."""
    app = Flask(
        __name__,
        instance_path=os.environ.get("LMS_INSTANCE_PATH", str(config.REPO_ROOT / "instance")),
        instance_relative_config=True,
        template_folder=str(config.REPO_ROOT / "templates"),
    )
    app.config.from_mapping(config.defaults())
    app.jinja_env.trim_blocks = app.jinja_env.lstrip_blocks = True  # lighter pages for slow mission links
    app.jinja_env.filters["num"] = lambda value: f"{value:g}"  # 1.0 -> "1", 0.5 -> "0.5"
    os.makedirs(app.instance_path, exist_ok=True)
    if test_config is None:
        app.config.from_pyfile("config.py", silent=True)
        app.config.update(config.typed(app.config, "instance/config.py"))
        app.config.update(config.from_environment(os.environ))
    else:
        app.config.update(test_config)
        app.config.update(config.typed(test_config, "the test config"))
    _derive_config(app)
    _init_extensions(app)
    _register_blueprints(app)
    return app


def _derive_config(app: Flask) -> None:
    """The keys Flask and its extensions read, worked out from the settings in this one place."""
    settings = app.config
    if settings["LMS_ENV"] == "production" and (problems := config.production_problems(settings)):
        raise config.ConfigError("\n".join(problems))
    if not settings["SECRET_KEY"]:
        settings["SECRET_KEY"] = config.instance_secret_key(app.instance_path)
    # DATABASE_URL stays as given; SQLALCHEMY_DATABASE_URI is still honoured for test configs and old instance files.
    default_url = "sqlite:///" + os.path.join(app.instance_path, "lms.sqlite3")
    url = settings["DATABASE_URL"] or settings.get("SQLALCHEMY_DATABASE_URI") or default_url
    settings["SQLALCHEMY_DATABASE_URI"] = config.database_url(url)
    settings["SQLALCHEMY_ENGINE_OPTIONS"] = {**JSON_ENGINE_OPTIONS, **settings["SQLALCHEMY_ENGINE_OPTIONS"]}
    if settings["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        # A database file cannot drop a connection: the ping before each checkout (a twentieth of a page's
        # work) is for database servers.
        settings["SQLALCHEMY_ENGINE_OPTIONS"] = {**settings["SQLALCHEMY_ENGINE_OPTIONS"], "pool_pre_ping": False}
    if settings["REDIS_URL"]:
        settings["RATELIMIT_STORAGE_URI"] = settings["REDIS_URL"]
        settings["RATELIMIT_STORAGE_OPTIONS"] = config.REDIS_TIMEOUTS
    # Flask refuses a session cookie older than this, so it must not cut sessions shorter than SESSION_MAX_HOURS.
    settings["PERMANENT_SESSION_LIFETIME"] = timedelta(hours=settings["SESSION_MAX_HOURS"])


def _init_extensions(app: Flask) -> None:
    from . import models  # noqa: F401  (registers the tables before migrations look at them)
    from .auth.session import init_login
    from .auth.throttle import init_limiter
    from .content import version
    from .content.render import CONVERTER
    from .database.engine import init_sqlite_pragmas
    from .database.transactions import note_request_kind
    from .jobs import init_app as init_jobs
    from .observe import init_observability, watch_pool
    from .reports.cache import init_app as init_report_cache

    init_observability(app)
    app.before_request(note_request_kind)  # before anything loads the signed-in user
    db.init_app(app)
    with app.app_context():
        init_sqlite_pragmas(db.engine)
        watch_pool(db.engine)
    migrate.init_app(app, db, directory=str(PACKAGE_DIR / "migrations"), render_as_batch=True)
    csrf.init_app(app)
    init_limiter(app, limiter, "auth")
    init_login(app, login_manager)
    init_jobs(app)
    init_report_cache(app)
    version.count_changes()
    CONVERTER.time_limit = app.config["MARKDOWN_TIME_LIMIT"]  # one converter per process: the last app's setting


def _register_blueprints(app: Flask) -> None:
    from . import cli, errors, layout, security
    from .auth.views import bp as auth_bp
    from .backup import cli as backup_cli
    from .certificates import cli as certificates_cli
    from .certificates.verify import bp as verify_bp
    from .certificates.views import bp as certificates_bp
    from .enrolment import cli as enrolment_cli
    from .jobs import cli as jobs_cli
    from .jobs.views import bp as outbox_bp
    from .learn.views import bp as learn_bp
    from .observe.views import bp as metrics_bp
    from .ops import bp as ops_bp
    from .people import cli as people_cli
    from .people.admin_views import bp as admin_bp
    from .people.views import bp as people_bp
    from .quizzes.views import bp as quizzes_bp
    from .reports.views import bp as reports_bp
    from .rounds.views import bp as rounds_bp
    from .studio.views import bp as studio_bp

    security.harden_urls(app)  # before the routes, whose <int:...> parts it bounds
    app.register_blueprint(auth_bp)
    app.register_blueprint(learn_bp)
    app.register_blueprint(quizzes_bp)
    app.register_blueprint(ops_bp)
    app.register_blueprint(people_bp)
    app.register_blueprint(admin_bp)
    app.register_blueprint(reports_bp)
    app.register_blueprint(rounds_bp)
    app.register_blueprint(studio_bp)
    app.register_blueprint(certificates_bp)
    app.register_blueprint(verify_bp)
    app.register_blueprint(outbox_bp)
    app.register_blueprint(metrics_bp)
    errors.register(app)
    layout.register(app)
    security.register(app)
    security.trust_proxies(app)  # the outermost middleware: everything after it sees the client's address
    cli.register(app)
    people_cli.register(app)
    enrolment_cli.register(app)
    certificates_cli.register(app)
    jobs_cli.register(app)
    backup_cli.register(app)
