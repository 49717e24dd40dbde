"""Cross-border anti-trafficking coordination: the application factory."""

from __future__ import annotations

import os
from collections.abc import Mapping

from flask import Flask

from config import settings_from_env


def create_app(overrides: Mapping | None = None) -> Flask:
    """Build the app from the environment (and ``overrides``, for tests)."""
    app = Flask(__name__, instance_relative_config=True)
    app.config.from_mapping(settings_from_env(os.environ, app.instance_path))
    if overrides:
        app.config.update(overrides)
    os.makedirs(app.instance_path, exist_ok=True)  # home of the embedded SQLite database
    if app.config["TRUSTED_PROXY_HOPS"]:
        from werkzeug.middleware.proxy_fix import ProxyFix

        hops = app.config["TRUSTED_PROXY_HOPS"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)

    register_extensions(app)
    register_url_converters(app)
    register_blueprints(app)
    register_api(app)
    register_cli(app)
    register_error_handlers(app)
    register_request_hooks(app)
    register_audit_checkpoints(app)
    register_template_helpers(app)
    return app


def register_extensions(app: Flask) -> None:
    from coordination.auth.session import configure_login
    from coordination.core.db import (
        migration_include_name,
        migration_include_object,
        register_sqlite_pragmas,
        register_writes_at_commit,
        render_migration_item,
    )
    from coordination.extensions import babel, csrf, db, limiter, login_manager, migrate
    from coordination.i18n import select_locale, select_timezone

    register_sqlite_pragmas()
    db.init_app(app)
    register_writes_at_commit()
    # Batch mode lets Alembic alter tables on SQLite (which has no ALTER COLUMN).
    migrations = os.path.join(app.root_path, os.pardir, "migrations")
    migrate.init_app(
        app,
        db,
        directory=migrations,
        render_as_batch=True,
        compare_type=True,
        render_item=render_migration_item,
        include_name=migration_include_name,
        include_object=migration_include_object,
    )
    babel.init_app(
        app,
        locale_selector=select_locale,
        timezone_selector=select_timezone,
        default_translation_directories=os.path.join(app.root_path, os.pardir, "translations"),
    )
    csrf.init_app(app)
    limiter.init_app(app)
    login_manager.init_app(app)
    configure_login(login_manager)


def register_url_converters(app: Flask) -> None:
    from coordination.core.routing import RecordIdConverter

    # Ids in URLs beyond the database's integer range are simply not found (404).
    app.url_map.converters["int"] = RecordIdConverter


def register_blueprints(app: Flask) -> None:
    from coordination.audit.views import bp as audit_bp
    from coordination.auth.user_views import bp as users_bp
    from coordination.auth.views import bp as auth_bp
    from coordination.cases.document_views import bp as documents_bp
    from coordination.cases.export_views import bp as case_export_bp
    from coordination.cases.missing_views import bp as missing_bp
    from coordination.cases.views import bp as cases_bp
    from coordination.dashboard.views import bp as dashboard_bp
    from coordination.directory.views import bp as directory_bp
    from coordination.exchange.views import bp as exchange_bp
    from coordination.handovers.views import bp as handovers_bp
    from coordination.matching.views import bp as matching_bp
    from coordination.notifications.views import bp as notifications_bp

    for blueprint in (
        dashboard_bp,
        auth_bp,
        users_bp,
        directory_bp,
        audit_bp,
        cases_bp,
        missing_bp,
        exchange_bp,
        matching_bp,
        handovers_bp,
        notifications_bp,
        documents_bp,
        case_export_bp,
    ):
        app.register_blueprint(blueprint)


def register_api(app: Flask) -> None:
    from coordination.core.api import create_api

    create_api(app)


def register_cli(app: Flask) -> None:
    from coordination.cli import commands

    for command in commands:
        app.cli.add_command(command)


def register_error_handlers(app: Flask) -> None:
    from coordination.core.errors import register_error_handlers as register

    register(app)


def register_request_hooks(app: Flask) -> None:
    from coordination.core.requests import register_request_hooks as register

    register(app)


def register_audit_checkpoints(app: Flask) -> None:
    """Signed audit checkpoints are written after commits once they are due."""
    from coordination.audit.operations import register_checkpoint_hook

    register_checkpoint_hook()


def register_template_helpers(app: Flask) -> None:
    from coordination.core.templating import register_template_helpers as register

    register(app)
