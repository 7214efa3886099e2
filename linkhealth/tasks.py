"""Background tasks (django-tasks, which Wagtail 8 ships; TASKS picks the backend)."""

from django.db.models import Q
from django_tasks import TaskResultStatus, task
from django_tasks_db import DatabaseBackend
from django_tasks_db.models import DBTaskResult

from .checker import Checker, RunInProgress, run_check
from .models import runs_dead_before


@task()
def check_links_task(older_than_days=None, page_id=None):
    """The same check as `manage.py check_links`, started from the admin's link report.

    With the database backend it waits for `manage.py db_worker`; with the immediate backend it
    runs inside the request that enqueues it.
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


def check_waiting():
    """Whether a link check waits in the database queue or runs there: a second click must not
    queue a second full check behind it. A task marked running since before a run could last
    died with its worker and does not count."""
    if not isinstance(check_links_task.get_backend(), DatabaseBackend):
        return False
    return (
        DBTaskResult.objects.filter(task_path=check_links_task.module_path)
        .filter(
            Q(status=TaskResultStatus.READY)
            | Q(status=TaskResultStatus.RUNNING, started_at__gte=runs_dead_before())
        )
        .exists()
    )
