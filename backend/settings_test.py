"""Settings for the test suite: the production settings with a fixed key and a fast password hasher."""

import os

os.environ.setdefault("SECRET_KEY", "test-only-secret-key-not-for-production")
os.environ.setdefault("GRIEVANCE_ENCRYPTION_KEY", "dGVzdC1vbmx5LWdyaWV2YW5jZS1rZXktMzItYnl0ZXM=")

from backend.settings import *  # noqa: E402,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
EAGER_TASKS_IN_REQUESTS = "inline"  # a test sees a mutation's follow-up work done when its response arrives
