"""Applies-to labels ("Django 5.2, Celery 5.7, PostgreSQL 18") read as (package, version) pairs.

Only names that are Python packages are compared with the package index; servers such as
PostgreSQL or Redis are not on it and are left out.
"""

import re
from dataclasses import dataclass

# The names editors write in labels, lower-cased, and the package each one is on the index as.
PACKAGES = {
    "django": "Django",
    "wagtail": "wagtail",
    "django rest framework": "djangorestframework",
    "djangorestframework": "djangorestframework",
    "drf": "djangorestframework",
    "django ninja": "django-ninja",
    "celery": "celery",
    "gunicorn": "gunicorn",
    "uvicorn": "uvicorn",
    "whitenoise": "whitenoise",
    "pytest-django": "pytest-django",
    "pytest": "pytest",
    "django-tasks": "django-tasks",
    "django-storages": "django-storages",
    "django-csp": "django-csp",
    "django-environ": "django-environ",
    "psycopg": "psycopg",
    "sentry-sdk": "sentry-sdk",
}
PART_RE = re.compile(r"^(?P<name>.+?)\s+(?P<version>\d+(?:\.\d+)*)\+?$")


@dataclass(frozen=True)
class Requirement:
    label: str  # the name as written in the label
    package: str  # the package index's name
    version: str  # "5.2"


def packages_in(label):
    """The Requirements a label names, in its order; other parts (PostgreSQL 18) are skipped."""
    found = []
    for part in (label or "").split(","):
        match = PART_RE.match(part.strip())
        if not match:
            continue
        package = PACKAGES.get(match.group("name").strip().lower())
        if package:
            found.append(Requirement(match.group("name").strip(), package, match.group("version")))
    return found


def release_parts(version):
    """(major, minor) of a version string; missing parts count as 0, suffixes are ignored."""
    numbers = [int(n) for n in re.findall(r"\d+", version.split("+")[0])[:2]]
    return tuple(numbers + [0] * (2 - len(numbers)))


def how_far_behind(label_version, newest):
    """'major', 'minor' or '' for a label's version against the newest release."""
    if not newest:
        return ""
    have, latest = release_parts(label_version), release_parts(newest)
    if latest[0] > have[0]:
        return "major"
    if latest[0] == have[0] and latest[1] > have[1]:
        return "minor"
    return ""
