"""Background tasks (django-tasks, which Wagtail 8 ships; TASKS picks the backend)."""

from django_tasks import task

from .index import default_max_age, refresh


@task()
def refresh_versions_task(force=False):
    """Ask the package index for the newest release of every package the labels name.

    With the database backend it waits for `manage.py db_worker`; with the immediate backend it
    runs inside the request that enqueues it.
    """
    fetched, failed = refresh(max_age=None if force else default_max_age())
    return {"fetched": fetched, "failed": failed}
