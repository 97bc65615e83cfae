"""Settings for the test suite: the real settings with a test secret and fast static files."""

import os

os.environ.setdefault("SECRET_KEY", "cocrea-test-secret-not-for-production")
# The test client and live server speak plain HTTP.
os.environ.setdefault("COCREA_HTTPS", "0")

from cocrea.settings import *  # noqa: E402, F403

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Django's test set-up replaces EMAIL_BACKEND by locmem; tests that put the task backend
# back (tests/operations) deliver to locmem through tasks run at once, in-process.
COCREA_EMAIL_DELIVERY_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
