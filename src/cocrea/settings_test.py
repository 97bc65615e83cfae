"""Settings for the test suite: the real settings with a test secret and fast static files."""

import os

os.environ.setdefault("SECRET_KEY", "cocrea-test-secret-not-for-production")

from cocrea.settings import *  # noqa: E402, F403

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
