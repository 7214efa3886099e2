"""The PostgreSQL search backend (search/backends.py): modelsearch's SQL with the concatenated
vector left out of the SELECT list, and the same results in the same order as the stock backend."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from modelsearch.backends.database.postgres.postgres import PostgresSearchBackend
from wagtail.search.backends import get_search_backend

from blog.models import TopicPostPage
from tests import factories

pytestmark = pytest.mark.django_db
postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the PostgreSQL backend needs PostgreSQL"
)

WORDS = ["cache", "index", "query", "worker", "deploy"]


@pytest.fixture
def topic():
    return factories.make_topic(name="Performance", slug="performance")


def corpus(index, topic):
    # Titles, summaries and bodies with different mixes of the words, so that ranks differ.
    for n in range(12):
        title = f"{WORDS[n % 5].title()} notes {n}"
        summary = " ".join(WORDS[(n + k) % 5] for k in range(n % 3 + 1))
        body = " ".join(WORDS[(n * k) % 5] for k in range(n + 2))
        factories.make_post(
            index, title=title, summary=summary, topic=topic, body=factories.markdown_body(body)
        )


@postgresql_only
@pytest.mark.parametrize("text", ["cache", "index query", "worker deploy cache", "nothing"])
def test_results_and_order_match_the_stock_backend(index, topic, text):
    corpus(index, topic)
    ours = get_search_backend()
    stock = PostgresSearchBackend({"SEARCH_CONFIG": "english"})
    posts = TopicPostPage.objects.live()

    expected = [
        (p.pk, round(p.score, 6)) for p in stock.search(text, posts).annotate_score("score")
    ]
    got = [(p.pk, round(p.score, 6)) for p in ours.search(text, posts).annotate_score("score")]

    assert got == expected
    assert (len(got) > 0) == (text != "nothing")


@postgresql_only
def test_the_ranked_query_does_not_select_the_concatenated_vector(index, topic):
    corpus(index, topic)
    with CaptureQueriesContext(connection) as queries:
        list(get_search_backend().search("cache", TopicPostPage.objects.live())[:5])

    sql = queries[-1]["sql"]
    select_list = sql[: sql.index(" FROM ")]
    assert "@@" in sql  # the full-text match is still the filter
    assert "_vector_" not in select_list
    assert '"wagtailsearch_indexentry"."body"' not in select_list
