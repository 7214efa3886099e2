"""The three editorial roles, as Wagtail groups, and the moderation workflow they share.

`ensure_roles()` is run by `load_compilation` (and `manage.py setup_roles`); it can run any
number of times. Each group's permissions are set to exactly the lists below, so a role that was
loosened by hand is put back.

- Editors write: they create and edit pages, topics, authors, images and documents, start
  translations of pages, and submit pages for moderation. They cannot publish or unpublish,
  and delete nothing: no live page, and no image or document, not even one they uploaded
  (editorial/permissions.py).
- Moderators review: everything editors do, plus publishing, approving or rejecting submitted
  pages, locking pages, and deleting snippets, images and documents.
- Administrators run the site: everything moderators do, plus deleting page trees, users and
  groups, sites, workflows and redirects, and see, export and delete e-mail subscribers.
  (Superusers can do all of this too.)
"""

from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from wagtail.models import (
    Collection,
    GroupApprovalTask,
    GroupCollectionPermission,
    GroupPagePermission,
    Page,
    Workflow,
    WorkflowPage,
    WorkflowTask,
)

EDITORS, MODERATORS, ADMINISTRATORS = "Editors", "Moderators", "Administrators"
WORKFLOW_NAME = "Moderators approval"
TASK_NAME = "Moderators approval"

_EDITOR_MODEL = [
    "wagtailadmin.access_admin",
    "blog.add_topic",
    "blog.change_topic",
    "blog.view_topic",
    "blog.add_author",
    "blog.change_author",
    "blog.view_author",
    # Decide on readers' suggestions (suggestions/): only for compilations they may edit.
    "suggestions.change_suggestion",
    # Start a page's translation into another language (wagtail-localize's "Translate").
    "wagtail_localize.submit_translation",
]
_EDITOR_PAGES = ["add_page", "change_page"]
_EDITOR_COLLECTIONS = [
    "wagtailimages.add_image",
    "wagtailimages.change_image",
    "wagtailimages.choose_image",
    "wagtaildocs.add_document",
    "wagtaildocs.change_document",
    "wagtaildocs.choose_document",
]
_MODERATOR_MODEL = [*_EDITOR_MODEL, "blog.delete_topic", "blog.delete_author"]
_MODERATOR_PAGES = [*_EDITOR_PAGES, "publish_page", "lock_page", "unlock_page"]
_MODERATOR_COLLECTIONS = [
    *_EDITOR_COLLECTIONS,
    "wagtailimages.delete_image",
    "wagtaildocs.delete_document",
]
_ADMINISTRATOR_MODEL = [
    *_MODERATOR_MODEL,
    "auth.add_user",
    "auth.change_user",
    "auth.delete_user",
    "auth.view_user",
    "auth.add_group",
    "auth.change_group",
    "auth.delete_group",
    "auth.view_group",
    "wagtailcore.add_site",
    "wagtailcore.change_site",
    "wagtailcore.delete_site",
    "wagtailcore.add_workflow",
    "wagtailcore.change_workflow",
    "wagtailcore.delete_workflow",
    "wagtailcore.add_task",
    "wagtailcore.change_task",
    "wagtailcore.delete_task",
    "wagtailcore.add_collection",
    "wagtailcore.change_collection",
    "wagtailcore.delete_collection",
    "wagtailredirects.add_redirect",
    "wagtailredirects.change_redirect",
    "wagtailredirects.delete_redirect",
    # Readers' e-mail addresses: listed, exported and deleted by administrators only.
    "subscriptions.view_subscriber",
    "subscriptions.delete_subscriber",
]
_ADMINISTRATOR_PAGES = [*_MODERATOR_PAGES, "bulk_delete_page"]

# name -> (model permissions, page permissions on the whole tree, collection permissions)
ROLES = {
    EDITORS: (_EDITOR_MODEL, _EDITOR_PAGES, _EDITOR_COLLECTIONS),
    MODERATORS: (_MODERATOR_MODEL, _MODERATOR_PAGES, _MODERATOR_COLLECTIONS),
    ADMINISTRATORS: (_ADMINISTRATOR_MODEL, _ADMINISTRATOR_PAGES, _MODERATOR_COLLECTIONS),
}
# The groups that approve or reject pages submitted for moderation.
REVIEWERS = [MODERATORS, ADMINISTRATORS]


def _permission(dotted):
    app_label, codename = dotted.split(".")
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


@transaction.atomic
def ensure_roles():
    """Create or reset the groups and the moderation workflow; returns the groups by name."""
    root_page = Page.get_first_root_node()
    root_collection = Collection.get_first_root_node()
    page_type = ContentType.objects.get_for_model(Page)
    groups = {}
    for name, (model_perms, page_perms, collection_perms) in ROLES.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.set([_permission(dotted) for dotted in model_perms])
        wanted = [
            Permission.objects.get(content_type=page_type, codename=codename)
            for codename in page_perms
        ]
        GroupPagePermission.objects.filter(group=group).exclude(page=root_page).delete()
        GroupPagePermission.objects.filter(group=group, page=root_page).exclude(
            permission__in=wanted
        ).delete()
        for permission in wanted:
            GroupPagePermission.objects.get_or_create(
                group=group, page=root_page, permission=permission
            )
        wanted = [_permission(dotted) for dotted in collection_perms]
        GroupCollectionPermission.objects.filter(group=group).exclude(
            collection=root_collection, permission__in=wanted
        ).delete()
        for permission in wanted:
            GroupCollectionPermission.objects.get_or_create(
                group=group, collection=root_collection, permission=permission
            )
        groups[name] = group
    ensure_workflow([groups[name] for name in REVIEWERS], root_page)
    return groups


def ensure_workflow(reviewers, root_page):
    """One approval step by the reviewers, for every page unless a page has its own workflow."""
    task = GroupApprovalTask.objects.filter(name=TASK_NAME).first()
    if task is None:
        task = GroupApprovalTask.objects.create(name=TASK_NAME)
    task.active = True
    task.save()
    task.groups.set(reviewers)
    workflow, _ = Workflow.objects.get_or_create(name=WORKFLOW_NAME, defaults={"active": True})
    if not workflow.active:
        workflow.active = True
        workflow.save()
    if not WorkflowTask.objects.filter(workflow=workflow, task=task).exists():
        WorkflowTask.objects.create(
            workflow=workflow, task=task, sort_order=workflow.workflow_tasks.count()
        )
    # Leave an explicit choice alone: a site may have given its root another workflow.
    WorkflowPage.objects.get_or_create(page=root_page, defaults={"workflow": workflow})
    return workflow
