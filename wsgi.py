"""WSGI entry point for a production server, e.g. ``gunicorn -w 4 wsgi:app``."""

from coordination import create_app

app = create_app()
