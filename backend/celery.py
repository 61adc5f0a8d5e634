"""The Celery application. Without CELERY_BROKER_URL tasks run eagerly (see settings)."""

import logging
import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "backend.settings")

app = Celery("tributary")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

if app.conf.task_always_eager:
    # Nothing is ever sent in eager mode, but Celery still opens a producer: the in-memory transport keeps kombu
    # from looking for an AMQP server on localhost. Each task runs inside the command or request that queued it,
    # which reports on it itself, so the per-task "succeeded" lines are left to workers.
    app.conf.broker_url = app.conf.broker_url or "memory://localhost/"
    logging.getLogger("celery.app.trace").setLevel(logging.WARNING)
