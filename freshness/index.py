"""Fetching newest releases from the Python package index's JSON API, and the report's rows."""

import json
import urllib.error
import urllib.request
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from blog import outline
from blog.models import CompilationPage, TopicPostPage

from .labels import how_far_behind, packages_in
from .models import PackageRelease

FETCH_TIMEOUT_SECONDS = 10


def newest_release(package):
    """The newest release of a package, from `<FRESHNESS_INDEX_URL>/<package>/json`."""
    url = f"{settings.FRESHNESS_INDEX_URL.rstrip('/')}/{package}/json"
    if not url.startswith(("http://", "https://")):
        raise ValueError(f"FRESHNESS_INDEX_URL must be an http(s) URL, not {url!r}")
    request = urllib.request.Request(url, headers={"Accept": "application/json"})  # noqa: S310
    with urllib.request.urlopen(request, timeout=FETCH_TIMEOUT_SECONDS) as response:  # noqa: S310
        data = json.load(response)
    version = str((data.get("info") or {}).get("version") or "")
    if not version:
        raise ValueError("the index answered without info.version")
    return version


@dataclass
class Label:
    """Where an applies-to label is written: a compilation's section, or a post."""

    page: object
    where: str  # the section's heading, or "Post"
    text: str


def labels():
    """Every applies-to label on live pages: compilation sections in reading order, then posts."""
    found = []
    for page in CompilationPage.objects.live().order_by("path"):
        for section in outline.sections(page.body.raw_data):
            if section.applies_to:
                found.append(Label(page, section.heading, section.applies_to))
    posts = TopicPostPage.objects.live().exclude(applies_to="").defer_streamfields()
    for post in posts.order_by("title"):
        found.append(Label(post, "Post", post.applies_to))
    return found


def packages_named():
    return sorted({req.package for label in labels() for req in packages_in(label.text)})


def refresh(max_age=None):
    """Fetch the newest release of every package the labels name; returns (fetched, failed).

    Packages fetched less than `max_age` ago keep their cached answer.
    """
    fetched = failed = 0
    now = timezone.now()
    for package in packages_named():
        cached = PackageRelease.objects.filter(package=package).first()
        if cached and max_age and cached.fetched_at and now - cached.fetched_at < max_age:
            continue
        try:
            version, error = newest_release(package), ""
            fetched += 1
        except (OSError, ValueError, urllib.error.URLError) as exc:
            version, error = (cached.newest if cached else ""), str(exc)[:300]
            failed += 1
        PackageRelease.objects.update_or_create(
            package=package, defaults={"newest": version, "error": error, "fetched_at": now}
        )
    return fetched, failed


@dataclass
class Row:
    page: object
    where: str
    label: str
    package: str
    version: str
    newest: str
    behind: str  # "major", "minor" or ""
    error: str


def report_rows():
    """One row per package named in a label, with the cached newest release."""
    releases = {release.package: release for release in PackageRelease.objects.all()}
    rows = []
    for label in labels():
        for req in packages_in(label.text):
            release = releases.get(req.package)
            newest = release.newest if release else ""
            rows.append(
                Row(
                    page=label.page,
                    where=label.where,
                    label=req.label,
                    package=req.package,
                    version=req.version,
                    newest=newest,
                    behind=how_far_behind(req.version, newest),
                    error=release.error if release else "",
                )
            )
    return rows


def default_max_age():
    return timedelta(hours=settings.FRESHNESS_MAX_AGE_HOURS)
