"""Reading applies-to labels (freshness/labels.py)."""

from freshness.labels import Requirement, how_far_behind, packages_in


def test_a_label_names_its_python_packages_and_skips_servers():
    found = packages_in("Django 5.2, Django REST framework 3.18, PostgreSQL 18, Redis 7+")

    assert found == [
        Requirement("Django", "Django", "5.2"),
        Requirement("Django REST framework", "djangorestframework", "3.18"),
    ]


def test_a_plus_after_the_version_is_allowed():
    assert packages_in("pytest-django 4+") == [Requirement("pytest-django", "pytest-django", "4")]


def test_parts_without_a_version_are_skipped():
    assert packages_in("Django, the admin") == []


def test_a_newer_major_release_is_behind_by_major():
    assert how_far_behind("23", "27.0.1") == "major"


def test_a_newer_minor_release_is_behind_by_minor():
    assert how_far_behind("5.5", "5.7.0") == "minor"


def test_a_patch_release_is_not_behind():
    assert how_far_behind("3.18", "3.18.3") == ""


def test_an_unknown_newest_release_is_not_behind():
    assert how_far_behind("5.2", "") == ""
