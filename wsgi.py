"""Entry point for gunicorn: `gunicorn -w 2 -b 127.0.0.1:8000 wsgi:app`."""

from credit_svc import create_app

app = create_app()
