"""The editorial roles (editorial/roles.py): Editors, Moderators and Administrators from the seed,
what each may do, and moderation before publishing."""

import io

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.urls import reverse
from wagtail.documents.models import Document
from wagtail.images.models import Image
from wagtail.images.tests.utils import get_test_image_file
from wagtail.models import GroupPagePermission, Locale, Page, TaskState, WorkflowState

from blog.models import TopicPostPage
from editorial.roles import ADMINISTRATORS, EDITORS, MODERATORS, ensure_roles
from markdown_io.compilations import with_stable_ids
from tests import factories


def member(django_user_model, group_name, username):
    user = django_user_model.objects.create_user(
        username, f"{username}@example.com", "a-long-test-password"
    )
    user.groups.add(Group.objects.get(name=group_name))
    return user


@pytest.fixture
def roles(db):
    return ensure_roles()


@pytest.fixture
def topic(db):
    return factories.make_topic(name="Databases", slug="database")


def add_url(index):
    return reverse("wagtailadmin_pages:add", args=("blog", "topicpostpage", index.pk))


def edit_url(page):
    return reverse("wagtailadmin_pages:edit", args=(page.pk,))


@pytest.mark.django_db
def test_seed_creates_the_three_groups_and_can_run_again():
    call_command("load_compilation", stdout=io.StringIO())
    counts = {g.name: g.permissions.count() for g in Group.objects.all()}

    call_command("load_compilation", stdout=io.StringIO())

    names = set(Group.objects.values_list("name", flat=True))
    assert {EDITORS, MODERATORS, ADMINISTRATORS} <= names
    assert {g.name: g.permissions.count() for g in Group.objects.all()} == counts
    publishers = GroupPagePermission.objects.filter(permission__codename="publish_page")
    assert set(publishers.values_list("group__name", flat=True)) == {MODERATORS, ADMINISTRATORS}


@pytest.mark.django_db
def test_a_loosened_role_is_put_back(roles):
    editors = roles[EDITORS]
    page_perm = GroupPagePermission.objects.filter(group=roles[MODERATORS]).first()
    publish = Permission.objects.get(codename="publish_page")
    GroupPagePermission.objects.create(group=editors, page=page_perm.page, permission=publish)

    ensure_roles()

    assert not GroupPagePermission.objects.filter(
        group=editors, permission__codename="publish_page"
    ).exists()


@pytest.mark.django_db
def test_an_editor_cannot_publish_directly(client, index, topic, roles, django_user_model):
    client.force_login(member(django_user_model, EDITORS, "eddie"))
    data = factories.post_form_data(topic, **{"action-publish": "publish"})

    client.post(add_url(index), data)

    post = TopicPostPage.objects.get(slug="a-post-from-the-admin")
    assert not post.live
    assert client.__class__().get("/posts/a-post-from-the-admin/").status_code == 404
    html = client.get(edit_url(post)).content.decode()
    assert 'name="action-publish"' not in html
    assert 'name="action-submit"' in html


@pytest.mark.django_db
def test_an_editor_submits_and_a_moderator_approves(client, index, topic, roles, django_user_model):
    editor = member(django_user_model, EDITORS, "eddie")
    moderator = member(django_user_model, MODERATORS, "mo")
    client.force_login(editor)
    client.post(add_url(index), factories.post_form_data(topic, **{"action-submit": "submit"}))
    post = TopicPostPage.objects.get(slug="a-post-from-the-admin")
    state = WorkflowState.objects.get(base_content_type__model="page", object_id=str(post.pk))
    task_state = state.current_task_state
    assert state.status == WorkflowState.STATUS_IN_PROGRESS and not post.live

    # The editor may not approve their own submission: Wagtail refuses and nothing changes.
    url = reverse("wagtailadmin_pages:workflow_action", args=(post.pk, "approve", task_state.pk))
    client.post(url)
    task_state.refresh_from_db()
    assert task_state.status == TaskState.STATUS_IN_PROGRESS

    reviewer = client.__class__()
    reviewer.force_login(moderator)
    assert reviewer.post(url).status_code in (200, 302)

    post.refresh_from_db()
    task_state.refresh_from_db()
    assert task_state.status == TaskState.STATUS_APPROVED
    assert post.live
    assert client.__class__().get("/posts/a-post-from-the-admin/").status_code == 200


@pytest.mark.django_db
def test_submit_for_moderation_starts_the_default_workflow(client, index, topic, editor):
    client.force_login(editor)
    data = factories.post_form_data(topic, **{"action-submit": "submit"})

    client.post(add_url(index), data)

    post = TopicPostPage.objects.get(slug="a-post-from-the-admin")
    state = WorkflowState.objects.get(base_content_type__model="page", object_id=str(post.pk))
    assert state.status == WorkflowState.STATUS_IN_PROGRESS
    assert not post.live


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("group_name", "can_manage_users", "can_delete_topics"),
    [(EDITORS, False, False), (MODERATORS, False, True), (ADMINISTRATORS, True, True)],
)
def test_what_each_role_may_do_in_the_admin(
    client, roles, django_user_model, group_name, can_manage_users, can_delete_topics
):
    user = member(django_user_model, group_name, "someone")
    client.force_login(user)
    topic = factories.make_topic()

    assert client.get("/admin/").status_code == 200
    assert client.get(reverse("wagtailsnippets_blog_topic:add")).status_code == 200
    users = client.get(reverse("wagtailusers_users:index"))
    assert (users.status_code == 200) is can_manage_users
    delete = client.get(reverse("wagtailsnippets_blog_topic:delete", args=(topic.pk,)))
    assert (delete.status_code == 200) is can_delete_topics


@pytest.mark.django_db
def test_an_editor_cannot_delete_a_live_page(client, index, django_user_model):
    groups = ensure_roles()
    user = django_user_model.objects.create_user("eddie", "e@example.com", "a-long-password")
    user.groups.add(groups[EDITORS])
    client.force_login(user)
    post = factories.make_post(index)

    client.post(reverse("wagtailadmin_pages:delete", args=(post.pk,)))

    assert Page.objects.filter(pk=post.pk).exists()


def uploaded_by(user):
    image = Image.objects.create(title="Diagram", file=get_test_image_file(), uploaded_by_user=user)
    document = Document.objects.create(
        title="Slides", file=ContentFile(b"slides", name="slides.pdf"), uploaded_by_user=user
    )
    return image, document


@pytest.mark.django_db
def test_an_editor_cannot_delete_images_or_documents_even_their_own(
    client, roles, django_user_model
):
    editor = member(django_user_model, EDITORS, "eddie")
    image, document = uploaded_by(editor)
    client.force_login(editor)

    for url in (
        reverse("wagtailimages:delete", args=(image.pk,)),
        reverse("wagtaildocs:delete", args=(document.pk,)),
    ):
        assert client.get(url).status_code in (302, 403)
        client.post(url)

    assert Image.objects.filter(pk=image.pk).exists()
    assert Document.objects.filter(pk=document.pk).exists()
    assert client.get(reverse("wagtailimages:edit", args=(image.pk,))).status_code == 200


@pytest.mark.django_db
def test_an_editor_cannot_delete_images_uploaded_by_others(client, roles, django_user_model):
    image, document = uploaded_by(member(django_user_model, MODERATORS, "mo"))
    client.force_login(member(django_user_model, EDITORS, "eddie"))

    client.post(reverse("wagtailimages:delete", args=(image.pk,)))
    client.post(reverse("wagtaildocs:delete", args=(document.pk,)))

    assert Image.objects.filter(pk=image.pk).exists()
    assert Document.objects.filter(pk=document.pk).exists()


@pytest.mark.django_db
@pytest.mark.parametrize("group_name", [MODERATORS, ADMINISTRATORS])
def test_moderators_and_administrators_delete_images_and_documents(
    client, roles, django_user_model, group_name
):
    image, document = uploaded_by(member(django_user_model, EDITORS, "eddie"))
    client.force_login(member(django_user_model, group_name, "mo"))

    client.post(reverse("wagtailimages:delete", args=(image.pk,)))
    client.post(reverse("wagtaildocs:delete", args=(document.pk,)))

    assert not Image.objects.filter(pk=image.pk).exists()
    assert not Document.objects.filter(pk=document.pk).exists()


@pytest.mark.django_db
def test_an_editor_starts_a_translation_of_a_page(client, index, roles, django_user_model):
    compilation = factories.make_compilation(
        index.get_parent(), with_stable_ids("roles", [factories.section("A", [])])
    )
    french = Locale.objects.get(language_code="fr")
    client.force_login(member(django_user_model, EDITORS, "eddie"))

    response = client.post(
        reverse("wagtail_localize:submit_page_translation", args=[compilation.pk]),
        {"locales": [french.pk]},
    )

    assert response.status_code == 302
    translated = compilation.get_translation(french)
    assert translated.translation_key == compilation.translation_key
