"""The Tributary Django project: settings, tenancy, authentication and the shared GraphQL machinery."""

from backend.celery import app as celery_app

__all__ = ["celery_app"]
