"""A Markdown post file, the snippets it names, and a way to run the Markdown commands."""

import io

import pytest
from django.core.management import call_command

from tests import factories

POST = """---
title: "Caching: a field guide"
slug: caching-guide
summary: Where caches pay.
date: 2026-03-01
topic: performance
tags: redis, cache
authors: editors
---
## Why

Words with [a link](https://example.org/a_b) and `code_here`.

```python settings/cache.py
CACHES = {"default": {}}
```

> [!TIP]
> Measure **first**, then cache.
>
> A second paragraph.

```
plain text
```

## Further reading

- [Cache framework](https://docs.djangoproject.com/en/5.2/topics/cache/) — Django docs
- [Redis](https://redis.io/docs/)
"""


def call(name, *args):
    out = io.StringIO()
    call_command(name, *[str(arg) for arg in args], stdout=out)
    return out.getvalue()


@pytest.fixture
def snippets(db):
    factories.make_topic(name="Performance", slug="performance")
    factories.make_author(name="The Editors", slug="editors")


@pytest.fixture
def post_file(tmp_path):
    path = tmp_path / "in" / "caching-guide.md"
    path.parent.mkdir()
    path.write_text(POST, encoding="utf-8")
    return path
