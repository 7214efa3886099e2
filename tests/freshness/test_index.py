"""Fetching the newest releases from the package index (freshness/index.py), against a local
server on 127.0.0.1."""

import datetime

import pytest
from django.utils import timezone

from freshness.index import refresh, report_rows
from freshness.models import PackageRelease


@pytest.mark.django_db
def test_refresh_stores_the_newest_release_of_each_package_the_labels_name(
    compilation, package_index
):
    fetched, failed = refresh()

    newest = dict(PackageRelease.objects.values_list("package", "newest"))
    assert newest == {
        "Django": "6.1",
        "celery": "5.7.0",
        "djangorestframework": "3.18.1",
        "gunicorn": "27.0.1",
    }
    assert (fetched, failed) == (4, 0)
    assert sorted(package_index.requests) == [
        "/pypi/Django/json",
        "/pypi/celery/json",
        "/pypi/djangorestframework/json",
        "/pypi/gunicorn/json",
    ]


@pytest.mark.django_db
def test_rows_flag_labels_behind_by_a_major_or_minor_release(compilation, package_index):
    refresh()

    flagged = {(row.where, row.package): row.behind for row in report_rows()}

    assert flagged == {
        ("Tasks", "Django"): "major",
        ("Tasks", "celery"): "minor",
        ("Deployment", "Django"): "major",
        ("Deployment", "gunicorn"): "",
        ("APIs", "djangorestframework"): "minor",
    }


@pytest.mark.django_db
def test_a_post_label_is_compared_too(labelled_post, package_index):
    refresh()

    rows = [(row.page.title, row.where, row.package, row.behind) for row in report_rows()]

    assert rows == [
        ("Deploying", "Post", "Django", "major"),
        ("Deploying", "Post", "gunicorn", "major"),
    ]


@pytest.mark.django_db
def test_a_fresh_cached_answer_is_not_fetched_again(compilation, package_index):
    refresh()
    package_index.requests.clear()

    refresh(max_age=datetime.timedelta(hours=1))

    assert package_index.requests == []


@pytest.mark.django_db
def test_a_stale_cached_answer_is_fetched_again(compilation, package_index):
    refresh()
    PackageRelease.objects.update(fetched_at=timezone.now() - datetime.timedelta(days=2))
    package_index.requests.clear()

    refresh(max_age=datetime.timedelta(hours=1))

    assert len(package_index.requests) == 4


@pytest.mark.django_db
def test_a_failed_fetch_keeps_the_last_known_release_and_says_why(compilation, package_index):
    refresh()
    package_index.releases["celery"] = "garbage"

    fetched, failed = refresh()

    celery = PackageRelease.objects.get(package="celery")
    assert (celery.newest, failed) == ("5.7.0", 1)
    assert celery.error


@pytest.mark.django_db
def test_a_package_the_index_does_not_know_is_reported_not_raised(compilation, package_index):
    del package_index.releases["gunicorn"]

    refresh()

    gunicorn = PackageRelease.objects.get(package="gunicorn")
    assert gunicorn.newest == "" and "404" in gunicorn.error
