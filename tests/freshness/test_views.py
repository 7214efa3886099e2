"""The version freshness report in the admin (freshness/views.py, wagtail_hooks.py)."""

import pytest
from django.contrib.auth.models import Permission
from django.test import override_settings
from django_tasks import default_task_backend

from freshness.models import PackageRelease

REPORT = "/admin/reports/freshness/"
REFRESH = "/admin/reports/freshness/refresh/"


@pytest.mark.django_db
def test_report_flags_labels_behind_a_major_or_minor_release(
    client, editor, compilation, package_index
):
    client.force_login(editor)
    client.post(REFRESH)

    html = client.get(REPORT).content.decode()

    assert 'data-behind="minor"' in html and "Celery 5.5" in html
    assert 'data-behind="major"' in html and "Django 5.2" in html
    # counted per package named: Django in two sections, Celery and DRF
    assert "4 labels behind" in html


@pytest.mark.django_db
def test_refresh_enqueues_the_background_task(client, editor, compilation):
    client.force_login(editor)
    dummy = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}

    with override_settings(TASKS=dummy):
        default_task_backend.clear()
        response = client.post(REFRESH, follow=True)
        queued = [result.task.name for result in default_task_backend.results]

    assert response.redirect_chain[0][1] == 302
    assert "Queued: the task worker asks the package index" in response.content.decode()
    assert queued == ["refresh_versions_task"]
    assert not PackageRelease.objects.exists()


@pytest.mark.django_db
def test_refresh_needs_a_post(client, editor):
    client.force_login(editor)

    assert client.get(REFRESH).status_code == 405


@pytest.mark.django_db
def test_report_is_hidden_from_users_without_page_permissions(client, django_user_model):
    user = django_user_model.objects.create_user("reader", password="a-long-test-password")
    user.user_permissions.add(*Permission.objects.filter(codename="access_admin"))
    client.force_login(user)

    assert client.get(REPORT).status_code in (302, 403)


@pytest.mark.django_db
def test_report_is_in_the_reports_menu(client, editor):
    client.force_login(editor)

    assert REPORT in client.get("/admin/").content.decode()
