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
    register_features(app)
    register_blueprints(app)
    register_api(app)
    register_cli(app)
    register_error_handlers(app)
    register_request_hooks(app)
    register_template_helpers(app)
    set_up_features(app)
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
    from coordination.core.routing import JobIdConverter, RecordIdConverter

    # Ids in URLs beyond the database's integer range are simply not found (404).
    app.url_map.converters["int"] = RecordIdConverter
    app.url_map.converters["job"] = JobIdConverter


def register_features(app: Flask) -> None:
    """Gather what the features of coordination/features.py contribute (see core/features.py)."""
    from coordination.core.features import REGISTRY_KEY, Registry
    from coordination.features import FEATURES

    app.extensions[REGISTRY_KEY] = Registry.gather(FEATURES)


def register_blueprints(app: Flask) -> None:
    from coordination.core.features import registry, resolve

    for feature in registry(app).features:
        for path in feature.blueprints:
            app.register_blueprint(resolve(path))


def register_api(app: Flask) -> None:
    from coordination.core.api import create_api
    from coordination.core.features import registry, resolve

    features = registry(app).features
    create_api(app, [resolve(path) for feature in features for path in feature.api_blueprints])


def register_cli(app: Flask) -> None:
    from coordination.cli import demo_cli
    from coordination.core.features import registry, resolve

    for feature in registry(app).features:
        for path in feature.cli:
            app.cli.add_command(resolve(path))
    app.cli.add_command(demo_cli)  # the app's own: demo data of every feature


def set_up_features(app: Flask) -> None:
    """Each feature's own set-up (signal receivers, panels, hooks), in the registry's order."""
    from coordination.core.features import registry, resolve

    for feature in registry(app).features:
        if feature.setup:
            resolve(feature.setup)(app)


def register_error_handlers(app: Flask) -> None:
    from coordination.core.errors import register_error_handlers as register

    register(app)


def register_request_hooks(app: Flask) -> None:
    from coordination.core.requests import register_request_hooks as register

    register(app)


def register_template_helpers(app: Flask) -> None:
    from coordination.core.templating import register_template_helpers as register

    register(app)
