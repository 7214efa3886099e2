"""Content the seed does not have, added to the browser journeys' site: a post whose Markdown
holds every way of writing code (``` and ~~~ fences, a fence in a list item, indented code) next
to a Code block, each with a line too long for a phone."""

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
