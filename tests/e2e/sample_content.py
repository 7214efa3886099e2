"""Content the seed does not have, added to the browser journeys' site: a post whose Markdown
holds every way of writing code (``` and ~~~ fences, a fence in a list item, indented code) next
to a Code block, each with a line too long for a phone; and a writer's post waiting for a
moderator's review."""

from django.contrib.auth.models import Group, User

from blog.models import Topic, TopicIndexPage, TopicPostPage

CODE_SAMPLE_SLUG = "every-way-of-writing-code"

MARKDOWN = """## Every way of writing code

A backtick fence:

```python
def a_rather_long_function_name(argument_one, argument_two, argument_three, argument_four):
    return argument_one
```

A tilde fence:

~~~sql
SELECT id, title FROM blog_topicpostpage WHERE title ILIKE '%redis%' ORDER BY first_published_at;
~~~

1. A step with a fence in the list item:

    ```bash
    python manage.py migrate --noinput --database=default --plan --verbosity=2 --skip-checks
    ```

2. The next step.

Indented code:

    SELECT 1; -- indented with four spaces, on a line long enough to need sideways scrolling

The end.
"""


def add_code_sample():
    if TopicPostPage.objects.filter(slug=CODE_SAMPLE_SLUG).exists():
        return
    index = TopicIndexPage.objects.get()
    post = TopicPostPage(
        title="Every way of writing code",
        slug=CODE_SAMPLE_SLUG,
        summary="Fences, a fence in a list, indented code and a Code block.",
        topic=Topic.objects.order_by("pk").first(),
        body=[
            {"type": "markdown", "value": MARKDOWN},
            {
                "type": "code",
                "value": {
                    "language": "python",
                    "filename": "settings/production.py",
                    "source": "CACHES = {'default': {'BACKEND': 'django.core.cache.backends.redis.RedisCache', 'LOCATION': 'redis://127.0.0.1:6379/0'}}\n",  # noqa: E501
                },
            },
        ],
    )
    index.add_child(instance=post)
    post.save_revision().publish()


SUBMITTED_SLUG = "waiting-for-review"
WRITER = {"username": "e2e-writer", "password": "e2e-writer-password-123"}
MODERATOR = {"username": "e2e-moderator", "password": "e2e-moderator-password-123"}


def _member(account, group_name):
    user = User.objects.filter(username=account["username"]).first()
    if user is None:
        user = User.objects.create_user(account["username"], password=account["password"])
    user.groups.add(Group.objects.get(name=group_name))
    return user


def add_submission():
    """A member of Editors wrote a post and submitted it; a member of Moderators reviews it."""
    if TopicPostPage.objects.filter(slug=SUBMITTED_SLUG).exists():
        return
    writer = _member(WRITER, "Editors")
    _member(MODERATOR, "Moderators")
    index = TopicIndexPage.objects.get()
    post = TopicPostPage(
        title="Waiting for review",
        slug=SUBMITTED_SLUG,
        summary="A writer's draft, submitted to the moderators.",
        topic=Topic.objects.order_by("pk").first(),
        body=[{"type": "markdown", "value": "## Draft\n\nReady for a second pair of eyes."}],
        live=False,
        owner=writer,
    )
    index.add_child(instance=post)
    post.save_revision(user=writer)
    post.get_workflow().start(post, writer)
