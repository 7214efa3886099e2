"""Background tasks (django-tasks, which Wagtail 8 ships and configures)."""

from django_tasks import task

from .index import default_max_age, refresh


@task()
def refresh_versions_task(force=False):
    """Ask the package index for the newest release of every package the labels name.

    With Wagtail's default task backend (immediate) it runs inside the request that enqueues it;
    with a worker backend configured in TASKS it runs in the background.
    """
    fetched, failed = refresh(max_age=None if force else default_max_age())
    return {"fetched": fetched, "failed": failed}
