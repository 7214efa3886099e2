"""`manage.py check_versions` (freshness/management/commands/check_versions.py)."""

import io

import pytest
from django.core.management import call_command


@pytest.mark.django_db
def test_command_lists_the_labels_behind(compilation, package_index):
    out = io.StringIO()

    call_command("check_versions", stdout=out)

    text = out.getvalue()
    assert "Fetched 4 package(s); 0 failed." in text
    assert "Tasks: Celery 5.5 (newest 5.7.0, behind a minor release)" in text
    assert "4 label(s) behind." in text
