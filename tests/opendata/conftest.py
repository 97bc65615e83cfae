"""The whole demo (every app's loader) for the open-data tests, loaded once per module."""

from __future__ import annotations

import pytest
from opendata_support import load_demo


@pytest.fixture(scope="module")
def demo_site(django_db_setup, django_db_blocker, tmp_path_factory):
    from django.core.management import call_command

    with django_db_blocker.unblock():
        money_dir, private = load_demo(tmp_path_factory.mktemp("money"))
    yield private
    with django_db_blocker.unblock():
        call_command("flush", interactive=False, verbosity=0)
    money_dir.disable()
