"""Background tasks (django-tasks, which Wagtail 8 ships and configures)."""

from django_tasks import task

from .checker import Checker, RunInProgress, run_check


@task()
def check_links_task(older_than_days=None, page_id=None):
    """The same check as `manage.py check_links`, started from the admin's link report.

    With Wagtail's default task backend (immediate) it runs inside the request that enqueues it;
    with a worker backend configured in TASKS it runs in the background.
    """
    try:
        summary = run_check(
            Checker(), older_than_days=older_than_days, page_id=page_id, trigger="admin"
        )
    except RunInProgress:
        return {"already_running": True}
    return {
        "already_running": False,
        "links": summary.links,
        "checked": len(summary.results),
        "broken": len(summary.broken),
    }
