"""Entry point for gunicorn from a checkout: `gunicorn wsgi:app` (the same
as `credit_svc.wsgi:app`, which the installed package alone provides)."""

from credit_svc.wsgi import app

__all__ = ["app"]
