"""WSGI entry point for a production server: ``gunicorn wsgi:app`` (its settings, workers
and threads: gunicorn.conf.py)."""

from coordination import create_app

app = create_app()
