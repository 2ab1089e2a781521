"""The Safeguarding Recommendations Tracker: application factory."""
from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from flask import Flask
from jinja2 import ChoiceLoader, FileSystemLoader, PackageLoader, PrefixLoader

from tracker.audit import writes_expected
from tracker.config import CONFIGS, Config
from tracker import planning
from tracker.extensions import csrf, db, limiter, login_manager, migrate

ROOT = Path(__file__).resolve().parent.parent


def create_app(config: str | type[Config] | None = None,
               overrides: dict[str, Any] | None = None) -> Flask:
    """Build the app: choose config, bind extensions, register blueprints and commands."""
    app = Flask(__name__, template_folder=str(ROOT / "templates"),
                static_folder=str(ROOT / "static"), instance_path=str(ROOT / "instance"))
    if config is None:
        config = os.environ.get("TRACKER_CONFIG", "development")
    config_class = CONFIGS[config] if isinstance(config, str) else config
    config_class.init()
    app.config.from_object(config_class)
    if overrides:
        app.config.update(overrides)
    Path(app.instance_path).mkdir(exist_ok=True)

    app.jinja_loader = ChoiceLoader([
        FileSystemLoader(str(ROOT / "templates")),
        PrefixLoader({
            "govuk_frontend_jinja": PackageLoader("govuk_frontend_jinja"),
            "govuk_frontend_wtf": PackageLoader("govuk_frontend_wtf"),
        }),
    ])

    db.init_app(app)
    migrate.init_app(app, db, directory=str(ROOT / "migrations"), render_as_batch=True,
                     compare_type=True)
    csrf.init_app(app)
    limiter.init_app(app)
    login_manager.init_app(app)
    with app.app_context():
        _configure_engine(db.engine, app)

    from tracker import logs, static_files, web
    logs.init_app(app)
    web.init_app(app)
    static_files.init_app(app)
    _register_blueprints(app)
    _warn_about_settings(app)
    from tracker.cli import register_commands
    register_commands(app)
    return app


def _register_blueprints(app: Flask) -> None:
    from tracker.admin_tools.views import bp as admin_tools_bp
    from tracker.auth.views import bp as auth_bp
    from tracker.dashboard.views import bp as dashboard_bp
    from tracker.decisions.views import bp as decisions_bp
    from tracker.health import bp as health_bp
    from tracker.main.views import bp as main_bp
    from tracker.messages.views import bp as messages_bp
    from tracker.organisations.views import bp as organisations_bp
    from tracker.recommendations.views import bp as recommendations_bp
    from tracker.schools.views import bp as schools_bp
    from tracker.search.views import bp as search_bp
    from tracker.terminology.views import bp as terminology_bp
    from tracker.themes.views import bp as themes_bp
    from tracker.users.views import bp as users_bp

    for bp in (main_bp, auth_bp, users_bp, decisions_bp, terminology_bp, recommendations_bp,
               schools_bp, dashboard_bp, admin_tools_bp, health_bp, messages_bp, themes_bp,
               search_bp, organisations_bp):
        app.register_blueprint(bp)


def _warn_about_settings(app: Flask) -> None:
    """Settings that work on one host but not on several: said once, at start-up."""
    if app.config.get("SESSION_COOKIE_SECURE") and str(
            app.config.get("RATELIMIT_STORAGE_URI", "")).startswith("memory://"):
        app.logger.warning(
            "Sign-in attempts per address are counted in each process's memory: set REDIS_URL "
            "so every worker and host shares the count (docs/deploying.md)")


def _configure_engine(engine: sa.Engine, app: Flask) -> None:
    """SQLite: WAL, a busy timeout, foreign keys, and transactions that write begin
    immediately so concurrent workers queue for the lock instead of failing; reads (the
    transactions of GET requests, ``tracker.audit.writes_expected``) begin deferred and take
    no lock, so readers never wait for each other or for a writer. PostgreSQL: transactions
    that wrote nothing end with COMMIT, so what psycopg prepared stays prepared
    (``tracker.planning``)."""
    if engine.dialect.name == "postgresql":
        planning.end_reads_with_commit(engine)
    if engine.dialect.name != "sqlite":
        return
    timeout = app.config["SQLITE_BUSY_TIMEOUT_MS"]

    @sa.event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.isolation_level = None  # let SQLAlchemy's "begin" event issue BEGIN
        cur = dbapi_conn.cursor()
        cur.execute(f"PRAGMA busy_timeout = {int(timeout)}")
        cur.execute("PRAGMA journal_mode = WAL")
        cur.execute("PRAGMA foreign_keys = ON")
        cur.execute("PRAGMA synchronous = NORMAL")
        cur.close()

    @sa.event.listens_for(engine, "begin")
    def _on_begin(conn: sa.Connection) -> None:
        conn.exec_driver_sql("BEGIN IMMEDIATE" if writes_expected() else "BEGIN")

    engine.dispose()
